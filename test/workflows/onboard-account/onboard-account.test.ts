/** onboard-account end to end on the simulator, from the event that creates an account. */
import { createOfflineEnvironment, type OfflineEnvironment } from '../../../sim/environment';
import { createAccountResultEvent } from '../../../sim/events';
import type { AccountId } from '../../../tasks/lib/domain';
import { BASELINE_MAX_CHECKS } from '../../../tasks/check-baseline-role';
import { SUBSCRIPTION_FILTER_NAME } from '../../../tasks/lib/ownership';
import { causeMessage } from '../../../workflows/local/runner';

const ACCOUNT = '210987654321' as AccountId;

function setUp(options: { roleMissingAttempts?: number; status?: 'ACTIVE' | 'SUSPENDED' } = {}): OfflineEnvironment {
  const env = createOfflineEnvironment();
  env.state.addAccount({ id: ACCOUNT, name: 'new-member', regions: env.config.governedRegions, ...options });
  for (const region of env.config.governedRegions) {
    for (let i = 0; i < 30; i++) env.state.createLogGroup(ACCOUNT, region, `/app/service-${i}`);
  }
  return env;
}

describe('onboard-account workflow', () => {
  it('waits for a late baseline role, then onboards every governed region of a new account', async () => {
    // Prepare
    const env = setUp({ roleMissingAttempts: 3 });
    const route = env.router.route(createAccountResultEvent(ACCOUNT));
    if (route.workflow === null) throw new Error(route.reason);

    // Act
    const execution = await env.runner.start(route.workflow, route.input);

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.statesEntered.filter((s) => s === 'WaitForBaseline')).toHaveLength(3);
    // One onboard-region per governed region, then one page loop for all of them.
    expect(execution.children.map((c) => c.workflow)).toEqual([...env.config.governedRegions.map(() => 'onboard-region'), 'subscribe-log-groups']);
    const output = execution.output as { regions: Array<{ region: string; status: string; logGroups: { totals: { subscribed: number } } }> };
    expect(output.regions.map((r) => [r.region, r.status, r.logGroups.totals.subscribed]).sort()).toEqual(
      env.config.governedRegions.map((r) => [r, 'Onboarded', 30]).sort(),
    );
    for (const region of env.config.governedRegions) {
      const groups = [...env.state.accountRegion(ACCOUNT, region).logGroups.values()];
      expect(groups.every((g) => g.filters.has(SUBSCRIPTION_FILTER_NAME))).toBe(true);
    }
  });

  it('onboards only the regions an operator asks for', async () => {
    // Prepare
    const env = setUp();

    // Act
    const execution = await env.runner.start('onboard-account', { accountId: ACCOUNT, regions: ['eu-west-1'] });

    // Assess
    expect(execution.output).toMatchObject({ trigger: 'manual', regions: [{ region: 'eu-west-1', status: 'Onboarded' }] });
    expect([...env.state.accountRegion(ACCOUNT, 'us-east-1').logGroups.values()].some((g) => g.filters.size > 0)).toBe(false);
  });

  it('refuses a requested region that is not governed, naming it', async () => {
    const env = setUp();
    const execution = await env.runner.start('onboard-account', { accountId: ACCOUNT, regions: ['sa-east-1'] });
    expect(execution).toMatchObject({ status: 'FAILED', error: 'InvalidInput' });
    expect(causeMessage(execution.cause)).toContain('regions: "sa-east-1" is not governed');
  });

  it('fails with AccountNotActive for a suspended account, writing nothing', async () => {
    const env = setUp({ status: 'SUSPENDED' });
    const execution = await env.runner.start('onboard-account', { accountId: ACCOUNT });
    expect(execution).toMatchObject({ status: 'FAILED', error: 'AccountNotActive' });
    expect(env.aws.ledger.writes).toBe(0);
  });

  it('gives up with BaselineRoleNeverReady after a bounded number of checks', async () => {
    // Prepare
    const env = setUp({ roleMissingAttempts: 1000 });

    // Act
    const execution = await env.runner.start('onboard-account', { accountId: ACCOUNT });

    // Assess
    expect(execution).toMatchObject({ status: 'FAILED', error: 'BaselineRoleNeverReady' });
    expect(execution.statesEntered.filter((s) => s === 'CheckBaselineRole')).toHaveLength(BASELINE_MAX_CHECKS);
  });
});

describe('onboard-account outcomes', () => {
  it('fails visibly when one region fails, naming the region and what failed there, after onboarding the others', async () => {
    // Prepare: the member's forwarding rule in eu-west-1 cannot be written (a rule of that name has 5 foreign targets).
    const env = setUp();
    const rules = env.state.accountRegion(ACCOUNT, 'eu-west-1').eventRules;
    rules.set('tributary-forward-to-hub', {
      name: 'tributary-forward-to-hub',
      eventPattern: '{"source":["aws.logs"]}',
      state: 'ENABLED',
      targets: new Map(['a', 'b', 'c', 'd', 'e'].map((id) => [id, { Id: id, Arn: `arn:aws:sqs:eu-west-1:${ACCOUNT}:q-${id}` }])),
    });

    // Act
    const execution = await env.runner.start('onboard-account', { accountId: ACCOUNT });

    // Assess
    expect(execution).toMatchObject({ status: 'FAILED', error: 'WorkIncomplete' });
    expect(causeMessage(execution.cause)).toMatch(
      /^onboard-account 210987654321: 1 part\(s\) failed: eu-west-1: WorkIncomplete: .*eu-west-1 eventForwarding: /,
    );
    for (const region of ['us-east-1', 'ap-southeast-2']) {
      expect([...env.state.accountRegion(ACCOUNT, region).logGroups.values()].every((g) => g.filters.has(SUBSCRIPTION_FILTER_NAME))).toBe(true);
    }
  });

  it("fails visibly when one region's log groups cannot be listed, naming the region, after subscribing the others' groups", async () => {
    // Prepare: every listing of eu-west-1's log groups is refused (an SCP, say); the other regions page on.
    const env = setUp();
    env.aws.interceptors.push((call) => {
      if (call.phase === 'before' && call.operation === 'DescribeLogGroups' && call.region === 'eu-west-1' && call.callerAccount === ACCOUNT)
        throw Object.assign(new Error('User is not authorized to perform: logs:DescribeLogGroups with an explicit deny'), { name: 'AccessDeniedException' });
    });

    // Act
    const execution = await env.runner.start('onboard-account', { accountId: ACCOUNT });

    // Assess
    expect(execution).toMatchObject({ status: 'FAILED', error: 'WorkIncomplete' });
    expect(causeMessage(execution.cause)).toMatch(
      /^onboard-account 210987654321: 1 part\(s\) failed: eu-west-1 logGroups: AwsRequestRejected: logs:DescribeLogGroups 210987654321 eu-west-1: AccessDeniedException/,
    );
    for (const region of ['us-east-1', 'ap-southeast-2']) {
      expect([...env.state.accountRegion(ACCOUNT, region).logGroups.values()].every((g) => g.filters.has(SUBSCRIPTION_FILTER_NAME))).toBe(true);
    }
  });
});
