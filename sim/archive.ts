/**
 * The archive offline: an S3-like store in memory (versioned keys, metadata), the object records,
 * and a signing key made with node:crypto (ECDSA P-256, as the KMS key's ECC_NIST_P256), so tests
 * tamper with real bytes and real signatures.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'crypto';
import { gzipSync } from 'zlib';
import { chainOf, HOUR_MS, sha256Hex, type DigestEntry } from '../tasks/lib/archive/digest';
import { writeDigests } from '../tasks/lib/archive/write-digests';
import type { ArchiveStore, DigestSigner, DigestVerifierKey, ObjectRecords, StoredObject } from '../tasks/lib/archive/ports';
import { verifyWithPublicKey } from '../tasks/lib/archive/aws';

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


/**
 * A simulated archive: `hours` hours of deliveries in `regions`, `objectsPerHour` objects each
 * (gzip of real archive lines), recorded and digested hour by hour as the AWS functions do.
 */
export async function simulatedArchive(options: { regions: readonly string[]; hours: number; objectsPerHour: number; start?: number }): Promise<{ store: MemoryArchiveStore; key: LocalSigningKey }> {
  const start = options.start ?? Date.UTC(2026, 10, 30);
  const store = new MemoryArchiveStore();
  const records = new MemoryObjectRecords();
  const key = new LocalSigningKey();
  const pad = (n: number) => String(n).padStart(2, '0');
  for (let hour = 0; hour < options.hours; hour++) {
    const at = start + hour * HOUR_MS;
    const d = new Date(at);
    for (const region of options.regions) {
      for (let i = 0; i < options.objectsPerHour; i++) {
        const objectKey = `logs/region=${region}/account=${String(100000000001 + (i % 50))}/category=audit/${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${pad(d.getUTCHours())}/tributary-central-logging-${hour}-${i}.gz`;
        const bytes = gzipSync(`{"timestamp":${at + i},"logGroup":"/aws/lambda/app","logStream":"s","id":"${at}${i}","message":"object ${i} of hour ${hour}"}\n`);
        await store.put(objectKey, bytes, {});
        await records.record(chainOf(objectKey)!, at + 1_000 + i, { key: objectKey, size: bytes.length, sha256: sha256Hex(bytes) });
      }
      await writeDigests({ store, records, signer: key }, region, at + HOUR_MS, start);
    }
  }
  return { store, key };
}
