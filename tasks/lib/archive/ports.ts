/**
 * What the digest writer and the verifier need of the world, as ports: S3 (the archive), the
 * records of delivered objects, and the signing key. The AWS edges implement them with S3,
 * DynamoDB and KMS (archive-aws.ts); the offline world with memory and node:crypto (sim/archive.ts).
 */
import type { DigestEntry } from './digest';

export interface StoredObject {
  readonly bytes: Buffer;
  readonly metadata: Readonly<Record<string, string>>;
  readonly versionId?: string;
}

export interface ArchiveStore {
  /** Every key under `prefix`, in key order. */
  list(prefix: string): Promise<string[]>;
  /** The object, or undefined when there is none. */
  get(key: string): Promise<StoredObject | undefined>;
  put(key: string, bytes: Buffer, metadata: Readonly<Record<string, string>>): Promise<void>;
}

export interface ObjectRecords {
  /** Records an object delivered at `recordedAt` (ms) to `chain`. */
  record(chain: string, recordedAt: number, entry: DigestEntry): Promise<void>;
  /** Objects recorded in [from, to). */
  recorded(chain: string, from: number, to: number): Promise<DigestEntry[]>;
  /** The chain's latest digest: its key, hash, signature and end (ms). */
  head(chain: string): Promise<{ readonly key: string; readonly sha256: string; readonly signature: string; readonly endTime: number } | undefined>;
  setHead(chain: string, head: { readonly key: string; readonly sha256: string; readonly signature: string; readonly endTime: number }): Promise<void>;
}

export interface DigestSigner {
  /** A DER ECDSA P-256 signature (base64) of `bytes` hashed with SHA-256 (KMS: Sign with MessageType DIGEST). */
  sign(bytes: Buffer): Promise<string>;
}

export interface DigestVerifierKey {
  /** Whether `signature` (base64 DER) signs `bytes` (hashed with SHA-256). */
  verify(bytes: Buffer, signature: string): Promise<boolean>;
}
