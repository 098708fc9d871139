/**
 * Verifies the archive against what must exist, not only against what is there. For every chain
 * the deployment must have (each governed region, `errors`, `departures`) and every chain found:
 * - trust: the chain's genesis digest names the pinned key (its fingerprint); a rotation digest,
 *   signed by the key before it, hands trust to the next key; nothing else is trusted;
 * - every digest: its signature, where it is stored (its own signed chain, kind and hour), and that
 *   it was written once (a second version of a digest key is a rewrite);
 * - the chain: each digest names its predecessor's key, hash and signature and starts where it
 *   ended, from the genesis to now minus the delivery lag (missing hours at the end are a problem);
 * - every listed object: present, same size and hash, and the listed version still the current
 *   one; then every object of a proven hour that no digest lists;
 * - every departure manifest: signed by a trusted key, its history unchanged.
 * A window (`from`, `to`) limits which problems are reported, never what is checked to reach it:
 * the whole chain is walked, so a window that starts inside a gap names the gap. Read-only.
 */
import type { KeyObject } from 'crypto';
import {
  chainFolder,
  chainOf,
  chainPrefix,
  DEPARTURES_CHAIN,
  DIGEST_PREFIX,
  digestKey,
  hourOfKey,
  HOUR_MS,
  publicKeyOf,
  sha256Hex,
  SIGNATURE_METADATA,
  storedKeyOf,
  verifyWithPublicKey,
  type Digest,
} from './digest';
import { checkDepartureManifest } from './departure';
import type { ArchiveStore, ObjectVersion } from './ports';

export const PROBLEM_KINDS = [
  'chain-missing',
  'genesis-missing',
  'untrusted-key',
  'bad-signature',
  'digest-misplaced',
  'digest-rewritten',
  'chain-broken',
  'tail-missing',
  'object-missing',
  'object-modified',
  'object-overwritten',
  'not-digested',
  'history-changed',
] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

export interface Problem {
  readonly kind: ProblemKind;
  readonly chain: string;
  readonly key: string;
  readonly detail: string;
}

/**
 * How long after an hour ends its objects are recorded and its digest written: Firehose buffers
 * up to 900 s, the writer runs ten minutes past the hour and retries; two hours is the stated lag.
 */
export const DEFAULT_DELIVERY_LAG_MS = 2 * HOUR_MS;

export interface VerifyOptions {
  /** The pinned key's fingerprint (SHA-256 of its DER public key): the only key trusted to start a chain. */
  readonly trustedKey: string;
  /** The chains that must exist (digest.ts `expectedChains`). */
  readonly chains: readonly string[];
  /** The verifier's clock, in ms. */
  readonly now: number;
  /** @default DEFAULT_DELIVERY_LAG_MS */
  readonly deliveryLagMs?: number;
  /** Problems of hours from here (ms)... @default the chain's start */
  readonly from?: number;
  /** ...up to here. @default now */
  readonly to?: number;
  /** Only this chain (a region, `errors` or `departures`). @default every chain */
  readonly chain?: string;
  /** Told as each chain starts: chains started so far, of how many, and which. @default nothing */
  readonly onChain?: (started: number, total: number, chain: string) => void;
  /** Whether the report lists every object proven in the window (for `replay`). @default false */
  readonly listProven?: boolean;
}

/** An object a trusted, linked digest of the window lists, found intact, and named by no problem. */
export interface ProvenObject {
  readonly chain: string;
  readonly key: string;
  readonly versionId?: string;
  readonly size: number;
  readonly sha256: string;
  /** The hour its digest covers (ms). */
  readonly hour: number;
}

export interface ChainSummary {
  readonly chain: string;
  /** When the chain starts (its genesis), or null without one. */
  readonly genesis: string | null;
  /** The first and last hour proven in the window. */
  readonly firstHour: string | null;
  readonly lastHour: string | null;
  /** Hours proven in the window: signed by a trusted key and linked. */
  readonly hours: number;
  readonly objects: number;
  readonly bytes: number;
  readonly problems: Partial<Record<ProblemKind, number>>;
}

export interface VerifyReport {
  readonly digests: number;
  readonly objects: number;
  readonly chains: readonly ChainSummary[];
  readonly problems: readonly Problem[];
  /** With `listProven`: the window's proven objects, in chain and hour order. */
  readonly proven?: readonly ProvenObject[];
}

interface Loaded {
  readonly key: string;
  readonly digest: Digest;
  readonly bytes: Buffer;
  readonly sha256: string;
  readonly signature: string;
}

/** A problem and the hours it concerns, so that a window can select it. */
interface Found extends Problem {
  readonly from: number;
  readonly to: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;
const ORDER = { genesis: 0, rotation: 1, hour: 2 } as const;

/** The hours a digest concerns; a genesis or rotation digest, an instant, counts as its first millisecond. */
function spanOf(digest: Pick<Digest, 'startTime' | 'endTime'>): { from: number; to: number } {
  const from = Date.parse(digest.startTime);
  return { from, to: Math.max(Date.parse(digest.endTime), from + 1) };
}

function byKey(versions: readonly ObjectVersion[]): Map<string, ObjectVersion[]> {
  const grouped = new Map<string, ObjectVersion[]>();
  for (const version of versions) {
    const list = grouped.get(version.key);
    if (list) list.push(version);
    else grouped.set(version.key, [version]);
  }
  return grouped;
}

function parseDigest(bytes: Buffer): Digest | undefined {
  try {
    const digest = JSON.parse(bytes.toString('utf8')) as Digest;
    const valid =
      digest?.version === 2 &&
      ['genesis', 'hour', 'rotation'].includes(digest.kind) &&
      typeof digest.chain === 'string' &&
      !Number.isNaN(Date.parse(digest.startTime)) &&
      !Number.isNaN(Date.parse(digest.endTime)) &&
      Array.isArray(digest.objects);
    return valid ? digest : undefined;
  } catch {
    return undefined;
  }
}

/** Every digest stored in the chain's folder (`versions`, as listed): the first version of each key, in chain order. */
async function loadChain(store: ArchiveStore, chain: string, folder: readonly ObjectVersion[], found: Found[]): Promise<Loaded[]> {
  const loaded: Loaded[] = [];
  for (const [key, versions] of byKey(folder)) {
    if (!key.endsWith('.json')) continue;
    // The hour the key names (`.../yyyy/MM/dd/HH.json` or `HH-rotation.json`); a genesis names none.
    const hour = hourOfKey(`${key.replace(/(-rotation)?\.json$/, '')}/`) ?? 0;
    const real = versions.filter((v) => !v.deleteMarker);
    if (versions.length > 1) {
      const markers = versions.length - real.length;
      found.push({
        kind: 'digest-rewritten',
        chain,
        key,
        detail: `${real.length} version(s)${markers ? ` and ${markers} delete marker(s)` : ''}: a digest is written once; its first version is the one verified`,
        from: hour,
        to: hour + HOUR_MS,
      });
    }
    const stored = real[0] && (await store.get(key, real[0].versionId));
    if (!stored) continue;
    const digest = parseDigest(stored.bytes);
    if (!digest) {
      found.push({ kind: 'bad-signature', chain, key, detail: 'not a digest', from: hour, to: hour + HOUR_MS });
      continue;
    }
    if (storedKeyOf(digest) !== key) {
      found.push({
        kind: 'digest-misplaced',
        chain,
        key,
        detail: `signed as ${storedKeyOf(digest)} (chain ${digest.chain}, ${digest.kind} ${digest.startTime}), stored here`,
        from: Date.parse(digest.startTime),
        to: Date.parse(digest.endTime),
      });
      continue;
    }
    loaded.push({ key, digest, bytes: stored.bytes, sha256: sha256Hex(stored.bytes), signature: stored.metadata[SIGNATURE_METADATA] ?? '' });
  }
  return loaded.sort((a, b) => Date.parse(a.digest.startTime) - Date.parse(b.digest.startTime) || ORDER[a.digest.kind] - ORDER[b.digest.kind]);
}

interface ChainWalk {
  readonly genesis?: number;
  /** Hour digests signed by a trusted key, in order. */
  readonly proven: Loaded[];
  /** Where the chain's accepted digests end, or undefined when none was accepted. */
  readonly end?: number;
  readonly gaps: Array<readonly [number, number]>;
}

/** Trust from the pinned key through the genesis and rotations; each link and each hour's continuity. */
function walkChain(chain: string, loaded: readonly Loaded[], trustedKey: string, trusted: Map<string, KeyObject>, found: Found[]): ChainWalk {
  const proven: Loaded[] = [];
  const gaps: Array<readonly [number, number]> = [];
  const first = loaded[0];
  if (!first) return { proven, gaps };
  const genesis = first.digest.kind === 'genesis' ? first : undefined;
  const chainStart = Date.parse(first.digest.startTime);
  if (!genesis) {
    found.push({
      kind: 'genesis-missing',
      chain,
      key: `${chainFolder(chain)}genesis.json`,
      detail: "no genesis digest: the chain's start and key cannot be proven, and no digest of it is trusted",
      from: 0,
      to: Number.MAX_SAFE_INTEGER,
    });
    return { proven, gaps };
  }
  const genesisKey = genesis.digest.key;
  let key = genesisKey && genesisKey.fingerprint === trustedKey ? publicKeyOf(genesisKey) : undefined;
  if (!key) {
    found.push({
      kind: 'untrusted-key',
      chain,
      key: genesis.key,
      detail: `the chain starts with key ${genesisKey?.fingerprint ?? 'none'}${genesisKey ? ` (${genesisKey.keyArn})` : ''}, not the trusted ${trustedKey}: no digest of it is trusted`,
      from: 0,
      to: Number.MAX_SAFE_INTEGER,
    });
    return { proven, gaps, genesis: chainStart };
  }
  let fingerprint = trustedKey;
  trusted.set(fingerprint, key);
  let previous: Loaded | undefined;
  for (const current of loaded) {
    const { digest } = current;
    const { from, to } = spanOf(digest);
    if (digest.signedBy !== fingerprint || !verifyWithPublicKey(key, current.bytes, current.signature)) {
      found.push({
        kind: 'bad-signature',
        chain,
        key: current.key,
        detail:
          digest.signedBy !== fingerprint ? `signed by key ${digest.signedBy}, not the trusted ${fingerprint}` : 'the signature does not match the digest',
        from,
        to,
      });
      continue;
    }
    const link = digest.previousDigest;
    // One genesis at most is loaded: every genesis is stored under the chain's one genesis key.
    if (!previous) {
      if (current !== genesis)
        found.push({ kind: 'chain-broken', chain, key: current.key, detail: `follows ${link?.key ?? 'no digest'}, which failed its check`, from, to });
      else if (link) found.push({ kind: 'chain-broken', chain, key: current.key, detail: `the genesis digest names ${link.key} as its predecessor`, from, to });
    } else if (digest.startTime !== previous.digest.endTime) {
      // The gap and the digest after it: a window that starts or ends inside the gap names it.
      const gapFrom = Date.parse(previous.digest.endTime);
      gaps.push([gapFrom, from]);
      found.push({
        kind: 'chain-broken',
        chain,
        key: current.key,
        detail: `starts ${digest.startTime}, but the digest before it (${previous.key}) ends ${previous.digest.endTime}: a digest is missing`,
        from: gapFrom,
        to,
      });
    } else if (link?.key !== previous.key || link.sha256 !== previous.sha256 || link.signature !== previous.signature) {
      found.push({
        kind: 'chain-broken',
        chain,
        key: current.key,
        detail: `names ${link?.key ?? 'no digest'} as its predecessor, not ${previous.key} as stored`,
        from,
        to,
      });
    }
    previous = current;
    if (digest.kind === 'rotation') {
      const next = digest.key && publicKeyOf(digest.key);
      if (!next || !digest.key) {
        found.push({
          kind: 'untrusted-key',
          chain,
          key: current.key,
          detail: 'a rotation digest whose new key does not match its fingerprint: no digest after it is trusted',
          from,
          to: Number.MAX_SAFE_INTEGER,
        });
        return { proven, gaps, genesis: chainStart, end: to };
      }
      key = next;
      fingerprint = digest.key.fingerprint;
      trusted.set(fingerprint, key);
    }
    if (digest.kind === 'hour') proven.push(current);
  }
  return { proven, gaps, genesis: chainStart, ...(previous ? { end: Date.parse(previous.digest.endTime) } : {}) };
}

/**
 * Every object a proven digest of the window lists: present, same size and hash; then every
 * current object of the chain: still the version digested, or listed at all. Answers the
 * window's objects and bytes.
 */
async function checkObjects(
  store: ArchiveStore,
  chain: string,
  walk: ChainWalk,
  window: readonly Loaded[],
  current: ReadonlyMap<string, readonly ObjectVersion[]>,
  { windowFrom, lag }: { readonly windowFrom: number; readonly lag: number },
  found: Found[],
  intact: ProvenObject[],
): Promise<{ objects: number; bytes: number }> {
  const digested = new Map<string, { versionId?: string; digest: string }>();
  let objects = 0;
  let bytes = 0;
  for (const { key: digestKeyName, digest } of walk.proven) {
    for (const entry of digest.objects) digested.set(entry.key, { ...(entry.versionId ? { versionId: entry.versionId } : {}), digest: digestKeyName });
  }
  for (const { key: digestKeyName, digest } of window) {
    const from = Date.parse(digest.startTime);
    for (const entry of digest.objects) {
      objects++;
      bytes += entry.size;
      const stored = await store.get(entry.key, entry.versionId);
      if (!stored)
        found.push({
          kind: 'object-missing',
          chain,
          key: entry.key,
          detail: `listed in ${digestKeyName}${entry.versionId ? ` (version ${entry.versionId})` : ''}`,
          from,
          to: from + HOUR_MS,
        });
      else if (stored.bytes.length !== entry.size || sha256Hex(stored.bytes) !== entry.sha256)
        found.push({
          kind: 'object-modified',
          chain,
          key: entry.key,
          detail: `listed in ${digestKeyName} with ${entry.size} bytes, SHA-256 ${entry.sha256}`,
          from,
          to: from + HOUR_MS,
        });
      else
        intact.push({ chain, key: entry.key, ...(entry.versionId ? { versionId: entry.versionId } : {}), size: entry.size, sha256: entry.sha256, hour: from });
    }
  }
  const provenFrom = walk.genesis ?? 0;
  const provenTo = walk.end ?? 0;
  for (const [objectKey, versions] of current) {
    if (chainOf(objectKey) !== chain) continue;
    const listed = digested.get(objectKey);
    const latest = versions.at(-1)!;
    const hour = hourOfKey(objectKey);
    const from = hour ?? windowFrom;
    if (listed?.versionId) {
      if (latest.deleteMarker)
        found.push({
          kind: 'object-missing',
          chain,
          key: objectKey,
          detail: `a delete marker hides version ${listed.versionId}, which ${listed.digest} lists`,
          from,
          to: from + HOUR_MS,
        });
      else if (latest.versionId !== listed.versionId)
        found.push({
          kind: 'object-overwritten',
          chain,
          key: objectKey,
          detail: `version ${latest.versionId} replaces version ${listed.versionId}, which ${listed.digest} lists`,
          from,
          to: from + HOUR_MS,
        });
      continue;
    }
    if (listed || latest.deleteMarker || hour === undefined) continue;
    // Objects of a proven hour, old enough to have been recorded; those in a gap or the tail are reported by it.
    if (hour < provenFrom || hour + lag >= provenTo || walk.gaps.some(([gapFrom, gapTo]) => hour >= gapFrom && hour < gapTo)) continue;
    found.push({ kind: 'not-digested', chain, key: objectKey, detail: 'no digest lists it', from: hour, to: hour + HOUR_MS });
  }
  return { objects, bytes };
}

export async function verifyArchive(store: ArchiveStore, options: VerifyOptions): Promise<VerifyReport> {
  const lag = options.deliveryLagMs ?? DEFAULT_DELIVERY_LAG_MS;
  const windowFrom = options.from ?? 0;
  const windowTo = options.to ?? Number.MAX_SAFE_INTEGER;
  const inWindow = (from: number, to: number) => from < windowTo && to > windowFrom;
  const expectedEnd = Math.min(floorHour(options.now - lag), windowTo);
  const found: Found[] = [];
  const trusted = new Map<string, KeyObject>();
  // One listing of every digest version, by the chain folder it lies in.
  const stored = new Map<string, ObjectVersion[]>();
  for (const version of await store.versions(options.chain ? chainFolder(options.chain) : `${DIGEST_PREFIX}chain=`)) {
    const folder = /^digests\/chain=([^/]+)\//.exec(version.key)?.[1];
    if (folder === undefined) continue;
    const list = stored.get(folder);
    if (list) list.push(version);
    else stored.set(folder, [version]);
  }
  const chains = options.chain ? [options.chain] : [...new Set([...options.chains, ...stored.keys()])];
  const summaries: ChainSummary[] = [];
  const intact: ProvenObject[] = [];
  let digests = 0;
  let objects = 0;

  for (const [i, chain] of chains.entries()) {
    options.onChain?.(i + 1, chains.length, chain);
    const before = found.length;
    const loaded = await loadChain(store, chain, stored.get(chain) ?? [], found);
    const walk = walkChain(chain, loaded, options.trustedKey, trusted, found);
    digests += loaded.filter((l) => {
      const { from, to } = spanOf(l.digest);
      return inWindow(from, to);
    }).length;
    const current = byKey(await store.versions(chainPrefix(chain)));
    if (loaded.length === 0 && options.chains.includes(chain) && found.length === before) {
      found.push({
        kind: 'chain-missing',
        chain,
        key: chainFolder(chain),
        detail: `no digest at all: the chain must exist, and ${current.size} object(s) under ${chainPrefix(chain)} are unproven`,
        from: 0,
        to: Number.MAX_SAFE_INTEGER,
      });
    }
    if (walk.end !== undefined && walk.end < expectedEnd) {
      const missing = Math.ceil((expectedEnd - walk.end) / HOUR_MS);
      found.push({
        kind: 'tail-missing',
        chain,
        key: digestKey(chain, walk.end),
        detail: `the newest digest ends ${iso(walk.end)}; ${missing} hour(s) up to ${iso(expectedEnd)} (now less the ${lag / HOUR_MS} h delivery lag) have none: the writer stopped, or digests were deleted`,
        from: walk.end,
        to: expectedEnd,
      });
    }

    const window = walk.proven.filter((l) => inWindow(Date.parse(l.digest.startTime), Date.parse(l.digest.endTime)));
    const { objects: chainObjects, bytes } = await checkObjects(store, chain, walk, window, current, { windowFrom, lag }, found, intact);

    if (chain === DEPARTURES_CHAIN) {
      for (const { key: manifestKey } of await store.list(chainPrefix(chain))) {
        if (!manifestKey.endsWith('.json')) continue;
        for (const problem of await checkDepartureManifest(store, manifestKey, trusted))
          found.push({ ...problem, chain, from: windowFrom, to: windowFrom + 1 });
      }
    }

    const kinds: Partial<Record<ProblemKind, number>> = {};
    for (const problem of found.slice(before)) if (inWindow(problem.from, problem.to)) kinds[problem.kind] = (kinds[problem.kind] ?? 0) + 1;
    objects += chainObjects;
    summaries.push({
      chain,
      genesis: walk.genesis === undefined ? null : iso(walk.genesis),
      firstHour: window[0]?.digest.startTime ?? null,
      lastHour: window.at(-1)?.digest.startTime ?? null,
      hours: window.length,
      objects: chainObjects,
      bytes,
      problems: kinds,
    });
  }
  const problems = found.filter((p) => inWindow(p.from, p.to)).map(({ kind, chain, key, detail }) => ({ kind, chain, key, detail }));
  if (!options.listProven) return { digests, objects, chains: summaries, problems };
  const named = new Set(found.map((p) => p.key));
  return { digests, objects, chains: summaries, problems, proven: intact.filter((o) => !named.has(o.key)) };
}
