import { accountDrift, driftReport } from '../../tasks/lib/drift';

describe('drift', () => {
  it('reads what one account repaired from its onboard-account result', () => {
    const drift = accountDrift('111122223333', {
      regions: [
        {
          region: 'eu-west-1',
          status: 'Onboarded',
          logGroups: { status: 'Done', totals: { subscribed: 2 } },
          flowLogs: { totals: { created: 1, replaced: 1 } },
          destinationAccess: { changed: true },
          eventForwarding: { changed: false },
          guardDuty: { status: 'Failed', error: 'AwsRequestRejected' },
        },
        { region: 'us-east-1', status: 'Failed', error: 'States.TaskFailed' },
      ],
    });
    expect(drift.repaired).toEqual({ subscriptionFilters: 2, accountPolicies: 0, flowLogs: 2, destinationAccess: 1, eventForwarding: 0, guardDuty: 0 });
    expect(drift.details).toEqual(['111122223333 eu-west-1: 2 subscriptionFilters, 2 flowLogs, 1 destinationAccess']);
    expect(drift.failures).toEqual(['111122223333 eu-west-1 guardDuty: AwsRequestRejected', '111122223333 us-east-1: States.TaskFailed']);
  });

  it('adds accounts up, and says drifted only when something was repaired', () => {
    const clean = accountDrift('111122223333', { regions: [{ region: 'eu-west-1', status: 'Onboarded', logGroups: { totals: { subscribed: 0 } } }] });
    const failed = accountDrift('444455556666', { error: 'BaselineRoleNeverReady', cause: 'no role' });
    expect(driftReport([clean, failed])).toMatchObject({
      accounts: 2,
      drifted: false,
      details: [],
      failures: ['444455556666: BaselineRoleNeverReady: no role'],
    });
  });
});

describe('drift report', () => {
  const repairedIn = (accountId: string, subscribed: number, region = 'eu-west-1') =>
    accountDrift(accountId, {
      regions: [{ region, status: 'Onboarded', logGroups: { totals: { subscribed } }, guardDuty: { changed: subscribed % 2 === 1 } }],
    });

  it('counts an account with no result and one with a failure as failed, the rest not, whatever they repaired', () => {
    // Prepare
    const ok = repairedIn('111111111111', 3);
    const alsoOk = repairedIn('222222222222', 0);
    const partly = accountDrift('333333333333', {
      regions: [{ region: 'eu-west-1', status: 'Onboarded', logGroups: { totals: { subscribed: 1 } }, flowLogs: { status: 'Failed', error: 'Throttling' } }],
    });

    // Act
    const report = driftReport([ok, alsoOk, partly], ['444444444444: no result (States.Timeout)']);

    // Assess
    expect(report.accounts).toBe(4);
    expect(report.failedAccounts).toBe(2);
    expect(report.failures).toEqual(['444444444444: no result (States.Timeout)', '333333333333 eu-west-1 flowLogs: Throttling']);
    expect(report.repaired).toEqual({ subscriptionFilters: 4, accountPolicies: 0, flowLogs: 0, destinationAccess: 0, eventForwarding: 0, guardDuty: 1 });
    expect(report.drifted).toBe(true);
  });

  it('is not drifted when nothing was repaired, and failures alone do not make drift', () => {
    const report = driftReport([repairedIn('111111111111', 0), accountDrift('222222222222', { error: 'X', cause: 'y' })]);
    expect(report).toMatchObject({ drifted: false, failedAccounts: 1, repaired: { subscriptionFilters: 0, guardDuty: 0 } });
  });

  it.each([
    ['each kind alone', 'accountPolicies', { logGroups: { changed: true } }],
    ['each kind alone', 'destinationAccess', { destinationAccess: { changed: true } }],
    ['each kind alone', 'eventForwarding', { eventForwarding: { changed: true } }],
    ['each kind alone', 'flowLogs', { flowLogs: { totals: { replaced: 1 } } }],
  ])('is drifted by %s: %s', (_, kind, part) => {
    const report = driftReport([accountDrift('111111111111', { regions: [{ region: 'eu-west-1', status: 'Onboarded', ...part }] })]);
    expect(report.drifted).toBe(true);
    expect(report.repaired[kind as keyof typeof report.repaired]).toBe(1);
  });

  it('keeps 100 detail lines and says how many more; 100 exactly are kept whole; failures are cut at 100', () => {
    // Prepare
    const many = Array.from({ length: 130 }, (_, i) => repairedIn(String(100000000000 + i), 1));
    const hundred = many.slice(0, 100);
    const failing = Array.from({ length: 130 }, (_, i) => accountDrift(String(200000000000 + i), { error: 'E', cause: String(i) }));

    // Act
    const over = driftReport(many);
    const exact = driftReport(hundred);
    const failed = driftReport(failing);

    // Assess
    expect(over.details).toHaveLength(101);
    expect(over.details[100]).toBe('... and 30 more');
    expect(over.details[99]).toBe(many[99]!.details[0]);
    expect(exact.details).toEqual(hundred.map((a) => a.details[0]));
    expect(failed.failures).toHaveLength(100);
    expect(failed.failures[99]).toBe('200000000099: E: 99');
    expect(failed.failedAccounts).toBe(130);
  });

  it('names an account-level failure without a cause with an empty cause, and a failed part with its error', () => {
    expect(accountDrift('111111111111', { error: 'States.Timeout' }).failures).toEqual(['111111111111: States.Timeout: ']);
    expect(
      accountDrift('111111111111', { regions: [{ region: 'eu-west-1', status: 'Onboarded', destinationAccess: { status: 'Failed', error: 'Lease held' } }] })
        .failures,
    ).toEqual(['111111111111 eu-west-1 destinationAccess: Lease held']);
  });
});
