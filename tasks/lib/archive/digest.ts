/**
 * Integrity digests of the archive, after CloudTrail's digest files
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html):
 * every hour, per chain (a governed region's `logs/region=R/`, and `errors/`), one JSON document
 * listing each object recorded in the hour with its SHA-256, naming the previous digest with its
 * hash and signature, signed with an asymmetric KMS key and stored under `digests/`, under the
 * archive's Object Lock. An hour with nothing still gets its digest, so a gap is visible.
 *
 * Where it differs from CloudTrail: the signature is over the SHA-256 of the digest file itself
 * (ECDSA P-256), with the previous digest's key, hash and signature inside the signed file rather
 * than in a separate string to sign; each entry also carries the object's size and version id; and
 * the digest lists objects by when they were recorded, whatever hour their key names, so an object
 * delivered late is still digested (in the next digest).
 */
import { createHash } from 'crypto';

export interface DigestEntry {
  readonly key: string;
  readonly versionId?: string;
  readonly size: number;
  readonly sha256: string;
}

export interface DigestLink {
  readonly key: string;
  readonly sha256: string;
  readonly signature: string;
}

export interface Digest {
  readonly version: 1;
  /** A governed region, or `errors`. */
  readonly chain: string;
  readonly startTime: string;
  readonly endTime: string;
  readonly objects: readonly DigestEntry[];
  /** Null only for a chain's first digest. */
  readonly previousDigest: DigestLink | null;
}

export const DIGEST_PREFIX = 'digests/';
export const HOUR_MS = 3_600_000;
/** The signature travels with the digest as S3 object metadata, as CloudTrail's does. */
export const SIGNATURE_METADATA = 'signature';
export const SIGNING_ALGORITHM = 'ECDSA_SHA_256';

const pad = (n: number) => String(n).padStart(2, '0');

/** `digests/chain=eu-west-1/2026/11/30/14.json`: the hour the digest covers. */
export function digestKey(chain: string, hourStart: number): string {
  const d = new Date(hourStart);
  return `${DIGEST_PREFIX}chain=${chain}/${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${pad(d.getUTCHours())}.json`;
}

/** The chain an archive key belongs to, or undefined for keys outside the archive's data (digests themselves). */
export function chainOf(key: string): string | undefined {
  const region = /^logs\/region=([a-z0-9-]+)\//.exec(key)?.[1];
  if (region) return region;
  if (key.startsWith('errors/')) return 'errors';
  return undefined;
}

/** The digest as stored: canonical JSON (fixed key order, objects sorted by key). */
export function digestBytes(digest: Digest): Buffer {
  const objects = [...digest.objects].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((o) => ({ key: o.key, ...(o.versionId ? { versionId: o.versionId } : {}), size: o.size, sha256: o.sha256 }));
  const ordered = { version: digest.version, chain: digest.chain, startTime: digest.startTime, endTime: digest.endTime, objects, previousDigest: digest.previousDigest };
  return Buffer.from(`${JSON.stringify(ordered)}\n`, 'utf8');
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** What is signed: the SHA-256 of the digest file (KMS Sign, MessageType DIGEST). */
export function signingHash(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}
