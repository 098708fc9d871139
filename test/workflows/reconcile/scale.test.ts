/** reconcile at organization scale: nothing in a state grows with the accounts, and runs never overlap. */
import { createOfflineEnvironment } from '../../../sim/environment';
import { memberAccountId } from '../../../sim/scenario';
import type { DriftReport } from '../../../tasks/lib/drift';
import type { ExecutionRecord } from '../../../workflows/local/runner';
import { HISTORY_LIMIT_EVENTS, PAYLOAD_LIMIT_BYTES } from '../../../workflows/local/quotas';

function organization(accounts: number) {
  const base = createOfflineEnvironment().config;
  // One region and no GuardDuty keep the test quick; the reconcile's own states are what is measured.
  const env = createOfflineEnvironment({ config: { ...base, governedRegions: [base.homeRegion], guardDuty: { ...base.guardDuty, mode: 'off' } } });
  for (let i = 0; i < accounts; i++) env.state.addAccount({ id: memberAccountId(i), name: `member-${i}`, regions: env.config.governedRegions });
  return env;
}

const everyExecution = (record: ExecutionRecord): ExecutionRecord[] => [record, ...record.children.flatMap(everyExecution)];

describe('reconcile at scale', () => {
  it('reconciles 1,000 accounts with no state over 256 KiB and no history over 25,000 events', async () => {
    // Prepare
    const env = organization(1000);

    // Act
    const execution = await env.runner.start('reconcile', {});

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    const report = execution.output as DriftReport;
    expect(report).toMatchObject({ accounts: 1000 + 3, failedAccounts: 0 });
    const all = everyExecution(execution);
    expect(all.filter((e) => e.workflow === 'onboard-account')).toHaveLength(1003);
    const largestPayload = Math.max(...all.map((e) => e.largestPayloadBytes));
    const longestHistory = Math.max(...all.map((e) => e.historyEvents));
    // The account list is the largest state: about 15 bytes an account.
    expect(largestPayload).toBeLessThan(PAYLOAD_LIMIT_BYTES / 8);
    expect(longestHistory).toBeLessThan(HISTORY_LIMIT_EVENTS / 100);
  }, 120_000);

  it('runs one full reconcile at a time: a second one started meanwhile does nothing and says so', async () => {
    // Prepare
    const env = organization(5);

    // Act
    const [first, second] = await Promise.all([env.runner.start('reconcile', {}), env.runner.start('reconcile', {})]);

    // Assess
    expect([first.status, second.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect([first.output, second.output]).toContainEqual({ skipped: 'another reconcile is running' });
    expect([first.output, second.output]).toContainEqual(expect.objectContaining({ accounts: 5 + 3 }));
    // The lease is given back: the next day's run works.
    const next = await env.runner.start('reconcile', {});
    expect(next.output).toMatchObject({ accounts: 8, drifted: false });
  });
});
