/**
 * The archive offline: a versioned S3-like store in memory (every put a new version, deletes
 * leaving delete markers, as a versioned bucket does:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeleteMarker.html), the object records,
 * the chain heads, and a signing key made with node:crypto (ECDSA P-256, as the KMS key's
 * ECC_NIST_P256), so tests tamper with real bytes and real signatures.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'crypto';
import { gzipSync } from 'zlib';
import {
  chainOf,
  expectedChains,
  HOUR_MS,
  keyFingerprint,
  sha256Hex,
  verifyWithPublicKey,
  type DigestEntry,
  type DigestKeyIdentity,
} from '../tasks/lib/archive/digest';
import { writeDigests } from '../tasks/lib/archive/write-digests';
import type { ArchiveStore, ChainHead, ChainHeads, DigestSigner, ListedObject, ObjectRecords, ObjectVersion, StoredObject } from '../tasks/lib/archive/ports';

interface MemoryVersion extends StoredObject {
  readonly versionId: string;
  readonly deleteMarker: boolean;
}

export class MemoryArchiveStore implements ArchiveStore {
  /** Every key's versions, oldest first. */
  private readonly keys = new Map<string, MemoryVersion[]>();
  private version = 0;

  public async list(prefix: string): Promise<ListedObject[]> {
    const listed: ListedObject[] = [];
    for (const key of this.sortedKeys(prefix)) {
      const latest = this.keys.get(key)!.at(-1)!;
      if (!latest.deleteMarker) listed.push({ key, size: latest.bytes.length });
    }
    return listed;
  }

  public async versions(prefix: string): Promise<ObjectVersion[]> {
    return this.sortedKeys(prefix).flatMap((key) => {
      const versions = this.keys.get(key)!;
      return versions.map((v, i) => ({ key, versionId: v.versionId, deleteMarker: v.deleteMarker, latest: i === versions.length - 1 }));
    });
  }

  public async get(key: string, versionId?: string): Promise<StoredObject | undefined> {
    const versions = this.keys.get(key) ?? [];
    const found = versionId === undefined ? versions.at(-1) : versions.find((v) => v.versionId === versionId);
    return found && !found.deleteMarker ? found : undefined;
  }

  public async put(key: string, bytes: Buffer, metadata: Readonly<Record<string, string>>): Promise<{ versionId: string }> {
    const versionId = String(++this.version);
    this.keys.set(key, [...(this.keys.get(key) ?? []), { bytes: Buffer.from(bytes), metadata: { ...metadata }, versionId, deleteMarker: false }]);
    return { versionId };
  }

  /** DeleteObject without a version id: a delete marker hides the object; its versions stay. */
  public delete(key: string): void {
    this.keys.set(key, [...(this.keys.get(key) ?? []), { bytes: Buffer.alloc(0), metadata: {}, versionId: String(++this.version), deleteMarker: true }]);
  }

  /** Every version gone (a lock that expired, or a bucket emptied by its owner): the strongest deletion. */
  public destroy(key: string): void {
    this.keys.delete(key);
  }

  /** Current keys under `prefix`, in key order. */
  public currentKeys(prefix = ''): string[] {
    return this.sortedKeys(prefix).filter((key) => !this.keys.get(key)!.at(-1)!.deleteMarker);
  }

  private sortedKeys(prefix: string): string[] {
    return [...this.keys.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
}

export class MemoryObjectRecords implements ObjectRecords {
  private readonly records = new Map<string, Array<{ at: number; entry: DigestEntry }>>();

  public async record(chain: string, recordedAt: number, entry: DigestEntry): Promise<void> {
    const list = this.records.get(chain);
    if (list) list.push({ at: recordedAt, entry });
    else this.records.set(chain, [{ at: recordedAt, entry }]);
  }

  public async recorded(chain: string, from: number, to: number): Promise<DigestEntry[]> {
    return (this.records.get(chain) ?? []).filter((r) => r.at >= from && r.at < to).map((r) => r.entry);
  }
}

export class MemoryChainHeads implements ChainHeads {
  private readonly heads = new Map<string, ChainHead>();

  public async head(chain: string): Promise<ChainHead | undefined> {
    return this.heads.get(chain);
  }

  /** The same condition as the DynamoDB write (aws.ts): never backwards, never the same head twice. */
  public async setHead(chain: string, head: ChainHead): Promise<void> {
    const current = this.heads.get(chain);
    if (current && !(current.endTime < head.endTime || (current.endTime === head.endTime && current.key !== head.key))) {
      throw Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });
    }
    this.heads.set(chain, head);
  }
}

/** A P-256 key pair: the private half signs (as KMS Sign would), the public half verifies. */
export class LocalSigningKey implements DigestSigner {
  private readonly privateKey: KeyObject;
  public readonly publicKey: KeyObject;
  public readonly fingerprint: string;
  private readonly der: Buffer;

  public constructor(private readonly name = 'local') {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
    this.der = this.publicKey.export({ format: 'der', type: 'spki' });
    this.fingerprint = keyFingerprint(this.der);
  }

  public async sign(bytes: Buffer): Promise<string> {
    return sign('sha256', bytes, this.privateKey).toString('base64');
  }

  public async identity(): Promise<DigestKeyIdentity> {
    return { keyArn: `arn:aws:kms:local:000000000000:key/${this.name}`, fingerprint: this.fingerprint, publicKey: this.der.toString('base64') };
  }

  public verify(bytes: Buffer, signature: string): boolean {
    return verifyWithPublicKey(this.publicKey, bytes, signature);
  }
}

export interface SimulatedArchive {
  readonly store: MemoryArchiveStore;
  readonly records: MemoryObjectRecords;
  readonly heads: MemoryChainHeads;
  readonly key: LocalSigningKey;
  /** Every chain the regions call for. */
  readonly chains: string[];
  /** Just after the last digests were written. */
  readonly now: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An archive key of the `account-category` layout. */
export function archiveObjectKey(region: string, account: string, hourStart: number, name: string): string {
  const d = new Date(hourStart);
  return `logs/region=${region}/account=${account}/category=audit/${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${pad(d.getUTCHours())}/${name}`;
}

/**
 * A simulated archive: `hours` hours of deliveries in `regions`, `objectsPerHour` objects each
 * (gzip of real archive lines), recorded with their versions and digested hour by hour as the AWS
 * functions do (ten minutes past each hour), every chain from its genesis at `start`.
 */
export async function simulatedArchive(options: {
  regions: readonly string[];
  hours: number;
  objectsPerHour: number;
  start?: number;
  key?: LocalSigningKey;
  /** An object's lines (archive line format, newline-ended). @default one line naming the object */
  lines?: (at: number, hour: number, index: number) => string;
}): Promise<SimulatedArchive> {
  const start = options.start ?? Date.UTC(2026, 10, 30);
  const store = new MemoryArchiveStore();
  const records = new MemoryObjectRecords();
  const heads = new MemoryChainHeads();
  const key = options.key ?? new LocalSigningKey();
  const chains = expectedChains(options.regions);
  const ports = { store, records, heads, signer: key };
  for (const chain of chains) await writeDigests(ports, chain, start, start);
  for (let hour = 0; hour < options.hours; hour++) {
    const at = start + hour * HOUR_MS;
    for (const region of options.regions) {
      for (let i = 0; i < options.objectsPerHour; i++) {
        const objectKey = archiveObjectKey(region, String(100000000001 + (i % 50)), at, `tributary-central-logging-${hour}-${i}.gz`);
        const bytes = gzipSync(
          options.lines?.(at, hour, i) ??
            `{"timestamp":${at + i},"logGroup":"/aws/lambda/app","logStream":"s","id":"${at}${i}","message":"object ${i} of hour ${hour}"}\n`,
        );
        const { versionId } = await store.put(objectKey, bytes, {});
        await records.record(chainOf(objectKey)!, at + 1_000 + i, { key: objectKey, versionId, size: bytes.length, sha256: sha256Hex(bytes) });
      }
    }
    for (const chain of chains) await writeDigests(ports, chain, at + HOUR_MS + 600_000, start);
  }
  return { store, records, heads, key, chains, now: start + options.hours * HOUR_MS + 600_000 };
}
