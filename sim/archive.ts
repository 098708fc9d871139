/**
 * The archive offline: an S3-like store in memory (versioned keys, metadata), the object records,
 * and a signing key made with node:crypto (ECDSA P-256, as the KMS key's ECC_NIST_P256), so tests
 * tamper with real bytes and real signatures.
 */
import { generateKeyPairSync, sign, verify, type KeyObject } from 'crypto';
import type { DigestEntry } from '../tasks/lib/archive/digest';
import type { ArchiveStore, DigestSigner, DigestVerifierKey, ObjectRecords, StoredObject } from '../tasks/lib/archive/ports';

export class MemoryArchiveStore implements ArchiveStore {
  public readonly objects = new Map<string, StoredObject>();
  private version = 0;

  public async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  public async get(key: string): Promise<StoredObject | undefined> {
    return this.objects.get(key);
  }

  public async put(key: string, bytes: Buffer, metadata: Readonly<Record<string, string>>): Promise<void> {
    this.objects.set(key, { bytes: Buffer.from(bytes), metadata: { ...metadata }, versionId: String(++this.version) });
  }
}

export class MemoryObjectRecords implements ObjectRecords {
  private readonly records = new Map<string, Array<{ at: number; entry: DigestEntry }>>();
  private readonly heads = new Map<string, { key: string; sha256: string; signature: string; endTime: number }>();

  public async record(chain: string, recordedAt: number, entry: DigestEntry): Promise<void> {
    this.records.set(chain, [...(this.records.get(chain) ?? []), { at: recordedAt, entry }]);
  }

  public async recorded(chain: string, from: number, to: number): Promise<DigestEntry[]> {
    return (this.records.get(chain) ?? []).filter((r) => r.at >= from && r.at < to).map((r) => r.entry);
  }

  public async head(chain: string) {
    return this.heads.get(chain);
  }

  public async setHead(chain: string, head: { key: string; sha256: string; signature: string; endTime: number }): Promise<void> {
    this.heads.set(chain, head);
  }
}

/** A P-256 key pair: the private half signs (as KMS Sign would), the public half verifies. */
export class LocalSigningKey implements DigestSigner, DigestVerifierKey {
  private readonly privateKey: KeyObject;
  public readonly publicKey: KeyObject;

  public constructor() {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  public async sign(bytes: Buffer): Promise<string> {
    return sign('sha256', bytes, this.privateKey).toString('base64');
  }

  public async verify(bytes: Buffer, signature: string): Promise<boolean> {
    return verifyWithPublicKey(this.publicKey, bytes, signature);
  }
}

/** ECDSA-SHA256 verification with a public key (KMS GetPublicKey gives it as DER SPKI). */
export function verifyWithPublicKey(publicKey: KeyObject, bytes: Buffer, signature: string): boolean {
  try {
    return verify('sha256', bytes, publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
