/**
 * Departure manifests: when an account leaves, what the archive held of it, signed like a digest
 * and kept under `digests/departures/` (Object Lock; the `departures` chain digests each one), so
 * its history can be proven later. Per prefix (`logs/region=R/account=A/`): how many objects, how
 * many bytes, the first and last arrival hour, and a SHA-256 over the sorted list of keys and
 * sizes, which the verifier recomputes. Written from the bucket listing: the signer never reads a
 * log.
 */
import { createHash, type KeyObject } from 'crypto';
import { DEPARTURE_PREFIX, hourOfKey, sha256Hex, SIGNATURE_METADATA, SIGNING_ALGORITHM, verifyWithPublicKey } from './digest';
import type { ArchiveStore, DigestSigner } from './ports';

export interface DeparturePrefix {
  readonly prefix: string;
  readonly objects: number;
  readonly bytes: number;
  readonly firstHour: string | null;
  readonly lastHour: string | null;
  /** SHA-256 over `key size\n` of every object, in key order. */
  readonly listSha256: string;
}

export interface DepartureManifest {
  readonly version: 2;
  readonly account: string;
  readonly departedAt: string;
  readonly writtenAt: string;
  readonly prefixes: readonly DeparturePrefix[];
  /** The fingerprint of the key that signs it. */
  readonly signedBy: string;
}

async function summarize(store: ArchiveStore, prefix: string, until: number): Promise<DeparturePrefix> {
  const list = createHash('sha256');
  let objects = 0;
  let bytes = 0;
  let first: number | undefined;
  let last: number | undefined;
  for (const { key, size } of await store.list(prefix)) {
    const hour = hourOfKey(key);
    if (hour !== undefined && hour > until) continue;
    objects++;
    bytes += size;
    if (hour !== undefined) {
      first = Math.min(first ?? hour, hour);
      last = Math.max(last ?? hour, hour);
    }
    list.update(`${key} ${size}\n`);
  }
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  return { prefix, objects, bytes, firstHour: iso(first), lastHour: iso(last), listSha256: list.digest('hex') };
}

/** Writes and signs the manifest of `account` (its prefixes in every region listed); answers its key. */
export async function writeDepartureManifest(
  ports: { store: ArchiveStore; signer: DigestSigner },
  account: string,
  regions: readonly string[],
  departedAt: number,
  now: number,
): Promise<string> {
  const prefixes: DeparturePrefix[] = [];
  for (const region of regions) prefixes.push(await summarize(ports.store, `logs/region=${region}/account=${account}/`, departedAt));
  const { fingerprint } = await ports.signer.identity();
  const manifest: DepartureManifest = {
    version: 2,
    account,
    departedAt: new Date(departedAt).toISOString(),
    writtenAt: new Date(now).toISOString(),
    prefixes,
    signedBy: fingerprint,
  };
  const bytes = Buffer.from(`${JSON.stringify(manifest)}\n`, 'utf8');
  const key = `${DEPARTURE_PREFIX}account=${account}/${manifest.departedAt}.json`;
  await ports.store.put(key, bytes, { [SIGNATURE_METADATA]: await ports.signer.sign(bytes), 'signing-algorithm': SIGNING_ALGORITHM, sha256: sha256Hex(bytes) });
  return key;
}

export interface DepartureProblem {
  readonly kind: 'bad-signature' | 'history-changed';
  readonly key: string;
  readonly detail: string;
}

/** A manifest's signature, by a key the chains trust, and that each prefix still holds what it held when the account left. */
export async function checkDepartureManifest(store: ArchiveStore, manifestKey: string, trusted: ReadonlyMap<string, KeyObject>): Promise<DepartureProblem[]> {
  const stored = await store.get(manifestKey);
  if (!stored) return [];
  let manifest: DepartureManifest | undefined;
  try {
    manifest = JSON.parse(stored.bytes.toString('utf8')) as DepartureManifest;
  } catch {
    manifest = undefined;
  }
  const refused = (detail: string): DepartureProblem[] => [{ kind: 'bad-signature', key: manifestKey, detail }];
  if (typeof manifest !== 'object' || manifest === null || !Array.isArray(manifest.prefixes)) return refused('not a departure manifest');
  const key = trusted.get(manifest.signedBy);
  if (!key) return refused(`not signed by a trusted key (${manifest.signedBy ?? 'none named'})`);
  if (!verifyWithPublicKey(key, stored.bytes, stored.metadata[SIGNATURE_METADATA] ?? '')) return refused('the signature does not match the manifest');
  const problems: DepartureProblem[] = [];
  for (const recorded of manifest.prefixes) {
    const now = await summarize(store, recorded.prefix, Date.parse(manifest.departedAt));
    if (now.listSha256 !== recorded.listSha256 || now.objects !== recorded.objects || now.bytes !== recorded.bytes) {
      problems.push({
        kind: 'history-changed',
        key: manifestKey,
        detail: `${recorded.prefix}: ${recorded.objects} objects (${recorded.bytes} bytes) when ${manifest.account} left, ${now.objects} (${now.bytes} bytes) now`,
      });
    }
  }
  return problems;
}
