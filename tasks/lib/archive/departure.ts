/**
 * Departure manifests: when an account leaves, what the archive held of it, signed like a digest
 * and kept under `digests/departures/` (Object Lock), so its history can be proven later. Per
 * prefix (`logs/region=R/account=A/`): how many objects, how many bytes, the first and last
 * arrival hour, and a SHA-256 over the sorted list of keys and sizes, which the verifier recomputes.
 */
import { createHash } from 'crypto';
import { DIGEST_PREFIX, sha256Hex, SIGNATURE_METADATA, SIGNING_ALGORITHM } from './digest';
import type { ArchiveStore, DigestSigner, DigestVerifierKey } from './ports';
import { hourOfKey } from './verify';

export const DEPARTURE_PREFIX = `${DIGEST_PREFIX}departures/`;

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
  readonly version: 1;
  readonly account: string;
  readonly departedAt: string;
  readonly writtenAt: string;
  readonly prefixes: readonly DeparturePrefix[];
}

async function summarize(store: ArchiveStore, prefix: string, until: number): Promise<DeparturePrefix> {
  const list = createHash('sha256');
  let objects = 0;
  let bytes = 0;
  const hours: number[] = [];
  for (const key of await store.list(prefix)) {
    const hour = hourOfKey(key);
    if (hour !== undefined && hour > until) continue;
    const object = await store.get(key);
    if (!object) continue;
    objects++;
    bytes += object.bytes.length;
    if (hour !== undefined) hours.push(hour);
    list.update(`${key} ${object.bytes.length}\n`);
  }
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  return { prefix, objects, bytes, firstHour: iso(hours.length ? Math.min(...hours) : undefined), lastHour: iso(hours.length ? Math.max(...hours) : undefined), listSha256: list.digest('hex') };
}

/** Writes and signs the manifest of `account` (its prefixes in every region listed); answers its key. */
export async function writeDepartureManifest(ports: { store: ArchiveStore; signer: DigestSigner }, account: string, regions: readonly string[], departedAt: number, now: number): Promise<string> {
  const prefixes: DeparturePrefix[] = [];
  for (const region of regions) prefixes.push(await summarize(ports.store, `logs/region=${region}/account=${account}/`, departedAt));
  const manifest: DepartureManifest = { version: 1, account, departedAt: new Date(departedAt).toISOString(), writtenAt: new Date(now).toISOString(), prefixes };
  const bytes = Buffer.from(`${JSON.stringify(manifest)}\n`, 'utf8');
  const key = `${DEPARTURE_PREFIX}account=${account}/${manifest.departedAt}.json`;
  await ports.store.put(key, bytes, { [SIGNATURE_METADATA]: await ports.signer.sign(bytes), 'signing-algorithm': SIGNING_ALGORITHM, sha256: sha256Hex(bytes) });
  return key;
}

export type DepartureProblem = { readonly kind: 'bad-signature' | 'history-changed'; readonly key: string; readonly detail: string };

/** Checks every manifest's signature, and that each prefix still holds what it held when the account left. */
export async function verifyDepartureManifests(store: ArchiveStore, key: DigestVerifierKey): Promise<{ readonly manifests: number; readonly problems: DepartureProblem[] }> {
  const problems: DepartureProblem[] = [];
  const keys = (await store.list(DEPARTURE_PREFIX)).filter((k) => k.endsWith('.json'));
  for (const manifestKey of keys) {
    const stored = (await store.get(manifestKey))!;
    if (!(await key.verify(stored.bytes, stored.metadata[SIGNATURE_METADATA] ?? ''))) {
      problems.push({ kind: 'bad-signature', key: manifestKey, detail: 'the signature does not match the manifest' });
      continue;
    }
    const manifest = JSON.parse(stored.bytes.toString('utf8')) as DepartureManifest;
    for (const recorded of manifest.prefixes) {
      const now = await summarize(store, recorded.prefix, Date.parse(manifest.departedAt));
      if (now.listSha256 !== recorded.listSha256 || now.objects !== recorded.objects || now.bytes !== recorded.bytes) {
        problems.push({ kind: 'history-changed', key: manifestKey, detail: `${recorded.prefix}: ${recorded.objects} objects (${recorded.bytes} bytes) when ${manifest.account} left, ${now.objects} (${now.bytes} bytes) now` });
      }
    }
  }
  return { manifests: keys.length, problems };
}
