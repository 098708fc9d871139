/** reconcile at organization scale: nothing in a state grows with the accounts, and runs never overlap. */
import { createOfflineEnvironment } from '../../../sim/environment';
import { memberAccountId } from '../../../sim/scenario';
import type { ExecutionRecord } from '../../../workflows/local/runner';
import { HISTORY_LIMIT_EVENTS, PAYLOAD_LIMIT_BYTES } from '../../../workflows/local/quotas';

function organization(accounts: number, guardDuty: 'off' | 'invitation' = 'off') {
  const base = createOfflineEnvironment().config;
  // One region and no GuardDuty keep the test quick; the reconcile's own states are what is measured.
  const env = createOfflineEnvironment({ config: { ...base, governedRegions: [base.homeRegion], guardDuty: { ...base.guardDuty, mode: guardDuty } } });
  for (let i = 0; i < accounts; i++) env.state.addAccount({ id: memberAccountId(i), name: `member-${i}`, regions: env.config.governedRegions });
  return env;
}

const everyExecution = (record: ExecutionRecord): ExecutionRecord[] => [record, ...record.children.flatMap(everyExecution)];

describe('reconcile at scale', () => {
  it("keeps every state and every execution's history independent of the organization's size (40 and 80 accounts; the bench runs 200 x 5 regions)", async () => {
    // Act
    const measure = async (accounts: number) => {
      const execution = await organization(accounts).runner.start('reconcile', {});
      const all = everyExecution(execution);
      return { execution, all, payload: Math.max(...all.map((e) => e.largestPayloadBytes)), history: Math.max(...all.map((e) => e.historyEvents)) };
    };
    const small = await measure(40);
    const large = await measure(80);

    // Assess
    for (const [run, accounts] of [
      [small, 40],
      [large, 80],
    ] as const) {
      expect(run.execution.status).toBe('SUCCEEDED');
      expect(run.execution.output).toMatchObject({ accounts: accounts + 3, failedAccounts: 0 });
      expect(run.all.filter((e) => e.workflow === 'onboard-account')).toHaveLength(accounts + 3);
    }
    // Each account is its own child execution: no history grows with the organization.
    expect(large.history).toBe(small.history);
    expect(large.history).toBeLessThan(HISTORY_LIMIT_EVENTS / 100);
    // The largest state is the account list (about 15 bytes an account) beside the report's lines,
    // at most 100 of them (tasks/lib/drift.ts): the bound still fits at 10,000 accounts.
    const bound = (accounts: number) => 2_048 + 16 * accounts + 100 * 120;
    expect(small.payload).toBeLessThanOrEqual(bound(40));
    expect(large.payload).toBeLessThanOrEqual(bound(80));
    expect(large.payload).toBeGreaterThan(small.payload);
    expect(bound(10_000)).toBeLessThan(PAYLOAD_LIMIT_BYTES);
  });

  it('starts accounts no faster than the organization-wide quotas admit them: no ListRegions or DescribeAccount refused, however many start at once', async () => {
    // Prepare: 60 accounts in one region start together (the concurrency allows 3,200), each
    // asking Account Management for its regions (5 a second for the whole organization) and
    // Organizations for its e-mail (10 a second), as GuardDuty invitations need.
    const env = organization(60, 'invitation');

    // Act
    const execution = await env.runner.start('reconcile', {});

    // Assess
    expect(execution.output).toMatchObject({ accounts: 63, failedAccounts: 0 });
    const throttles = env.aws.rateLimits.throttles();
    expect(throttles['Account.ListRegions'] ?? 0).toBe(0);
    expect(throttles['Organizations.DescribeAccount'] ?? 0).toBe(0);
    expect(env.aws.ledger.apiCalls()['Account.ListRegions']).toBe(63);
  });

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
