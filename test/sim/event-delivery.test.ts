/** Events reach the hub bus only along the rules that are deployed, from where AWS emits them. */
import { createOfflineEnvironment } from '../../sim/environment';
import { deliver } from '../../sim/event-delivery';
import { deployMemberBaseline } from '../../sim/member-baseline';
import { createLogGroupEvent, regionOptInEvent, removeAccountEvent } from '../../sim/events';
import type { AccountId } from '../../tasks/lib/domain';

const MEMBER = '123456789012' as AccountId;

function setUp() {
  const env = createOfflineEnvironment();
  env.state.addAccount({ id: MEMBER, name: 'workload', regions: env.config.governedRegions });
  return env;
}

describe('event delivery', () => {
  it('loses a region a member enables itself: AWS sends it to the member us-east-1 bus, which no deployed rule forwards', async () => {
    // Prepare
    const env = setUp();

    // Act
    const delivery = await deliver(env, regionOptInEvent(MEMBER, 'eu-west-1'));

    // Assess
    expect(delivery).toEqual({ delivered: false, reason: `nothing forwards "Region Opt-In Status Change" from the bus of ${MEMBER} in us-east-1 to the hub` });
  });

  it('delivers it once the member account-events StackSet has deployed its us-east-1 rule', async () => {
    // Prepare
    const env = setUp();
    deployMemberBaseline(env, MEMBER);

    // Act
    const delivery = await deliver(env, regionOptInEvent(MEMBER, 'eu-west-1'));

    // Assess
    expect(delivery).toEqual({ delivered: true, via: `rule tributary-account-events-to-hub (${MEMBER} us-east-1)` });
    expect(env.router.route(regionOptInEvent(MEMBER, 'eu-west-1'))).toMatchObject({
      workflow: 'onboard-region',
      input: { accountId: MEMBER, region: 'eu-west-1' },
    });
  });

  it('forwards organization events from the management account us-east-1 along the organization events rule', async () => {
    // Prepare
    const env = setUp();

    // Act
    const delivery = await deliver(env, removeAccountEvent(MEMBER, { managementAccount: env.config.accounts.management }));

    // Assess
    expect(delivery).toEqual({ delivered: true, via: 'rule tributary-organization-events-to-hub (management account)' });
  });

  it('forwards a member CreateLogGroup only once the member region has its forwarding rule', async () => {
    // Prepare
    const env = setUp();
    const event = createLogGroupEvent(MEMBER, 'eu-west-1', '/aws/lambda/orders');
    const before = await deliver(env, event);

    // Act: onboarding the region keeps its forwarding rule.
    await env.runner.start('onboard-region', { accountId: MEMBER, region: 'eu-west-1' });

    // Assess
    expect(before.delivered).toBe(false);
    expect(await deliver(env, event)).toEqual({ delivered: true, via: `rule tributary-forward-to-hub (${MEMBER} eu-west-1)` });
    expect((await deliver(env, createLogGroupEvent(MEMBER, 'ap-southeast-2', '/aws/lambda/orders'))).delivered).toBe(false);
  });

  it("refuses what the hub bus's policy does not allow: a forwarding rule's events, once the policy names another organization", async () => {
    // Prepare
    const env = setUp();
    const event = createLogGroupEvent(MEMBER, 'eu-west-1', '/aws/lambda/orders');
    await env.runner.start('onboard-region', { accountId: MEMBER, region: 'eu-west-1' });
    const policy = env.aws.authorizer!.hubBusPolicy as unknown as { Statement: Array<{ Condition: { StringEquals: Record<string, string> } }> };

    // Act
    policy.Statement[0]!.Condition.StringEquals['aws:PrincipalOrgID'] = 'o-someoneelse1';
    const delivery = await deliver(env, event);

    // Assess
    expect(delivery).toEqual({
      delivered: false,
      reason: `the hub bus policy refuses events forwarded by ${MEMBER} (rule tributary-forward-to-hub (${MEMBER} eu-west-1))`,
    });
  });
});
