/**
 * What the digest writer and the verifier need of the world, as ports: S3 (the archive, versioned),
 * the records of delivered objects, each chain's head, and the signing key. The AWS edges
 * implement them with S3, DynamoDB and KMS (aws.ts); the offline world with memory and
 * node:crypto (sim/archive.ts).
 */
import type { DigestEntry, DigestKeyIdentity } from './digest';

export interface StoredObject {
  readonly bytes: Buffer;
  readonly metadata: Readonly<Record<string, string>>;
  readonly versionId?: string;
}

/** A current object, as a listing shows it. */
export interface ListedObject {
  readonly key: string;
  readonly size: number;
}

/** One version of a key, or a delete marker (S3 ListObjectVersions), oldest first per key. */
export interface ObjectVersion {
  readonly key: string;
  readonly versionId: string;
  readonly deleteMarker: boolean;
  readonly latest: boolean;
}

export interface ArchiveStore {
  /** Every current object under `prefix`, in key order. */
  list(prefix: string): Promise<ListedObject[]>;
  /** Every version and delete marker under `prefix`: by key, oldest first. */
  versions(prefix: string): Promise<ObjectVersion[]>;
  /** The object (that version, or the current one), or undefined when there is none. */
  get(key: string, versionId?: string): Promise<StoredObject | undefined>;
  /** Answers the version id S3 gave the object. */
  put(key: string, bytes: Buffer, metadata: Readonly<Record<string, string>>): Promise<{ readonly versionId?: string }>;
}

/** A chain's latest digest: its key, hash, signature, end (ms) and the key that signed it. */
export interface ChainHead {
  readonly key: string;
  readonly sha256: string;
  readonly signature: string;
  readonly endTime: number;
  readonly signedBy: string;
}

/** The recorder's table: it writes, the digest writer reads. */
export interface ObjectRecords {
  /** Records an object delivered at `recordedAt` (ms) to `chain`. */
  record(chain: string, recordedAt: number, entry: DigestEntry): Promise<void>;
  /** Objects recorded in [from, to). */
  recorded(chain: string, from: number, to: number): Promise<DigestEntry[]>;
}

/** The digest writer's table of chain heads: only it reads and writes them. */
export interface ChainHeads {
  head(chain: string): Promise<ChainHead | undefined>;
  /** Refuses (throws) to move a head backwards or to the same end: two writers never extend a chain from the same head. */
  setHead(chain: string, head: ChainHead): Promise<void>;
}

export interface DigestSigner {
  /** A DER ECDSA P-256 signature (base64) of `bytes` hashed with SHA-256 (KMS: Sign with MessageType DIGEST). */
  sign(bytes: Buffer): Promise<string>;
  /** The key's ARN, fingerprint and public half (KMS GetPublicKey). */
  identity(): Promise<DigestKeyIdentity>;
}
