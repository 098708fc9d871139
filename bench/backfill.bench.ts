/**
 * The backfill (tasks/lib/backfill.ts) of one account-region's history under AWS's rate quotas,
 * with 15% extra throttling and 1% 5xx: 20 log groups of 7 days each, backfilled side by side as
 * their own executions would be, each step a FilterLogEvents page paced by the clients' limiter.
 * Virtual time per GB of messages, beside the quota bound: FilterLogEvents takes 5 calls a second
 * per account-region (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html)
 * and the backfill reads each page once (again only after a step died before its write).
 */
import { createOfflineEnvironment } from '../sim/environment';
import { memberAccountId } from '../sim/scenario';
import { backfillStep, backfillWindow, NEW_CURSOR, type BackfillCursor, type BackfillObjects } from '../tasks/lib/backfill';
import type { AccountId } from '../tasks/lib/domain';
import { destinationArn } from '../tasks/lib/ownership';
import type { BenchFigure } from './figure';

const GROUPS = 20;
const EVENTS_PER_GROUP = 2_000;
const MESSAGE_BYTES = 2_000;
const DAY_MS = 86_400_000;
const AWS_TPS = 5;

export async function benchBackfill(): Promise<BenchFigure[]> {
  const env = createOfflineEnvironment({ faults: { throttleRate: 0.15, serverErrorRate: 0.01 } });
  const account = memberAccountId(0) as AccountId;
  const region = env.config.homeRegion;
  env.state.addAccount({ id: account, name: 'member-1', regions: env.config.governedRegions, roleMissingAttempts: 0 });
  const t0 = env.state.tick();
  const groups = Array.from({ length: GROUPS }, (_, g) => `/aws/lambda/service-${g}`);
  const creation = new Map<string, number>();
  for (const group of groups) {
    env.state.createLogGroup(account, region, group);
    env.state.putLogEvents(
      account,
      region,
      group,
      'stream',
      Array.from({ length: EVENTS_PER_GROUP }, (_, i) => ({
        timestamp: t0 - 7 * DAY_MS + Math.floor((i * 7 * DAY_MS) / EVENTS_PER_GROUP),
        message: `${i} ${'x'.repeat(MESSAGE_BYTES)}`,
      })),
    );
    const creationTime = env.state.subscribeDirectly(account, region, group, destinationArn(env.config.accounts.logging, region));
    creation.set(group, creationTime);
  }
  const written = new Set<string>();
  const objects: BackfillObjects = {
    createIfAbsent: async (key) => !written.has(key) && written.add(key) !== undefined,
    exists: async (key) => written.has(key),
  };
  const logs = await env.aws.clientFactory(env.config.accounts.orchestration, region).logs(account, region);
  const started = env.clock.now();
  const wall = process.hrtime.bigint();
  const cursors = await env.clock.run(() =>
    Promise.all(
      groups.map(async (group) => {
        let cursor: BackfillCursor = NEW_CURSOR;
        while (!cursor.done)
          cursor = await backfillStep(
            logs,
            objects,
            { account, region, logGroupName: group },
            backfillWindow(creation.get(group)!, 7),
            cursor,
            env.clock.now(),
            async () => undefined,
          );
        return cursor;
      }),
    ),
  );
  const seconds = (env.clock.now() - started) / 1000;
  const gb = cursors.reduce((n, c) => n + c.bytes, 0) / 1e9;
  const reads = cursors.reduce((n, c) => n + c.pages, 0);
  const bound = reads / AWS_TPS;
  const events = cursors.reduce((n, c) => n + c.events, 0);
  // History from the horizon on: each group's horizon is 7 days before its own filter.
  const history = groups.reduce((n, group) => {
    const window = backfillWindow(creation.get(group)!, 7);
    return (
      n +
      env.state
        .accountRegion(account, region)
        .logGroups.get(group)!
        .events.filter((e) => e.ingestionTime < window.seam && e.timestamp >= window.startTime).length
    );
  }, 0);
  const bench = `backfill (${GROUPS} groups x 7 days, one account-region)`;
  return [
    {
      bench,
      metric: 'virtual time per GB of messages',
      value: seconds / gb,
      unit: 's/GB',
      bound: `<= ${((1.5 * bound) / gb).toFixed(0)} (1.5 x ${(bound / gb).toFixed(0)}, the quota bound)`,
    },
    { bench, metric: 'events archived of the history from the horizon on', value: events / history, unit: 'share', bound: '= 1' },
    { bench, metric: 'FilterLogEvents refused by the quota', value: env.aws.rateLimits.throttles()['CloudWatchLogs.FilterLogEvents'] ?? 0, unit: 'calls' },
    { bench, metric: 'wall time', value: Number(process.hrtime.bigint() - wall) / 1e9, unit: 's' },
  ];
}
