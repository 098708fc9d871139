/** A simulated organization with history in its log groups, onboarded with a backfill: shared by the backfill-region suites. */
import { gunzipSync } from 'zlib';
import { createOfflineEnvironment, type OfflineEnvironment } from '../../../sim/environment';
import type { FaultOptions } from '../../../sim/faults';
import { memberAccountId } from '../../../sim/scenario';
import type { SimLogEvent } from '../../../sim/state';
import { loadConfig, EXAMPLE_CONFIG_PATH, type TributaryConfig } from '../../../tasks/lib/config';
import type { AccountId, Region } from '../../../tasks/lib/domain';
import { archiveBucketName } from '../../../tasks/lib/resource-names';
import type { ExecutionRecord } from '../../../workflows/local/interpreter';

export const DAY = 86_400_000;
export const BACKFILL: NonNullable<TributaryConfig['backfill']> = { days: 7, categories: ['audit', 'network', 'application'], maxBytesPerAccount: 50e9 };

/** 2 KB messages with quotes, unicode and a tab: a page of FilterLogEvents (1 MB) holds about 500. */
const message = (group: string, i: number) => `${group} event ${i} "quoted" ü\t${'x'.repeat(2000)}`;

export interface World {
  readonly env: OfflineEnvironment;
  readonly accounts: readonly AccountId[];
  readonly regions: readonly Region[];
  /** Each group's events, by `account/region/group`. */
  readonly groups: readonly string[];
}

/**
 * `accounts` members, each governed region with `groups` log groups holding 8 days of history
 * (one day past the horizon), the first of them 1,200 events (three pages), the others 30.
 */
export function world(options: { accounts: number; groups: number; config?: Partial<TributaryConfig>; faults?: Partial<FaultOptions> }): World {
  const base = loadConfig(EXAMPLE_CONFIG_PATH);
  const env = createOfflineEnvironment({ config: { ...base, backfill: BACKFILL, ...options.config }, ...(options.faults ? { faults: options.faults } : {}) });
  const accounts = Array.from({ length: options.accounts }, (_, i) => memberAccountId(i) as AccountId);
  const regions = env.config.governedRegions;
  const groups: string[] = [];
  for (const account of accounts) env.state.addAccount({ id: account, name: `member-${account}`, regions, roleMissingAttempts: 0 });
  for (const account of accounts)
    for (const region of regions)
      for (let g = 0; g < options.groups; g++) {
        const name = `/app/orders-${g}/#ours.v1_x`;
        env.state.createLogGroup(account, region, name);
        groups.push(`${account}/${region}/${name}`);
        const now = env.state.tick();
        const count = g === 0 ? 1200 : 30;
        const history = Array.from({ length: count }, (_, i) => ({ timestamp: now - 8 * DAY + Math.floor((i * 8 * DAY) / count), message: message(name, i) }));
        env.state.putLogEvents(account, region, name, `stream-${g} "q"`, history);
      }
  return { env, accounts, regions, groups };
}

export function archivedIds(env: OfflineEnvironment): string[] {
  const bucket = env.state.buckets.get(archiveBucketName(env.config.accounts.logging, env.config.homeRegion))!;
  return [...bucket.objects.values()].flatMap(({ bytes }) =>
    gunzipSync(bytes)
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { id: string }).id),
  );
}

/** What must be archived by the backfill, and what live delivery must carry, per the store and each group's filter. */
export function expected(w: World): { history: string[]; live: string[] } {
  const history: string[] = [];
  const live: string[] = [];
  for (const key of w.groups) {
    const [account, region, ...rest] = key.split('/');
    const group = w.env.state.accountRegion(account!, region!).logGroups.get(rest.join('/'))!;
    const seam = [...group.filters.values()][0]!.creationTime;
    for (const e of group.events as SimLogEvent[]) {
      if (e.ingestionTime > seam) live.push(e.eventId);
      else if (e.timestamp >= seam - BACKFILL.days * DAY) history.push(e.eventId);
    }
  }
  return { history, live };
}

export async function onboard(w: World): Promise<{ onboarded: ExecutionRecord[]; backfills: readonly ExecutionRecord[] }> {
  const onboarded: ExecutionRecord[] = [];
  for (const account of w.accounts) onboarded.push(await w.env.runner.start('onboard-account', { accountId: account }));
  return { onboarded, backfills: await w.env.runner.settle() };
}
