/**
 * Control plane: onboarding one account-region with 1,000 log groups on the simulator. API calls,
 * writes and state transitions per log group, each beside its lower bound:
 * first run, one read and one write per group plus one read per page; re-run, one read per group
 * plus pages, and no write.
 */
import { createOfflineEnvironment } from '../sim/environment';
import type { AccountId } from '../tasks/lib/domain';
import { PAGE_SIZE } from '../tasks/subscribe-log-groups-page';
import type { BenchFigure } from './figure';

const GROUPS = 1000;
const ACCOUNT = '123456789012' as AccountId;
const REGION = 'eu-west-1';

export async function benchOnboarding(): Promise<BenchFigure[]> {
  const env = createOfflineEnvironment();
  env.state.addAccount({ id: ACCOUNT, name: 'bench', regions: env.config.governedRegions });
  for (let i = 0; i < GROUPS; i++) env.state.createLogGroup(ACCOUNT, REGION, `/aws/lambda/fn-${String(i).padStart(5, '0')}`);
  const pages = Math.ceil(GROUPS / PAGE_SIZE);
  const logsCalls = (apiCalls: Record<string, number>) =>
    Object.entries(apiCalls)
      .filter(([op]) => op.startsWith('CloudWatchLogs.'))
      .reduce((sum, [, n]) => sum + n, 0);

  const runOnce = async () => {
    const before = env.aws.ledger.snapshot();
    const started = process.hrtime.bigint();
    const execution = await env.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (execution.status !== 'SUCCEEDED') throw new Error(`onboard-region ${execution.status}: ${execution.error} ${execution.cause}`);
    const after = env.aws.ledger.snapshot();
    const delta = Object.fromEntries(Object.entries(after.apiCalls).map(([op, n]) => [op, n - (before.apiCalls[op] ?? 0)]));
    return {
      calls: after.calls - before.calls,
      logsCalls: logsCalls(delta),
      writes: after.writes - before.writes,
      transitions: execution.stateTransitions,
      billedTransitions: execution.billedTransitions,
      expressRuns: execution.express.executions,
      seconds,
    };
  };

  const first = await runOnce();
  const rerun = await runOnce();
  const bench = 'onboard-region (1,000 log groups)';
  const per = (n: number) => n / GROUPS;
  return [
    { bench, metric: 'first run: CloudWatch Logs calls per log group', value: per(first.logsCalls), unit: 'calls' },
    { bench, metric: 'first run: lower bound (read + write per group, + pages)', value: per(2 * GROUPS + pages), unit: 'calls' },
    { bench, metric: 'first run: all API calls per log group (with AssumeRole, EventBridge)', value: per(first.calls), unit: 'calls' },
    { bench, metric: 'first run: writes', value: first.writes, unit: 'writes' },
    { bench, metric: 're-run: CloudWatch Logs calls per log group', value: per(rerun.logsCalls), unit: 'calls' },
    { bench, metric: 're-run: lower bound (read per group, + pages)', value: per(GROUPS + pages), unit: 'calls' },
    { bench, metric: 're-run: writes (lower bound 0)', value: rerun.writes, unit: 'writes' },
    { bench, metric: 'state transitions per log group, Express page loop included', value: per(first.transitions), unit: 'transitions' },
    { bench, metric: 'billed (Standard) state transitions per log group', value: per(first.billedTransitions), unit: 'transitions' },
    {
      bench,
      metric: `Express runs of the page loop (${pages} pages, a second apart; each run hands back after 180 s)`,
      value: first.expressRuns,
      unit: 'runs',
    },
    { bench, metric: 'first run wall time (simulated AWS, offline)', value: first.seconds, unit: 's' },
  ];
}
