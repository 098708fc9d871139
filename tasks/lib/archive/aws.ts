/**
 * The archive ports on AWS: S3 (objects and their metadata), DynamoDB (object records and each
 * chain's head, table `tributary-archive-digests`) and KMS (the asymmetric signing key: Sign with
 * MessageType DIGEST; the verifier fetches the public key once and verifies locally).
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetItemCommand, PutItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetPublicKeyCommand, SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import { createPublicKey, verify, type KeyObject } from 'crypto';
import { errorName } from '../aws-errors';
import { signingHash, type DigestEntry } from './digest';
import type { ArchiveStore, DigestSigner, DigestVerifierKey, ObjectRecords, StoredObject } from './ports';

/** Object records (pk `chain`, sk `recordedAt#key`) and heads (pk `head#chain`, sk `head`). */
export const DIGEST_TABLE_NAME = 'tributary-archive-digests';
/** The signing key's alias: `tributary verify` finds the public key by it. */
export const DIGEST_KEY_ALIAS = 'alias/tributary-archive-digests';

export class S3ArchiveStore implements ArchiveStore {
  public constructor(private readonly s3: S3Client, private readonly bucket: string) {}

  public async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      keys.push(...(page.Contents ?? []).map((o) => o.Key!).filter(Boolean));
      token = page.NextContinuationToken;
    } while (token);
    return keys.sort();
  }

  public async get(key: string): Promise<StoredObject | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return { bytes: Buffer.from(await object.Body!.transformToByteArray()), metadata: object.Metadata ?? {}, ...(object.VersionId ? { versionId: object.VersionId } : {}) };
    } catch (error) {
      if (errorName(error) === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  public async put(key: string, bytes: Buffer, metadata: Readonly<Record<string, string>>): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, Metadata: { ...metadata }, ContentType: 'application/json' }));
  }
}

export class DynamoObjectRecords implements ObjectRecords {
  public constructor(private readonly dynamo: DynamoDBClient) {}

  public async record(chain: string, recordedAt: number, entry: DigestEntry): Promise<void> {
    await this.dynamo.send(
      new PutItemCommand({
        TableName: DIGEST_TABLE_NAME,
        Item: { pk: { S: chain }, sk: { S: `${String(recordedAt).padStart(15, '0')}#${entry.key}` }, key: { S: entry.key }, size: { N: String(entry.size) }, sha256: { S: entry.sha256 }, ...(entry.versionId ? { versionId: { S: entry.versionId } } : {}) },
      }),
    );
  }

  public async recorded(chain: string, from: number, to: number): Promise<DigestEntry[]> {
    const entries: DigestEntry[] = [];
    let start: Record<string, any> | undefined;
    do {
      const page = await this.dynamo.send(
        new QueryCommand({
          TableName: DIGEST_TABLE_NAME,
          KeyConditionExpression: 'pk = :chain AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':chain': { S: chain }, ':from': { S: `${String(from).padStart(15, '0')}#` }, ':to': { S: `${String(to - 1).padStart(15, '0')}#\uffff` } },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) entries.push({ key: item.key!.S!, size: Number(item.size!.N), sha256: item.sha256!.S!, ...(item.versionId?.S ? { versionId: item.versionId.S } : {}) });
      start = page.LastEvaluatedKey;
    } while (start);
    return entries;
  }

  public async head(chain: string) {
    const { Item } = await this.dynamo.send(new GetItemCommand({ TableName: DIGEST_TABLE_NAME, Key: { pk: { S: `head#${chain}` }, sk: { S: 'head' } }, ConsistentRead: true }));
    return Item ? { key: Item.key!.S!, sha256: Item.sha256!.S!, signature: Item.signature!.S!, endTime: Number(Item.endTime!.N) } : undefined;
  }

  public async setHead(chain: string, head: { key: string; sha256: string; signature: string; endTime: number }): Promise<void> {
    await this.dynamo.send(
      new PutItemCommand({
        TableName: DIGEST_TABLE_NAME,
        Item: { pk: { S: `head#${chain}` }, sk: { S: 'head' }, key: { S: head.key }, sha256: { S: head.sha256 }, signature: { S: head.signature }, endTime: { N: String(head.endTime) } },
        // Two writers never extend a chain from the same head.
        ConditionExpression: 'attribute_not_exists(endTime) OR endTime < :end',
        ExpressionAttributeValues: { ':end': { N: String(head.endTime) } },
      }),
    );
  }
}

export class KmsDigestSigner implements DigestSigner {
  public constructor(private readonly kms: KMSClient, private readonly keyId: string) {}

  public async sign(bytes: Buffer): Promise<string> {
    const { Signature } = await this.kms.send(new SignCommand({ KeyId: this.keyId, Message: signingHash(bytes), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }));
    return Buffer.from(Signature!).toString('base64');
  }
}

/** ECDSA-SHA256 verification of a base64 signature with a public key; a malformed signature is not valid. */
export function verifyWithPublicKey(publicKey: KeyObject, bytes: Buffer, signature: string): boolean {
  try {
    return verify('sha256', bytes, publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** The key's public half, fetched once (kms:GetPublicKey, DER SPKI); signatures are checked locally. */
export async function kmsPublicKey(kms: KMSClient, keyId: string): Promise<DigestVerifierKey> {
  const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
  const publicKey = createPublicKey({ key: Buffer.from(PublicKey!), format: 'der', type: 'spki' });
  return { verify: async (bytes, signature) => verifyWithPublicKey(publicKey, bytes, signature) };
}
