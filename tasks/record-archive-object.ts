/**
 * Records each object delivered to the archive (S3 Object Created, through EventBridge): its key,
 * size, version and SHA-256, for the next hourly digest of its chain. Runs apart from the record
 * processor: digesting costs the data path nothing.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'crypto';
import type { Readable } from 'stream';
import { DynamoObjectRecords } from './lib/archive/aws';
import { chainOf } from './lib/archive/digest';
import type { ObjectRecords } from './lib/archive/ports';
import { InvalidInputError } from './lib/errors';

export interface ObjectCreatedEvent {
  readonly time: string;
  readonly detail: {
    readonly bucket: { readonly name: string };
    readonly object: { readonly key: string; readonly size?: number; readonly 'version-id'?: string };
  };
}

/**
 * The object's key from the event's key. S3 URL-encodes keys in its notifications (space as `+`);
 * its EventBridge events are not documented either way. Archive keys never hold `%`, `+` or a
 * space, so a key with `%` or `+` is an encoded one and decoding it is unambiguous.
 */
export function objectKeyOf(eventKey: string): string {
  if (!/[%+]/.test(eventKey)) return eventKey;
  try {
    return decodeURIComponent(eventKey.replaceAll('+', ' '));
  } catch (cause) {
    throw new InvalidInputError('detail.object.key', eventKey, 'is not a URL-encoded object key', { cause });
  }
}

export async function recordArchiveObject(event: ObjectCreatedEvent, deps: { s3: S3Client; records: ObjectRecords }): Promise<{ chain?: string; key: string }> {
  const eventKey = event.detail?.object?.key;
  if (typeof eventKey !== 'string' || eventKey === '') throw new InvalidInputError('detail.object.key', eventKey, 'is not an object key');
  const key = objectKeyOf(eventKey);
  const chain = chainOf(key);
  // Digests themselves, and anything outside logs/, errors/ and the departure manifests, are not digested.
  if (!chain) return { key };
  // Present for a versioned bucket (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html): the digest names the version it hashed.
  const versionId = event.detail.object['version-id'];
  const object = await deps.s3.send(new GetObjectCommand({ Bucket: event.detail.bucket.name, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of object.Body as Readable) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  await deps.records.record(chain, Date.parse(event.time), { key, size, sha256: hash.digest('hex'), ...(versionId ? { versionId } : {}) });
  return { chain, key };
}

let deps: { s3: S3Client; records: ObjectRecords } | undefined;

export async function handler(event: ObjectCreatedEvent): Promise<{ chain?: string; key: string }> {
  deps ??= { s3: new S3Client({}), records: new DynamoObjectRecords(new DynamoDBClient({})) };
  return recordArchiveObject(event, deps);
}
