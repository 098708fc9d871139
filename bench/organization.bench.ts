/**
 * Organization scale in virtual time, under the simulator's quotas: a first reconcile of an
 * organization (every account-region onboarded from scratch), a second one with no drift, and
 * onboarding one new account with 10 regions of 500 log groups, each beside the bound the quotas
 * imply. Every account-region has its own API quota buckets (DescribeSubscriptionFilters and
 * PutSubscriptionFilter at 5 TPS each), so one account-region needs groups / 5 seconds. The
 * reconcile onboards `reconcileConcurrency(regions)` accounts at once, each with all its regions:
 * the bound is the number of such waves times one account-region's time, or the time the
 * slowest organization-wide quota (one bucket for the orchestration account: STS, Organizations,
 * Account) needs for the calls the run made to it, whichever is longer.
 * Scale: `TRIBUTARY_BENCH_ACCOUNTS`, `TRIBUTARY_BENCH_REGIONS` and `TRIBUTARY_BENCH_GROUPS`; the
 * `organization-scale` and `organization-target` benches run 1,000 accounts x 10 regions in a
 * child process (`TRIBUTARY_BENCH_SCALE_ACCOUNTS`, `TRIBUTARY_BENCH_SCALE_GROUPS`).
 */
import { spawnSync } from 'child_process';
import { buildSync } from 'esbuild';
import { join } from 'path';
import { TASK_MEMORY_MB } from '../infra/constructs/task-function';
import { createOfflineEnvironment, type OfflineEnvironment } from '../sim/environment';
import { memberAccountId } from '../sim/scenario';
import type { Region } from '../tasks/lib/domain';
import { RATE_QUOTAS } from '../sim/quotas';
import { reconcileConcurrency } from '../tasks/list-active-accounts';
import { type ExecutionRecord } from '../workflows/local/runner';
import type { BenchFigure } from './figure';
import { acceptsFlag, lambdaNode } from './lambda-node';
import { PRICES, runCost, type RunCost } from './reconcile-cost';

const ACCOUNTS = Number(process.env.TRIBUTARY_BENCH_ACCOUNTS ?? 200);
const REGIONS = [
  'us-east-1',
  'eu-west-1',
  'ap-southeast-2',
  'eu-central-1',
  'us-west-2',
  'ap-northeast-1',
  'eu-north-1',
  'ca-central-1',
  'sa-east-1',
  'ap-south-1',
] as Region[];
const ORG_REGIONS = Number(process.env.TRIBUTARY_BENCH_REGIONS ?? 5);
const GROUPS = Number(process.env.TRIBUTARY_BENCH_GROUPS ?? 100);
const NEW_ACCOUNT_GROUPS = 500;
/** CloudWatch Logs: DescribeSubscriptionFilters (and PutSubscriptionFilter), per account-region. */
const FILTER_TPS = RATE_QUOTAS['CloudWatchLogs.DescribeSubscriptionFilters']!.tps;

/**
 * The organization-wide quota the calls of a run needed the longest for: one bucket per operation
 * for the whole orchestration account. `apiCalls` are the calls the quota let through.
 */
function slowestOrganizationQuota(apiCalls: Readonly<Record<string, number>>): { operation: string; calls: number; seconds: number } {
  let slowest = { operation: 'none', calls: 0, seconds: 0 };
  for (const [operation, calls] of Object.entries(apiCalls)) {
    const quota = RATE_QUOTAS[operation];
    if (quota?.scope !== 'account') continue;
    const seconds = Math.max(0, calls - quota.burst) / quota.tps;
    if (seconds > slowest.seconds) slowest = { operation, calls, seconds };
  }
  return slowest;
}

/**
 * Virtual seconds the quotas allow at best for `accountRegions` account-regions of `groups` log
 * groups each, `atOnce` of them at a time, `organizationSeconds` being what the slowest
 * organization-wide quota needs. Each account makes its organization-wide calls (its regions, its
 * baseline role) before its regions start, so the last account through that bucket still needs one
 * account-region's time after it.
 */
function quotaBoundSeconds(accountRegions: number, groups: number, atOnce: number, organizationSeconds = 0): number {
  const accountRegionSeconds = Math.ceil(groups / FILTER_TPS);
  return Math.max(Math.ceil(accountRegions / atOnce) * accountRegionSeconds, organizationSeconds + accountRegionSeconds);
}

function environment(regions: readonly Region[]): OfflineEnvironment {
  const base = createOfflineEnvironment().config;
  return createOfflineEnvironment({ config: { ...base, governedRegions: [...regions] } });
}

/** `groups` log group names, the same in every account-region: held once, not once per group (5 million at the target size). */
function logGroupNames(groups: number): string[] {
  return Array.from({ length: groups }, (_, g) => `/aws/lambda/fn-${String(g).padStart(4, '0')}`);
}

function addAccount(env: OfflineEnvironment, index: number, logGroups: readonly string[]): void {
  const id = memberAccountId(index);
  env.state.addAccount({ id, name: `member-${index}`, regions: env.config.governedRegions });
  for (const region of env.config.governedRegions) for (const name of logGroups) env.state.createLogGroup(id, region, name);
}

const everyExecution = (record: ExecutionRecord): ExecutionRecord[] => [record, ...record.children.flatMap(everyExecution)];

interface Measured {
  readonly execution: ExecutionRecord;
  readonly minutes: number;
  readonly cost: RunCost;
  readonly organizationQuota: { operation: string; calls: number; seconds: number };
  /** Virtual seconds task invocations spent waiting in their client-side rate limiter. */
  readonly waitingSeconds: number;
}

/** Calls counted between two snapshots of the ledger. */
function callsSince(before: Readonly<Record<string, number>>, after: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([call, n]) => [call, n - (before[call] ?? 0)]));
}

async function timed(env: OfflineEnvironment, run: () => Promise<ExecutionRecord>): Promise<Measured> {
  const started = env.clock.now();
  const lambda = { ...env.runner.lambdaUsage };
  const calls = env.aws.ledger.apiCalls();
  const waits = { ...env.limiterWaits };
  const throttled = env.aws.rateLimits.throttles();
  const execution = await run();
  const apiCalls = callsSince(calls, env.aws.ledger.apiCalls());
  const refused = callsSince(throttled, env.aws.rateLimits.throttles());
  const admitted = Object.fromEntries(Object.entries(apiCalls).map(([op, n]) => [op, n - (refused[op] ?? 0)]));
  const cost = runCost({
    lambdaInvocations: env.runner.lambdaUsage.invocations - lambda.invocations,
    lambdaBilledMs: env.runner.lambdaUsage.billedMs - lambda.billedMs,
    lambdaMemoryMb: TASK_MEMORY_MB,
    standardTransitions: execution.billedTransitions,
    expressExecutions: execution.express.executions,
    expressBilledMs: execution.express.billedMs,
    apiCalls,
  });
  return {
    execution,
    minutes: env.clock.secondsSince(started) / 60,
    cost,
    organizationQuota: slowestOrganizationQuota(admitted),
    waitingSeconds: (env.limiterWaits.ms - waits.ms) / 1000,
  };
}

/** The dollars of one run, by service (the reconcile runs once a day). */
function costFigure(bench: string, run: string, cost: RunCost): BenchFigure {
  const parts = `Lambda ${cost.lambda.toFixed(2)}, Step Functions ${cost.stepFunctions.toFixed(2)}, DynamoDB ${cost.dynamoDb.toFixed(4)}, S3 ${cost.s3.toFixed(4)}`;
  return { bench, metric: `${run}: dollars at us-east-1 prices of ${PRICES.asOf} (${parts})`, value: cost.total, unit: '$' };
}

interface OrganizationSize {
  readonly accounts: number;
  readonly regions: number;
  readonly groups: number;
}

/** A first and a no-drift reconcile of an organization of `size`, each beside its quota bound and its cost. */
async function reconcileFigures({ accounts, regions, groups }: OrganizationSize): Promise<BenchFigure[]> {
  const org = environment(REGIONS.slice(0, regions));
  const names = logGroupNames(groups);
  for (let i = 0; i < accounts; i++) addAccount(org, i, names);
  const first = await timed(org, () => org.runner.start('reconcile', {}));
  const second = await timed(org, () => org.runner.start('reconcile', {}));
  const all = [...everyExecution(first.execution), ...everyExecution(second.execution)];
  const failed = (e: ExecutionRecord) => (e.output as { failedAccounts?: number } | undefined)?.failedAccounts ?? 'n/a';

  // The organization's accounts plus the three the scenario always has (management, logging, orchestration).
  const accountRegions = (accounts + 3) * regions;
  const atOnce = Math.min(accounts + 3, reconcileConcurrency(regions)) * regions;
  const bench = `organization, virtual time (${accounts} accounts x ${regions} regions x ${groups} log groups)`;
  const bound = (m: Measured) => quotaBoundSeconds(accountRegions, groups, atOnce, m.organizationQuota.seconds);
  const ratio = (m: Measured) => (m.minutes * 60) / bound(m);
  const boundMetric = (run: string, m: Measured) =>
    `${run}: quota bound (${atOnce} account-regions at once, ${groups / FILTER_TPS} s each; ${m.organizationQuota.operation} ${m.organizationQuota.calls} calls at ${RATE_QUOTAS[m.organizationQuota.operation]?.tps ?? '-'}/s)`;
  const throttles = Object.entries(org.aws.rateLimits.throttles());
  return [
    {
      bench,
      metric: `first reconcile: minutes to full coverage (${first.execution.status}, failed accounts ${failed(first.execution)})`,
      value: first.minutes,
      unit: 'min',
    },
    { bench, metric: boundMetric('first reconcile', first), value: bound(first) / 60, unit: 'min' },
    { bench, metric: 'first reconcile: minutes over its quota bound', value: ratio(first), unit: 'x', bound: '<= 1.5' },
    {
      bench,
      metric: `no-drift reconcile: minutes (${second.execution.status}, failed accounts ${failed(second.execution)})`,
      value: second.minutes,
      unit: 'min',
    },
    { bench, metric: boundMetric('no-drift reconcile', second), value: bound(second) / 60, unit: 'min' },
    { bench, metric: 'no-drift reconcile: minutes over its quota bound', value: ratio(second), unit: 'x', bound: '<= 1.5' },
    {
      bench,
      metric: 'Lambda-seconds spent waiting for rate tokens, both reconciles',
      value: first.waitingSeconds + second.waitingSeconds,
      unit: 's',
      bound: '0',
    },
    costFigure(bench, 'first reconcile', first.cost),
    costFigure(bench, 'no-drift reconcile, each day', second.cost),
    { bench, metric: 'no-drift reconcile: Lambda GB-seconds', value: second.cost.lambdaGbSeconds, unit: 'GB-s' },
    { bench, metric: 'no-drift reconcile: Standard state transitions (billed)', value: second.execution.billedTransitions, unit: 'transitions' },
    { bench, metric: 'no-drift reconcile: Express runs', value: second.execution.express.executions, unit: 'runs' },
    { bench, metric: 'no-drift reconcile: Express billed seconds', value: second.execution.express.billedMs / 1000, unit: 's' },
    { bench, metric: 'peak concurrent Lambda invocations', value: org.runner.lambdaUsage.peak, unit: 'invocations', bound: '<= 1,000' },
    { bench, metric: 'Lambda invocations refused for concurrency', value: org.runner.lambdaUsage.throttled, unit: 'invocations' },
    { bench, metric: 'Standard state transitions delayed by the account quota', value: org.runner.transitionsDelayed, unit: 'transitions' },
    {
      bench,
      metric: `calls refused by AWS rate quotas (${throttles.map(([op, n]) => `${op} ${n}`).join(', ') || 'none'})`,
      value: throttles.reduce((a, [, n]) => a + n, 0),
      unit: 'calls',
    },
    { bench, metric: 'largest execution history (limit 25,000)', value: Math.max(...all.map((e) => e.historyEvents)), unit: 'events' },
    { bench, metric: 'largest state (limit 262,144)', value: Math.max(...all.map((e) => e.largestPayloadBytes)), unit: 'bytes' },
  ];
}

/** Onboarding one new account with every region and 500 log groups in each. */
async function newcomerFigures(): Promise<BenchFigure[]> {
  const newcomer = environment(REGIONS);
  addAccount(newcomer, 0, logGroupNames(NEW_ACCOUNT_GROUPS));
  const onboarding = await timed(newcomer, () => newcomer.runner.start('onboard-account', { accountId: memberAccountId(0) }));
  const bench = `new account (10 regions x ${NEW_ACCOUNT_GROUPS} log groups, virtual time)`;
  const bound = quotaBoundSeconds(REGIONS.length, NEW_ACCOUNT_GROUPS, REGIONS.length, onboarding.organizationQuota.seconds);
  return [
    {
      bench,
      metric: `onboard-account: minutes to full coverage (${onboarding.execution.status}, target under 10)`,
      value: onboarding.minutes,
      unit: 'min',
    },
    { bench, metric: 'quota bound (every region at once)', value: bound / 60, unit: 'min' },
    { bench, metric: 'minutes over its quota bound', value: (onboarding.minutes * 60) / bound, unit: 'x', bound: '<= 1.5' },
  ];
}

export async function benchOrganization(): Promise<BenchFigure[]> {
  return [...(await reconcileFigures({ accounts: ACCOUNTS, regions: ORG_REGIONS, groups: GROUPS })), ...(await newcomerFigures())];
}

/**
 * The simulator at 1,000 accounts x 10 regions: the organization-wide quotas, the Lambda
 * environments, the STS calls and the concurrency met at full size, in a process of its own so that
 * its wall time and peak memory are its own. `organization-scale` runs 20 log groups per region,
 * what fits the issue's bounds for the simulator (300 s, 2 GB); `organization-target` runs the
 * issue's target size, 500 a region (5 million log groups), within the 2 GB but well over
 * the 300 s (README, Performance): it is not part of the default run.
 * `TRIBUTARY_BENCH_SCALE_ACCOUNTS` and `TRIBUTARY_BENCH_SCALE_GROUPS` change the size.
 */
const SCALE_ACCOUNTS = 1000;
const SCALE_GROUPS = 20;
const TARGET_GROUPS = 500;
/** Bounds the issue sets for the simulator at that size. */
const SCALE_WALL_SECONDS = 300;
const SCALE_RSS_MB = 2048;
/**
 * One heap for both sizes, within the 2 GB bound: at most 1,400 MB of old generation (the target
 * size holds about 700 MB after full collections) and a young generation of 3 x 256 MB. Thousands
 * of calls are in flight at any instant (up to 24,000 at the target size: 480 accounts x 10
 * regions x 5 groups a page) and survive a small young generation's scavenges: 128 MB
 * semi-spaces took about a sixth less CPU than 64 at 50 accounts x 10 regions x 500 groups. 256 MB
 * halves the scavenges again: at 300 accounts x 10 regions x 500 groups, side by side, 456
 * scavenges pausing 7.9 s against 896 pausing 12.1 s, 162 s of wall against 170, 1,082 MB against
 * 921 MB at most (1,606 MB at most at the target size).
 */
const SCALE_HEAP_OPTIONS = ['--max-old-space-size=1400', '--max-semi-space-size=256'];
const SCALE_CHILD_FLAG = '--organization-scale-child';
/**
 * The simulator keeps each Lambda invocation's context in AsyncLocalStorage, which on Node.js 20
 * (and 22 by default) hooks every promise; with AsyncContextFrame (Node.js 24's default) it does
 * not. Two reconciles of 50 accounts x 10 regions x 500 groups took 91 s of wall on Node.js 20,
 * 76 s on 22 and 55 s on 22 with the frame, with the same virtual figures.
 */
const ASYNC_CONTEXT_FRAME = '--experimental-async-context-frame';

async function measureScale(size: OrganizationSize): Promise<BenchFigure[]> {
  const started = Date.now();
  const cpu = process.cpuUsage();
  const figures = await reconcileFigures(size);
  const used = process.cpuUsage(cpu);
  const frame = process.execArgv.includes(ASYNC_CONTEXT_FRAME) ? ' with AsyncContextFrame' : '';
  const bundled = __filename.endsWith('.js') ? ', bundled by esbuild' : '';
  const bench = `simulator at ${size.accounts} accounts x ${size.regions} regions x ${size.groups} log groups (two reconciles, own process${bundled}, Node ${process.versions.node}${frame})`;
  const heap = process.execArgv.filter((option) => option.startsWith('--max-')).join(' ');
  return [
    ...figures,
    { bench, metric: 'wall time of the two reconciles', value: (Date.now() - started) / 1000, unit: 's', bound: `< ${SCALE_WALL_SECONDS}` },
    { bench, metric: 'CPU time, main thread and GC', value: (used.user + used.system) / 1e6, unit: 's' },
    { bench, metric: `peak RSS (${heap})`, value: process.resourceUsage().maxRSS / 1024, unit: 'MB', bound: `< ${SCALE_RSS_MB}` },
  ];
}

/** Node.js 22 with AsyncContextFrame when there is one that takes it; else this Node.js, and a figure that says why. */
function scaleRuntime(): { node: string; options: string[]; figures: BenchFigure[] } {
  const node22 = lambdaNode();
  if (node22.path !== undefined && acceptsFlag(node22.path, ASYNC_CONTEXT_FRAME)) return { node: node22.path, options: [ASYNC_CONTEXT_FRAME], figures: [] };
  const reason = node22.reason ?? `${node22.path} refuses ${ASYNC_CONTEXT_FRAME}`;
  return {
    node: process.execPath,
    options: [],
    figures: [{ bench: 'organization-scale', metric: 'Node.js 22 with AsyncContextFrame not used', value: 0, unit: reason }],
  };
}

/**
 * This file bundled by esbuild, as a Lambda's code is deployed, for the child to run: tsx
 * transforms each module with esbuild's keepNames, which names every function at the moment it is
 * created, about 7% of the CPU at 50 accounts x 10 regions x 500 groups. Built two folders below
 * the repository's root, where the modules that find files from their own folder expect to be.
 */
function bundledBench(): string {
  const outfile = join(__dirname, '..', '.bench', 'build', 'organization.bench.js');
  buildSync({
    entryPoints: [__filename],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
  return outfile;
}

/** Two reconciles of 1,000 accounts x 10 regions x `groups` in a child process with `heapOptions`. */
function scaleChild(name: string, groups: number, heapOptions: readonly string[]): BenchFigure[] {
  const { node, options, figures } = scaleRuntime();
  // Source maps, so that a Lambda error's trace names the same files and lines as under tsx.
  const child = spawnSync(node, [...options, ...heapOptions, '--enable-source-maps', bundledBench(), SCALE_CHILD_FLAG], {
    encoding: 'utf8',
    maxBuffer: 16 * 2 ** 20,
    env: { TRIBUTARY_BENCH_SCALE_ACCOUNTS: String(SCALE_ACCOUNTS), TRIBUTARY_BENCH_SCALE_GROUPS: String(groups), ...process.env },
  });
  if (child.error || child.status !== 0) throw new Error(`${name} bench failed: ${child.error?.message ?? child.stderr.trim()}`);
  return [
    ...figures,
    ...child.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as BenchFigure),
  ];
}

export function benchOrganizationScale(): BenchFigure[] {
  return scaleChild('organization-scale', SCALE_GROUPS, SCALE_HEAP_OPTIONS);
}

export function benchOrganizationTarget(): BenchFigure[] {
  return scaleChild('organization-target', TARGET_GROUPS, SCALE_HEAP_OPTIONS);
}

if (process.argv.includes(SCALE_CHILD_FLAG)) {
  const size = {
    accounts: Number(process.env.TRIBUTARY_BENCH_SCALE_ACCOUNTS),
    regions: REGIONS.length,
    groups: Number(process.env.TRIBUTARY_BENCH_SCALE_GROUPS),
  };
  measureScale(size).then(
    (figures) => figures.forEach((figure) => console.log(JSON.stringify(figure))),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
