/**
 * Writes a chain's digests up to `now`: a genesis digest when the chain has none, a rotation
 * digest (signed by the old key) when the signing key changed, then one per whole hour since the
 * chain's last digest (an hour with nothing recorded still gets one), each naming its predecessor
 * and signed.
 */
import { digestBytes, HOUR_MS, sha256Hex, SIGNATURE_METADATA, SIGNING_ALGORITHM, storedKeyOf, type Digest } from './digest';
import type { ArchiveStore, ChainHead, ChainHeads, DigestSigner, ObjectRecords } from './ports';

export interface DigestWriterPorts {
  readonly store: ArchiveStore;
  readonly records: ObjectRecords;
  readonly heads: ChainHeads;
  readonly signer: DigestSigner;
  /** During a key rotation, the key that signed the chain so far: it signs the rotation digest. */
  readonly previousSigner?: DigestSigner;
}

/** The chain was signed by a key that is neither the signer's nor a configured previous key's. */
export class DigestKeyChangedError extends Error {
  public constructor(chain: string, headKey: string, signerKey: string) {
    super(
      `chain ${chain} is signed by key ${headKey}, the signer's is ${signerKey}: a rotation needs the previous key to sign it (TRIBUTARY_PREVIOUS_DIGEST_KEY)`,
    );
    this.name = 'DigestKeyChangedError';
  }
}

async function append(ports: DigestWriterPorts, signer: DigestSigner, digest: Digest): Promise<ChainHead> {
  const bytes = digestBytes(digest);
  const signature = await signer.sign(bytes);
  const key = storedKeyOf(digest);
  await ports.store.put(key, bytes, { [SIGNATURE_METADATA]: signature, 'signing-algorithm': SIGNING_ALGORITHM });
  const head = { key, sha256: sha256Hex(bytes), signature, endTime: Date.parse(digest.endTime), signedBy: digest.signedBy };
  await ports.heads.setHead(digest.chain, head);
  return head;
}

const link = (head: ChainHead) => ({ key: head.key, sha256: head.sha256, signature: head.signature });

/**
 * Digests of `chain` for every hour that ended at or before `now` and is not digested yet. A new
 * chain starts (its genesis) at the hour of `firstHour`. Answers the keys written.
 */
export async function writeDigests(ports: DigestWriterPorts, chain: string, now: number, firstHour: number): Promise<string[]> {
  const written: string[] = [];
  const signing = await ports.signer.identity();
  let head = await ports.heads.head(chain);
  if (!head) {
    const start = new Date(Math.floor(firstHour / HOUR_MS) * HOUR_MS).toISOString();
    head = await append(ports, ports.signer, {
      version: 2,
      kind: 'genesis',
      chain,
      startTime: start,
      endTime: start,
      objects: [],
      previousDigest: null,
      signedBy: signing.fingerprint,
      key: signing,
    });
    written.push(head.key);
  } else if (head.signedBy !== signing.fingerprint) {
    const previous = await ports.previousSigner?.identity();
    if (!previous || previous.fingerprint !== head.signedBy) throw new DigestKeyChangedError(chain, head.signedBy, signing.fingerprint);
    const at = new Date(head.endTime).toISOString();
    head = await append(ports, ports.previousSigner!, {
      version: 2,
      kind: 'rotation',
      chain,
      startTime: at,
      endTime: at,
      objects: [],
      previousDigest: link(head),
      signedBy: previous.fingerprint,
      key: signing,
    });
    written.push(head.key);
  }
  while (head.endTime + HOUR_MS <= now) {
    const start = head.endTime;
    const end = start + HOUR_MS;
    head = await append(ports, ports.signer, {
      version: 2,
      kind: 'hour',
      chain,
      startTime: new Date(start).toISOString(),
      endTime: new Date(end).toISOString(),
      objects: await ports.records.recorded(chain, start, end),
      previousDigest: link(head),
      signedBy: signing.fingerprint,
    });
    written.push(head.key);
  }
  return written;
}
