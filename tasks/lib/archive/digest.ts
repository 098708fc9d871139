/**
 * Integrity digests of the archive, after CloudTrail's digest files
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html):
 * every hour, per chain (a governed region's `logs/region=R/`, `errors/`, and the departure
 * manifests under `digests/departures/`), one JSON document listing each object recorded in the
 * hour with its SHA-256 and version, naming the previous digest with its hash and signature,
 * signed with an asymmetric KMS key and stored under `digests/`, under the archive's Object Lock.
 * An hour with nothing still gets its digest, so a gap is visible.
 *
 * A chain starts with a signed genesis digest: the hour it starts and the public key that signs
 * it, so a verifier knows what must exist from when, and which key to trust (pinned by its
 * fingerprint). A key rotation is a digest of its own, signed by the old key, naming the new one.
 *
 * Where it differs from CloudTrail: the signature is over the SHA-256 of the digest file itself
 * (ECDSA P-256), with the previous digest's key, hash and signature inside the signed file rather
 * than in a separate string to sign; each entry also carries the object's size and version id; and
 * the digest lists objects by when they were recorded, whatever hour their key names, so an object
 * delivered late is still digested (in the next digest).
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'crypto';

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

/** A signing key's public half, as a genesis or rotation digest carries it. */
export interface DigestKeyIdentity {
  readonly keyArn: string;
  /** SHA-256 (hex) of the DER SubjectPublicKeyInfo: what a verifier pins. */
  readonly fingerprint: string;
  /** The DER SubjectPublicKeyInfo, base64 (KMS GetPublicKey's `PublicKey`). */
  readonly publicKey: string;
}

/** `genesis`: a chain's start; `hour`: one hour's objects; `rotation`: the signing key changes. */
export type DigestKind = 'genesis' | 'hour' | 'rotation';

export interface Digest {
  readonly version: 2;
  readonly kind: DigestKind;
  /** A governed region, `errors` or `departures`. */
  readonly chain: string;
  /** An hour's bounds; a genesis or rotation digest starts and ends at the same instant. */
  readonly startTime: string;
  readonly endTime: string;
  readonly objects: readonly DigestEntry[];
  /** Null only for a genesis digest. */
  readonly previousDigest: DigestLink | null;
  /** The fingerprint of the key that signs this digest. */
  readonly signedBy: string;
  /** Genesis: the chain's key; rotation: the key that signs every digest after this one. */
  readonly key?: DigestKeyIdentity;
}

export const DIGEST_PREFIX = 'digests/';
export const DEPARTURE_PREFIX = `${DIGEST_PREFIX}departures/`;
export const HOUR_MS = 3_600_000;
/** The signature travels with the digest as S3 object metadata, as CloudTrail's does. */
export const SIGNATURE_METADATA = 'signature';
export const SIGNING_ALGORITHM = 'ECDSA_SHA_256';
/** The chains besides one per governed region. */
export const ERRORS_CHAIN = 'errors';
export const DEPARTURES_CHAIN = 'departures';

const pad = (n: number) => String(n).padStart(2, '0');

/** The chains a deployment must have: one per governed region, `errors` and `departures`. */
export function expectedChains(regions: readonly string[]): string[] {
  return [...regions, ERRORS_CHAIN, DEPARTURES_CHAIN];
}

/** Where a chain's digests are stored. */
export function chainFolder(chain: string): string {
  return `${DIGEST_PREFIX}chain=${chain}/`;
}

/** `digests/chain=eu-west-1/2026/11/30/14.json`: the hour the digest covers. */
export function digestKey(chain: string, hourStart: number): string {
  const d = new Date(hourStart);
  return `${chainFolder(chain)}${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${pad(d.getUTCHours())}.json`;
}

/** Where a digest must be stored, from its own signed chain, kind and start. */
export function storedKeyOf(digest: Pick<Digest, 'chain' | 'kind' | 'startTime'>): string {
  if (digest.kind === 'genesis') return `${chainFolder(digest.chain)}genesis.json`;
  const hourly = digestKey(digest.chain, Date.parse(digest.startTime));
  return digest.kind === 'rotation' ? hourly.replace(/\.json$/, '-rotation.json') : hourly;
}

/** The objects of a chain: where they live in the archive. */
export function chainPrefix(chain: string): string {
  if (chain === ERRORS_CHAIN) return 'errors/';
  if (chain === DEPARTURES_CHAIN) return DEPARTURE_PREFIX;
  return `logs/region=${chain}/`;
}

/** The chain an archive key belongs to, or undefined for keys outside the digested data (digests themselves). */
export function chainOf(key: string): string | undefined {
  const region = /^logs\/region=([a-z0-9-]+)\//.exec(key)?.[1];
  if (region) return region;
  if (key.startsWith('errors/')) return ERRORS_CHAIN;
  if (key.startsWith(DEPARTURE_PREFIX)) return DEPARTURES_CHAIN;
  return undefined;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The digest as stored: canonical JSON (fixed key order, objects sorted by key, then version: one key may be listed in two versions). */
export function digestBytes(digest: Digest): Buffer {
  const objects = [...digest.objects]
    .sort((a, b) => compare(a.key, b.key) || compare(a.versionId ?? '', b.versionId ?? ''))
    .map((o) => ({ key: o.key, ...(o.versionId ? { versionId: o.versionId } : {}), size: o.size, sha256: o.sha256 }));
  const ordered = {
    version: digest.version,
    kind: digest.kind,
    chain: digest.chain,
    startTime: digest.startTime,
    endTime: digest.endTime,
    objects,
    previousDigest: digest.previousDigest,
    signedBy: digest.signedBy,
    ...(digest.key ? { key: { keyArn: digest.key.keyArn, fingerprint: digest.key.fingerprint, publicKey: digest.key.publicKey } } : {}),
  };
  return Buffer.from(`${JSON.stringify(ordered)}\n`, 'utf8');
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** What is signed: the SHA-256 of the digest file (KMS Sign, MessageType DIGEST). */
export function signingHash(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

/** A key's fingerprint: SHA-256 (hex) of its DER SubjectPublicKeyInfo. */
export function keyFingerprint(publicKeyDer: Uint8Array): string {
  return sha256Hex(publicKeyDer);
}

/** The public key a genesis or rotation digest names, when its fingerprint is that of its bytes. */
export function publicKeyOf(identity: DigestKeyIdentity): KeyObject | undefined {
  const der = Buffer.from(identity.publicKey, 'base64');
  if (keyFingerprint(der) !== identity.fingerprint) return undefined;
  try {
    return createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

/** The arrival hour an archive key names (`.../yyyy/MM/dd/HH/...`), in ms. */
export function hourOfKey(key: string): number | undefined {
  const match = /\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\//.exec(key);
  return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4])) : undefined;
}

/** ECDSA-SHA256 verification of a base64 signature with a public key; a malformed signature is not valid. */
export function verifyWithPublicKey(publicKey: KeyObject, bytes: Buffer, signature: string): boolean {
  try {
    return verify('sha256', bytes, publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
