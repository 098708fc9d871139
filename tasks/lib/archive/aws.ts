/**
 * The archive ports on AWS: S3 (objects, their versions and metadata), DynamoDB (the recorder's
 * object records, table `tributary-archive-digests`; the digest writer's chain heads, table
 * `tributary-archive-digest-heads`, so neither can write the other's data) and KMS (the
 * asymmetric signing key: Sign with MessageType DIGEST, GetPublicKey for its identity).
 */
import { GetObjectCommand, ListObjectsV2Command, ListObjectVersionsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetItemCommand, PutItemCommand, QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetPublicKeyCommand, SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import { errorName } from '../aws-errors';
import { keyFingerprint, signingHash, type DigestEntry, type DigestKeyIdentity } from './digest';
import type { ArchiveStore, ChainHead, ChainHeads, DigestSigner, ListedObject, ObjectRecords, ObjectVersion, StoredObject } from './ports';

/** Object records (pk `chain`, sk `recordedAt#key`): the recorder writes, the digest writer reads. */
export const DIGEST_TABLE_NAME = 'tributary-archive-digests';
/** Chain heads (pk `chain`): the digest writer's alone. */
export const HEADS_TABLE_NAME = 'tributary-archive-digest-heads';
/** The signing key's alias: `tributary trusted-key` finds the key by it. */
export const DIGEST_KEY_ALIAS = 'alias/tributary-archive-digests';

export class S3ArchiveStore implements ArchiveStore {
  public constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  public async list(prefix: string): Promise<ListedObject[]> {
    const objects: ListedObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of page.Contents ?? []) if (o.Key) objects.push({ key: o.Key, size: o.Size ?? 0 });
      token = page.NextContinuationToken;
    } while (token);
    return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** ListObjectVersions answers each key's versions newest first (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html); ours are oldest first. */
  public async versions(prefix: string): Promise<ObjectVersion[]> {
    const found: Array<ObjectVersion & { modified: number }> = [];
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectVersionsCommand({ Bucket: this.bucket, Prefix: prefix, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }),
      );
      for (const v of page.Versions ?? [])
        found.push({
          key: v.Key!,
          versionId: v.VersionId ?? 'null',
          deleteMarker: false,
          latest: v.IsLatest ?? false,
          modified: v.LastModified?.getTime() ?? 0,
        });
      for (const m of page.DeleteMarkers ?? [])
        found.push({
          key: m.Key!,
          versionId: m.VersionId ?? 'null',
          deleteMarker: true,
          latest: m.IsLatest ?? false,
          modified: m.LastModified?.getTime() ?? 0,
        });
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker);
    // Per key, the latest last, the rest by modification time: the SDK splits versions from delete
    // markers, and LastModified has a resolution of one second, so two writes in one second may swap.
    found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : Number(a.latest) - Number(b.latest) || a.modified - b.modified));
    return found.map(({ modified: _, ...version }) => version);
  }

  public async get(key: string, versionId?: string): Promise<StoredObject | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
      return {
        bytes: Buffer.from(await object.Body!.transformToByteArray()),
        metadata: object.Metadata ?? {},
        ...(object.VersionId ? { versionId: object.VersionId } : {}),
      };
    } catch (error) {
      if (['NoSuchKey', 'NoSuchVersion'].includes(errorName(error) ?? '')) return undefined;
      throw error;
    }
  }

  public async put(key: string, bytes: Buffer, metadata: Readonly<Record<string, string>>): Promise<{ versionId?: string }> {
    const { VersionId } = await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, Metadata: { ...metadata }, ContentType: 'application/json' }),
    );
    return VersionId ? { versionId: VersionId } : {};
  }
}

export class DynamoObjectRecords implements ObjectRecords {
  public constructor(private readonly dynamo: DynamoDBClient) {}

  public async record(chain: string, recordedAt: number, entry: DigestEntry): Promise<void> {
    await this.dynamo.send(
      new PutItemCommand({
        TableName: DIGEST_TABLE_NAME,
        Item: {
          pk: { S: chain },
          sk: { S: `${String(recordedAt).padStart(15, '0')}#${entry.key}` },
          key: { S: entry.key },
          size: { N: String(entry.size) },
          sha256: { S: entry.sha256 },
          ...(entry.versionId ? { versionId: { S: entry.versionId } } : {}),
        },
      }),
    );
  }

  public async recorded(chain: string, from: number, to: number): Promise<DigestEntry[]> {
    const entries: DigestEntry[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.dynamo.send(
        new QueryCommand({
          TableName: DIGEST_TABLE_NAME,
          KeyConditionExpression: 'pk = :chain AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':chain': { S: chain },
            ':from': { S: `${String(from).padStart(15, '0')}#` },
            ':to': { S: `${String(to - 1).padStart(15, '0')}#\uffff` },
          },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? [])
        entries.push({ key: item.key!.S!, size: Number(item.size!.N), sha256: item.sha256!.S!, ...(item.versionId?.S ? { versionId: item.versionId.S } : {}) });
      start = page.LastEvaluatedKey;
    } while (start);
    return entries;
  }
}

export class DynamoChainHeads implements ChainHeads {
  public constructor(private readonly dynamo: DynamoDBClient) {}

  public async head(chain: string): Promise<ChainHead | undefined> {
    const { Item } = await this.dynamo.send(new GetItemCommand({ TableName: HEADS_TABLE_NAME, Key: { pk: { S: chain } }, ConsistentRead: true }));
    return Item
      ? { key: Item.key!.S!, sha256: Item.sha256!.S!, signature: Item.signature!.S!, endTime: Number(Item.endTime!.N), signedBy: Item.signedBy!.S! }
      : undefined;
  }

  public async setHead(chain: string, head: ChainHead): Promise<void> {
    await this.dynamo.send(
      new PutItemCommand({
        TableName: HEADS_TABLE_NAME,
        Item: {
          pk: { S: chain },
          key: { S: head.key },
          sha256: { S: head.sha256 },
          signature: { S: head.signature },
          endTime: { N: String(head.endTime) },
          signedBy: { S: head.signedBy },
        },
        // Two writers never extend a chain from the same head; a genesis or rotation keeps the end, with a new key.
        ConditionExpression: 'attribute_not_exists(endTime) OR endTime < :end OR (endTime = :end AND #key <> :key)',
        ExpressionAttributeNames: { '#key': 'key' },
        ExpressionAttributeValues: { ':end': { N: String(head.endTime) }, ':key': { S: head.key } },
      }),
    );
  }
}

/** A KMS key's identity from GetPublicKey (DER SubjectPublicKeyInfo). */
export async function kmsKeyIdentity(kms: KMSClient, keyId: string): Promise<DigestKeyIdentity> {
  const { PublicKey, KeyId } = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
  const der = Buffer.from(PublicKey!);
  return { keyArn: KeyId ?? keyId, fingerprint: keyFingerprint(der), publicKey: der.toString('base64') };
}

export class KmsDigestSigner implements DigestSigner {
  private known: Promise<DigestKeyIdentity> | undefined;

  public constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  public async sign(bytes: Buffer): Promise<string> {
    const { Signature } = await this.kms.send(
      new SignCommand({ KeyId: this.keyId, Message: signingHash(bytes), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }),
    );
    return Buffer.from(Signature!).toString('base64');
  }

  public identity(): Promise<DigestKeyIdentity> {
    this.known ??= kmsKeyIdentity(this.kms, this.keyId);
    return this.known;
  }
}
