/**
 * Organization scale in virtual time, under the simulator's quotas: a first reconcile of an
 * organization (every account-region onboarded from scratch), a second one with no drift, and
 * onboarding one new account with 10 regions of 500 log groups, each beside the bound the quotas
 * imply. Every account-region has its own API quota buckets (DescribeSubscriptionFilters and
 * PutSubscriptionFilter at 5 TPS each), so one account-region needs groups / 5 seconds; Lambda's
 * 1,000 concurrent executions, about two per account-region being onboarded, allow 500
 * account-regions at once. The bound is the number of such waves times one account-region's time.
 */
import { TASK_MEMORY_MB } from '../infra/constructs/task-function';
import { createOfflineEnvironment, type OfflineEnvironment } from '../sim/environment';
import { memberAccountId } from '../sim/scenario';
import type { Region } from '../tasks/lib/domain';
import { LAMBDAS_PER_ACCOUNT_REGION } from '../tasks/list-active-accounts';
import { LAMBDA_DEFAULT_CONCURRENCY, type ExecutionRecord } from '../workflows/local/runner';
import type { BenchFigure } from './figure';
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
const ORG_REGIONS = 5;
const GROUPS = 100;
const NEW_ACCOUNT_GROUPS = 500;
/** CloudWatch Logs: DescribeSubscriptionFilters and PutSubscriptionFilter, 5 TPS each per account-region. */
const FILTER_TPS = 5;

/** Virtual seconds the quotas allow at best for `accountRegions` account-regions of `groups` log groups each. */
function quotaBoundSeconds(accountRegions: number, groups: number): number {
  const atOnce = LAMBDA_DEFAULT_CONCURRENCY / LAMBDAS_PER_ACCOUNT_REGION;
  return Math.ceil(accountRegions / atOnce) * Math.ceil(groups / FILTER_TPS);
}

function environment(regions: readonly Region[]): OfflineEnvironment {
  const base = createOfflineEnvironment().config;
  return createOfflineEnvironment({ config: { ...base, governedRegions: [...regions] } });
}

function addAccount(env: OfflineEnvironment, index: number, groups: number): void {
  const id = memberAccountId(index);
  env.state.addAccount({ id, name: `member-${index}`, regions: env.config.governedRegions });
  for (const region of env.config.governedRegions)
    for (let g = 0; g < groups; g++) env.state.createLogGroup(id, region, `/aws/lambda/fn-${String(g).padStart(4, '0')}`);
}

const everyExecution = (record: ExecutionRecord): ExecutionRecord[] => [record, ...record.children.flatMap(everyExecution)];

interface Measured {
  readonly execution: ExecutionRecord;
  readonly minutes: number;
  readonly cost: RunCost;
}

/** Calls counted between two snapshots of the ledger. */
function callsSince(before: Readonly<Record<string, number>>, after: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([call, n]) => [call, n - (before[call] ?? 0)]));
}

async function timed(env: OfflineEnvironment, run: () => Promise<ExecutionRecord>): Promise<Measured> {
  const started = env.clock.now();
  const lambda = { ...env.runner.lambdaUsage };
  const calls = env.aws.ledger.apiCalls();
  const execution = await run();
  const cost = runCost({
    lambdaInvocations: env.runner.lambdaUsage.invocations - lambda.invocations,
    lambdaBilledMs: env.runner.lambdaUsage.billedMs - lambda.billedMs,
    lambdaMemoryMb: TASK_MEMORY_MB,
    stateTransitions: execution.stateTransitions,
    apiCalls: callsSince(calls, env.aws.ledger.apiCalls()),
  });
  return { execution, minutes: env.clock.secondsSince(started) / 60, cost };
}

/** The dollars of one run, by service (the reconcile runs once a day). */
function costFigure(bench: string, run: string, cost: RunCost): BenchFigure {
  const parts = `Lambda ${cost.lambda.toFixed(2)}, Step Functions ${cost.stepFunctions.toFixed(2)}, DynamoDB ${cost.dynamoDb.toFixed(4)}, S3 ${cost.s3.toFixed(4)}`;
  return { bench, metric: `${run}: dollars at us-east-1 prices of ${PRICES.asOf} (${parts})`, value: cost.total, unit: '$' };
}

export async function benchOrganization(): Promise<BenchFigure[]> {
  const org = environment(REGIONS.slice(0, ORG_REGIONS));
  for (let i = 0; i < ACCOUNTS; i++) addAccount(org, i, GROUPS);
  const first = await timed(org, () => org.runner.start('reconcile', {}));
  const second = await timed(org, () => org.runner.start('reconcile', {}));
  const all = [...everyExecution(first.execution), ...everyExecution(second.execution)];
  const failed = (e: ExecutionRecord) => (e.output as { failedAccounts?: number } | undefined)?.failedAccounts ?? 'n/a';

  const newcomer = environment(REGIONS);
  addAccount(newcomer, 0, NEW_ACCOUNT_GROUPS);
  const onboarding = await timed(newcomer, () => newcomer.runner.start('onboard-account', { accountId: memberAccountId(0) }));

  const accountRegions = (ACCOUNTS + 3) * ORG_REGIONS;
  const bench = `organization, virtual time (${ACCOUNTS} accounts x ${ORG_REGIONS} regions x ${GROUPS} log groups)`;
  return [
    {
      bench,
      metric: `first reconcile: minutes to full coverage (${first.execution.status}, failed accounts ${failed(first.execution)})`,
      value: first.minutes,
      unit: 'min',
    },
    { bench, metric: 'first reconcile: quota bound (API rates, Lambda concurrency)', value: quotaBoundSeconds(accountRegions, GROUPS) / 60, unit: 'min' },
    {
      bench,
      metric: `no-drift reconcile: minutes (${second.execution.status}, failed accounts ${failed(second.execution)})`,
      value: second.minutes,
      unit: 'min',
    },
    { bench, metric: 'no-drift reconcile: quota bound (one read per group)', value: quotaBoundSeconds(accountRegions, GROUPS) / 60, unit: 'min' },
    costFigure(bench, 'first reconcile', first.cost),
    costFigure(bench, 'no-drift reconcile, each day', second.cost),
    { bench, metric: 'no-drift reconcile: Lambda GB-seconds', value: second.cost.lambdaGbSeconds, unit: 'GB-s' },
    { bench, metric: 'no-drift reconcile: state transitions', value: second.execution.stateTransitions, unit: 'transitions' },
    { bench, metric: 'peak concurrent Lambda invocations (limit 1,000)', value: org.runner.lambdaUsage.peak, unit: 'invocations' },
    { bench, metric: 'Lambda invocations refused for concurrency', value: org.runner.lambdaUsage.throttled, unit: 'invocations' },
    { bench, metric: 'calls refused by AWS rate quotas', value: Object.values(org.aws.rateLimits.throttles()).reduce((a, b) => a + b, 0), unit: 'calls' },
    { bench, metric: 'largest execution history (limit 25,000)', value: Math.max(...all.map((e) => e.historyEvents)), unit: 'events' },
    { bench, metric: 'largest state (limit 262,144)', value: Math.max(...all.map((e) => e.largestPayloadBytes)), unit: 'bytes' },
    {
      bench: `new account (10 regions x ${NEW_ACCOUNT_GROUPS} log groups, virtual time)`,
      metric: `onboard-account: minutes to full coverage (${onboarding.execution.status}, target under 10)`,
      value: onboarding.minutes,
      unit: 'min',
    },
    {
      bench: `new account (10 regions x ${NEW_ACCOUNT_GROUPS} log groups, virtual time)`,
      metric: 'quota bound (every region at once)',
      value: quotaBoundSeconds(REGIONS.length, NEW_ACCOUNT_GROUPS) / 60,
      unit: 'min',
    },
  ];
}
