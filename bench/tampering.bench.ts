/**
 * Time to repair each kind of tampering, in virtual time from the member's call to the end of the
 * repair execution: CloudTrail's delivery to EventBridge (30 to 180 s, a modelling assumption:
 * sim/cloudtrail.ts), the hub rule, then the repair under AWS's rate quotas, with the story's
 * faults (5% extra throttling, 1% 5xx, 1% writes failing after they apply). The worst of 5 seeds.
 */
import { createOfflineEnvironment } from '../sim/environment';
import { deliverRecordedCalls, executionsStarted } from '../sim/simulation';
import { onboardedForTampering, persistently, TAMPER_ACTIONS } from '../sim/tampering';
import type { BenchFigure } from './figure';
import type { AccountId, Region } from '../tasks/lib/domain';

const SEEDS = [1, 2, 3, 4, 5];
const FAULTS = { throttleRate: 0.05, serverErrorRate: 0.01, afterWriteFailureRate: 0.01 };
/** Issue #18: repaired within 5 virtual minutes. */
const BOUND_SECONDS = 300;

export async function benchTampering(): Promise<BenchFigure[]> {
  const base = createOfflineEnvironment().config;
  const figures: BenchFigure[] = [];
  for (const [name, action] of Object.entries(TAMPER_ACTIONS)) {
    // Reported, not repaired: no Tributary role may re-enable a detector.
    if (action.kind === 'detector-suspended') continue;
    // The central destination lives in the logging account.
    const account = (action.kind === 'destination' ? base.accounts.logging : '123456789012') as AccountId;
    const config = action.kind === 'account-policy' ? { ...base, subscription: { mode: 'account-policy' as const, filterPattern: '' } } : base;
    const seconds: number[] = [];
    let unrepaired = 0;
    for (const seed of SEEDS) {
      const env = await onboardedForTampering({ config, seed, faults: FAULTS, account });
      await persistently(() => action.act(env, account, 'eu-west-1' as Region));
      const deliveries = await deliverRecordedCalls(env);
      const [repair] = executionsStarted(deliveries, 'repair-tampering');
      if (!repair || repair.status !== 'SUCCEEDED' || (repair.output as { outcome?: string }).outcome !== 'repaired') unrepaired++;
      else seconds.push((repair.stoppedAt - repair.calledAt) / 1000);
    }
    const bench = `tamper repair: ${name}`;
    figures.push(
      { bench, metric: `time to repair, worst of ${SEEDS.length} seeds (virtual)`, value: Math.max(...seconds, 0), unit: 's', bound: `<= ${BOUND_SECONDS}` },
      { bench, metric: 'seeds not repaired', value: unrepaired, unit: 'seeds', bound: '= 0' },
    );
  }
  return figures;
}
