/**
 * #23's acceptance, measured: 50 accounts x 3 regions x 20 log groups, each with 7 days of
 * history, onboarded at once with `backfill.days = 7`, under AWS's rate quotas with 15% extra
 * throttling and 1% writes that fail after they apply. Onboarding starts backfill-region for each
 * account-region (asl/backfill-region.asl.json), which runs BackfillLogGroups until every group
 * is done; live events keep arriving while it reads. Every historical event must be archived
 * once and every live one delivered once (compared by event id with the simulated store), and
 * the virtual time per GB is printed beside the quota bound: FilterLogEvents takes 5 calls a
 * second per account-region (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html),
 * the account-regions proceed side by side, so the bound is the busiest account-region's pages / 5.
 */
import { gunzipSync } from 'zlib';
import { createOfflineEnvironment } from '../sim/environment';
import { memberAccountId } from '../sim/scenario';
import { loadConfig, EXAMPLE_CONFIG_PATH, type TributaryConfig } from '../tasks/lib/config';
import type { AccountId } from '../tasks/lib/domain';
import { archiveBucketName } from '../tasks/lib/resource-names';
import type { BenchFigure } from './figure';

const DAYS = 7;
const DAY_MS = 86_400_000;
const AWS_TPS = 5;

interface Shape {
  readonly accounts: number;
  readonly groups: number;
  readonly eventsPerGroup: number;
  readonly messageBytes: number;
}

/** The organization of the acceptance, and one account-region whose groups hold many pages (where the quota, not latency, sets the pace). */
const ORGANIZATION: Shape = { accounts: 50, groups: 20, eventsPerGroup: 100, messageBytes: 1_000 };
const THROUGHPUT: Shape = { accounts: 1, groups: 20, eventsPerGroup: 2_000, messageBytes: 2_000 };

export async function benchBackfill(): Promise<BenchFigure[]> {
  return [...(await run(ORGANIZATION, 'all')), ...(await run(THROUGHPUT, 'home'))];
}

async function run(shape: Shape, regionsOf: 'all' | 'home'): Promise<BenchFigure[]> {
  const backfill: TributaryConfig['backfill'] = { days: DAYS, categories: ['audit', 'network', 'application'], maxBytesPerAccount: 50e9 };
  const base = loadConfig(EXAMPLE_CONFIG_PATH);
  const env = createOfflineEnvironment({
    config: { ...base, backfill },
    faults: { throttleRate: 0.15, afterWriteFailureRate: 0.01, seed: 23 },
  });
  const regions = regionsOf === 'all' ? env.config.governedRegions : [env.config.homeRegion];
  const accounts = Array.from({ length: shape.accounts }, (_, i) => memberAccountId(i) as AccountId);
  for (const account of accounts) env.state.addAccount({ id: account, name: `member-${account}`, regions, roleMissingAttempts: 0 });
  for (const account of accounts)
    for (const region of regions)
      for (let g = 0; g < shape.groups; g++) {
        const name = `/aws/lambda/service-${g}`;
        env.state.createLogGroup(account, region, name);
        const now = env.state.tick();
        env.state.putLogEvents(
          account,
          region,
          name,
          `stream "${g}"`,
          Array.from({ length: shape.eventsPerGroup }, (_, i) => ({
            timestamp: now - DAYS * DAY_MS + 60_000 + Math.floor((i * (DAYS * DAY_MS - 120_000)) / shape.eventsPerGroup),
            message: `${i} ü ${'x'.repeat(shape.messageBytes)}`,
          })),
        );
      }
  // Live events with old timestamps keep arriving while the backfill reads.
  let live = 0;
  env.aws.interceptors.push((call) => {
    if (call.phase !== 'after' || call.operation !== 'FilterLogEvents' || live >= 10_000) return;
    live++;
    env.state.putLogEvents(call.callerAccount, call.region, String(call.input.logGroupName), 'live', [
      { timestamp: env.state.tick() - DAY_MS, message: `live ${live}` },
    ]);
  });

  const wall = process.hrtime.bigint();
  const started = env.clock.now();
  const onboarded = await env.clock.run(() => Promise.all(accounts.map((accountId) => env.runner.start('onboard-account', { accountId, regions }))));
  const backfills = await env.runner.settle();
  const seconds = (env.clock.now() - started) / 1000;
  const backfillFrom = Math.min(...backfills.map((b) => b.startedAt));
  const backfillSeconds = (Math.max(...backfills.map((b) => b.stoppedAt)) - backfillFrom) / 1000;
  // Exactly once, by event id, against the store and each group's filter.
  const bucket = env.state.buckets.get(archiveBucketName(env.config.accounts.logging, env.config.homeRegion))!;
  const archived = [...bucket.objects.values()].flatMap(({ bytes }) =>
    gunzipSync(bytes)
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { id: string }).id),
  );
  const archivedOnce = new Set(archived);
  const delivered = new Set(env.state.delivered.map((e) => e.eventId));
  let history = 0;
  let historyArchived = 0;
  let liveEvents = 0;
  let liveDelivered = 0;
  let bytes = 0;
  const pagesPerAccountRegion: number[] = [];
  for (const account of accounts)
    for (const region of regions) {
      let pages = 0;
      for (const group of env.state.accountRegion(account, region).logGroups.values()) {
        const seam = [...group.filters.values()][0]?.creationTime ?? Number.POSITIVE_INFINITY;
        let groupBytes = 0;
        for (const e of group.events ?? []) {
          if (e.ingestionTime > seam) {
            liveEvents++;
            if (delivered.has(e.eventId)) liveDelivered++;
          } else if (e.timestamp >= seam - DAYS * DAY_MS) {
            history++;
            groupBytes += Buffer.byteLength(e.message);
            if (archivedOnce.has(e.eventId)) historyArchived++;
          }
        }
        bytes += groupBytes;
        // FilterLogEvents answers at most 1 MB a page.
        pages += Math.max(1, Math.ceil(groupBytes / 1_048_576));
      }
      pagesPerAccountRegion.push(pages);
    }
  const gb = bytes / 1e9;
  const bound = Math.max(...pagesPerAccountRegion) / AWS_TPS;
  const bench = `backfill (${shape.accounts} accounts x ${regions.length} regions x ${shape.groups} groups x ${DAYS} days, ${(bytes / 1e6).toFixed(0)} MB; 15% throttling, 1% after-write failures)`;
  const faults = env.aws.ledger.faultsInjected();
  return [
    {
      bench,
      metric: 'onboardings succeeded',
      value: onboarded.filter((e) => e.status === 'SUCCEEDED').length,
      unit: 'executions',
      bound: `= ${shape.accounts}`,
    },
    {
      bench,
      metric: 'backfill-region executions succeeded',
      value: backfills.filter((e) => e.status === 'SUCCEEDED').length,
      unit: 'executions',
      bound: `= ${shape.accounts * regions.length}`,
    },
    { bench, metric: 'history events (from the horizon on)', value: history, unit: 'events' },
    { bench, metric: 'history events not archived', value: history - historyArchived, unit: 'events', bound: '= 0' },
    { bench, metric: 'archived lines that repeat an event', value: archived.length - archivedOnce.size, unit: 'lines', bound: '= 0' },
    {
      bench,
      metric: 'archived events that live delivery also carried',
      value: archived.filter((id) => delivered.has(id)).length,
      unit: 'events',
      bound: '= 0',
    },
    { bench, metric: 'live events written during the backfill, not delivered', value: liveEvents - liveDelivered, unit: 'events', bound: '= 0' },
    { bench, metric: 'virtual time, onboarding to the last backfill', value: seconds, unit: 's' },
    {
      bench,
      metric: 'virtual time per GB of messages, first backfill start to last end',
      value: backfillSeconds / gb,
      unit: 's/GB',
      bound: `<= ${((1.5 * bound) / gb).toFixed(0)} (1.5 x the quota bound ${(bound / gb).toFixed(0)}: the busiest account-region's pages / ${AWS_TPS} a s)`,
    },
    {
      bench,
      metric: 'the slowest backfill-region execution (account-regions start as their onboarding ends)',
      value: Math.max(...backfills.map((b) => b.stoppedAt - b.startedAt)) / 1000,
      unit: 's',
      bound: `quota bound ${bound.toFixed(1)} (its pages / ${AWS_TPS} a s)`,
    },
    { bench, metric: 'faults injected: throttling, after-write failures', value: (faults.throttle ?? 0) + (faults['after-write'] ?? 0), unit: 'calls' },
    { bench, metric: 'wall time', value: Number(process.hrtime.bigint() - wall) / 1e9, unit: 's' },
  ];
}
