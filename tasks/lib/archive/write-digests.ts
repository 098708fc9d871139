/**
 * Writes a chain's digests up to `now`: one per whole hour since the chain's last digest (an hour
 * with nothing recorded still gets one), each naming its predecessor and signed.
 */
import { digestBytes, digestKey, HOUR_MS, sha256Hex, SIGNATURE_METADATA, SIGNING_ALGORITHM, type Digest } from './digest';
import type { ArchiveStore, DigestSigner, ObjectRecords } from './ports';

export interface DigestWriterPorts {
  readonly store: ArchiveStore;
  readonly records: ObjectRecords;
  readonly signer: DigestSigner;
}

/**
 * Digests of `chain` for every hour that ended at or before `now` and is not digested yet. A new
 * chain starts at `firstHour`. Answers the keys written.
 */
export async function writeDigests(ports: DigestWriterPorts, chain: string, now: number, firstHour: number): Promise<string[]> {
  const written: string[] = [];
  let head = await ports.records.head(chain);
  let start = head?.endTime ?? Math.floor(firstHour / HOUR_MS) * HOUR_MS;
  while (start + HOUR_MS <= now) {
    const end = start + HOUR_MS;
    const digest: Digest = {
      version: 1,
      chain,
      startTime: new Date(start).toISOString(),
      endTime: new Date(end).toISOString(),
      objects: await ports.records.recorded(chain, start, end),
      previousDigest: head ? { key: head.key, sha256: head.sha256, signature: head.signature } : null,
    };
    const bytes = digestBytes(digest);
    const signature = await ports.signer.sign(bytes);
    const key = digestKey(chain, start);
    await ports.store.put(key, bytes, { [SIGNATURE_METADATA]: signature, 'signing-algorithm': SIGNING_ALGORITHM });
    head = { key, sha256: sha256Hex(bytes), signature, endTime: end };
    await ports.records.setHead(chain, head);
    written.push(key);
    start = end;
  }
  return written;
}
