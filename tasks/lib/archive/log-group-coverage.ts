/**
 * Per log group, what the proven archive holds (`tributary verify --log-groups`, issue #23): its
 * earliest archived event, how much of it the backfill wrote, and whether the backfill reached its
 * horizon, which the backfill states with an object of its own once a group's history is all
 * archived (tasks/lib/backfill.ts `backfillCompleteKey`). Only objects a trusted, linked digest
 * proves are read, so every answer is as strong as the chain.
 */
import { gunzipSync } from 'zlib';
import { backfillGroupHash, backfillGroupHashOf } from '../backfill';
import type { ArchiveStore } from './ports';
import type { ProvenObject } from './verify';

export interface LogGroupCoverage {
  readonly region: string;
  readonly account: string;
  /** The group's name, as its lines give it; null for a group whose backfill completed with no event archived. */
  readonly logGroup: string | null;
  /** How backfill keys name the group. */
  readonly groupHash: string;
  readonly events: number;
  /** The earliest event's own timestamp (ms), or null without an event. */
  readonly earliestEvent: number | null;
  readonly backfilledEvents: number;
  readonly earliestBackfilled: number | null;
  /** A proven object says the group's backfill reached its horizon. */
  readonly backfillComplete: boolean;
}

const REGION_ACCOUNT = /^logs\/region=([a-z0-9-]+)\/account=(\d{12})\//;

interface Tally {
  region: string;
  account: string;
  logGroup: string | null;
  groupHash: string;
  events: number;
  earliestEvent: number | null;
  backfilledEvents: number;
  earliestBackfilled: number | null;
  backfillComplete: boolean;
}

const earlier = (a: number | null, b: number) => (a === null || b < a ? b : a);

export async function logGroupCoverage(store: ArchiveStore, proven: readonly ProvenObject[]): Promise<LogGroupCoverage[]> {
  const groups = new Map<string, Tally>();
  const tally = (region: string, account: string, groupHash: string, logGroup: string | null): Tally => {
    const id = `${region}/${account}/${groupHash}`;
    let found = groups.get(id);
    if (!found)
      groups.set(
        id,
        (found = {
          region,
          account,
          logGroup,
          groupHash,
          events: 0,
          earliestEvent: null,
          backfilledEvents: 0,
          earliestBackfilled: null,
          backfillComplete: false,
        }),
      );
    found.logGroup ??= logGroup;
    return found;
  };
  for (const object of proven) {
    const [, region, account] = REGION_ACCOUNT.exec(object.key) ?? [];
    if (!region || !account) continue;
    if (object.key.endsWith('-complete.gz')) {
      const hash = backfillGroupHashOf(object.key);
      if (hash) tally(region, account, hash, null).backfillComplete = true;
      continue;
    }
    const stored = await store.get(object.key, object.versionId);
    if (!stored) continue;
    for (const line of gunzipSync(stored.bytes).toString('utf8').split('\n')) {
      if (line === '') continue;
      const { logGroup, timestamp, backfilled } = JSON.parse(line) as { logGroup?: unknown; timestamp?: unknown; backfilled?: unknown };
      // Every line the processor writes has both; a line without them names no group.
      if (typeof logGroup !== 'string' || typeof timestamp !== 'number') continue;
      const group = tally(region, account, backfillGroupHash(logGroup), logGroup);
      group.events++;
      group.earliestEvent = earlier(group.earliestEvent, timestamp);
      if (backfilled === true) {
        group.backfilledEvents++;
        group.earliestBackfilled = earlier(group.earliestBackfilled, timestamp);
      }
    }
  }
  return [...groups.values()].sort((a, b) => `${a.region}/${a.account}/${a.logGroup ?? ''}`.localeCompare(`${b.region}/${b.account}/${b.logGroup ?? ''}`));
}
