/**
 * Verifies the archive against its digests: every digest's signature, the chain of digests (each
 * names its predecessor's key, hash and signature; hours follow each other), and every listed
 * object's presence, size and hash; then every object of the archive that no digest lists.
 * Read-only.
 */
import { chainOf, DIGEST_PREFIX, sha256Hex, SIGNATURE_METADATA, type Digest } from './digest';
import type { ArchiveStore, DigestVerifierKey } from './ports';

export type Problem =
  | { readonly kind: 'bad-signature'; readonly key: string }
  | { readonly kind: 'chain-broken'; readonly key: string; readonly detail: string }
  | { readonly kind: 'object-missing'; readonly key: string; readonly digest: string }
  | { readonly kind: 'object-modified'; readonly key: string; readonly digest: string }
  | { readonly kind: 'not-digested'; readonly key: string };

export interface VerifyOptions {
  /** Digests covering hours from here (ms)... @default the first */
  readonly from?: number;
  /** ...up to here. @default the last */
  readonly to?: number;
  /** Only digests and objects of this chain (a region, or `errors`). @default all */
  readonly chain?: string;
}

export interface VerifyReport {
  readonly digests: number;
  readonly objects: number;
  readonly problems: readonly Problem[];
}

interface Loaded {
  readonly key: string;
  readonly digest: Digest;
  readonly sha256: string;
  readonly signature: string;
}

export async function verifyArchive(store: ArchiveStore, key: DigestVerifierKey, options: VerifyOptions = {}): Promise<VerifyReport> {
  const problems: Problem[] = [];
  const digestKeys = (await store.list(`${DIGEST_PREFIX}chain=${options.chain ? `${options.chain}/` : ''}`)).filter((k) => k.endsWith('.json'));
  const chains = new Map<string, Loaded[]>();
  for (const digestKey of digestKeys) {
    const stored = await store.get(digestKey);
    if (!stored) continue;
    const signature = stored.metadata[SIGNATURE_METADATA] ?? '';
    if (!(await key.verify(stored.bytes, signature))) {
      problems.push({ kind: 'bad-signature', key: digestKey });
      continue;
    }
    const digest = JSON.parse(stored.bytes.toString('utf8')) as Digest;
    const end = Date.parse(digest.endTime);
    if ((options.from !== undefined && end <= options.from) || (options.to !== undefined && Date.parse(digest.startTime) >= options.to)) continue;
    const loaded = { key: digestKey, digest, sha256: sha256Hex(stored.bytes), signature };
    chains.set(digest.chain, [...(chains.get(digest.chain) ?? []), loaded]);
  }

  const digested = new Set<string>();
  const newestEnd = new Map<string, number>();
  /** Windows a missing digest leaves, per chain: its objects are reported by the gap, not one by one. */
  const gaps = new Map<string, Array<[number, number]>>();
  let objects = 0;
  for (const [chain, loadedDigests] of chains) {
    loadedDigests.sort((a, b) => Date.parse(a.digest.startTime) - Date.parse(b.digest.startTime));
    newestEnd.set(chain, Date.parse(loadedDigests.at(-1)!.digest.endTime));
    loadedDigests.forEach((current, i) => {
      const previous = loadedDigests[i - 1];
      const link = current.digest.previousDigest;
      if (previous && current.digest.startTime !== previous.digest.endTime) {
        gaps.set(chain, [...(gaps.get(chain) ?? []), [Date.parse(previous.digest.endTime), Date.parse(current.digest.startTime)]]);
        problems.push({ kind: 'chain-broken', key: current.key, detail: `starts ${current.digest.startTime}, but the digest before it (${previous.key}) ends ${previous.digest.endTime}: a digest is missing` });
      } else if (previous && (link?.key !== previous.key || link.sha256 !== previous.sha256 || link.signature !== previous.signature)) {
        problems.push({ kind: 'chain-broken', key: current.key, detail: `names ${link?.key ?? 'no digest'} as its predecessor, not ${previous.key} as stored` });
      } else if (!previous && link && options.from === undefined) {
        problems.push({ kind: 'chain-broken', key: current.key, detail: `names ${link.key} as its predecessor, which is not in the archive` });
      }
    });
    for (const { key: digestKey, digest } of loadedDigests) {
      for (const entry of digest.objects) {
        objects++;
        digested.add(entry.key);
        const stored = await store.get(entry.key);
        if (!stored) problems.push({ kind: 'object-missing', key: entry.key, digest: digestKey });
        else if (stored.bytes.length !== entry.size || sha256Hex(stored.bytes) !== entry.sha256) problems.push({ kind: 'object-modified', key: entry.key, digest: digestKey });
      }
    }
  }

  // Objects the digests should list: those of a verified chain, recorded before its newest digest ended.
  for (const prefix of options.chain ? [options.chain === 'errors' ? 'errors/' : `logs/region=${options.chain}/`] : ['logs/', 'errors/']) {
    for (const objectKey of await store.list(prefix)) {
      const chain = chainOf(objectKey);
      if (!chain || digested.has(objectKey) || !newestEnd.has(chain)) continue;
      const hour = hourOfKey(objectKey);
      if (hour !== undefined && (gaps.get(chain) ?? []).some(([from, to]) => hour >= from && hour < to)) continue;
      if (hour !== undefined && hour < newestEnd.get(chain)! && (options.from === undefined || hour >= options.from) && (options.to === undefined || hour < options.to)) problems.push({ kind: 'not-digested', key: objectKey });
    }
  }
  return { digests: [...chains.values()].reduce((n, c) => n + c.length, 0), objects, problems };
}

/** The arrival hour an archive key names (`.../yyyy/MM/dd/HH/...`), in ms. */
export function hourOfKey(key: string): number | undefined {
  const match = /\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\//.exec(key);
  return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4])) : undefined;
}
