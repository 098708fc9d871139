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
