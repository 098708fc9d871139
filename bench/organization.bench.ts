/**
 * Organization scale in virtual time, under the simulator's rate quotas: a first reconcile of
 * an organization (every account-region onboarded from scratch) and a second one with no drift,
 * each beside the bound the quotas imply. Every account-region has its own quota buckets, so the
 * bound is one account-region's work at the quota rate: ceil(groups / 5) s for the reads of
 * DescribeSubscriptionFilters (5 TPS), the same for the writes of PutSubscriptionFilter.
 */
import { createOfflineEnvironment } from '../sim/environment';
import { memberAccountId } from '../sim/scenario';
import type { Region } from '../tasks/lib/domain';
import type { BenchFigure } from './record-processor.bench';

const ACCOUNTS = Number(process.env.TRIBUTARY_BENCH_ACCOUNTS ?? 200);
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'eu-central-1', 'us-west-2'] as Region[];
const GROUPS = 100;
/** CloudWatch Logs: DescribeSubscriptionFilters and PutSubscriptionFilter, 5 TPS each per account-region. */
const FILTER_TPS = 5;

export async function benchOrganization(): Promise<BenchFigure[]> {
  const base = createOfflineEnvironment().config;
  const env = createOfflineEnvironment({ config: { ...base, governedRegions: REGIONS } });
  for (let i = 0; i < ACCOUNTS; i++) {
    const id = memberAccountId(i);
    env.state.addAccount({ id, name: `member-${i}`, regions: REGIONS });
    for (const region of REGIONS) for (let g = 0; g < GROUPS; g++) env.state.createLogGroup(id, region, `/aws/lambda/fn-${String(g).padStart(4, '0')}`);
  }
  const reconcile = async () => {
    const started = env.clock.now();
    const execution = await env.runner.start('reconcile', {});
    return { execution, minutes: env.clock.secondsSince(started) / 60 };
  };
  const first = await reconcile();
  const second = await reconcile();
  const bench = `reconcile (${ACCOUNTS} accounts x ${REGIONS.length} regions x ${GROUPS} log groups, virtual time)`;
  const boundMinutes = (calls: number) => Math.ceil(calls / FILTER_TPS) / 60;
  return [
    { bench, metric: `first reconcile: virtual minutes to full coverage (${first.execution.status})`, value: first.minutes, unit: 'min' },
    { bench, metric: 'first reconcile: quota bound (one account-region at 5 TPS)', value: boundMinutes(GROUPS), unit: 'min' },
    { bench, metric: `no-drift reconcile: virtual minutes (${second.execution.status})`, value: second.minutes, unit: 'min' },
    { bench, metric: 'no-drift reconcile: quota bound (one read per group at 5 TPS)', value: boundMinutes(GROUPS), unit: 'min' },
    { bench, metric: 'largest execution history (events)', value: Math.max(first.execution.historyEvents, second.execution.historyEvents), unit: 'events' },
  ];
}
