/** Subscription mode account-policy: one account-level policy per member region, exclusions by name. */
import { createOfflineEnvironment, type OfflineEnvironment } from '../../../sim/environment';
import { createLogGroupEvent } from '../../../sim/events';
import type { AccountId } from '../../../tasks/lib/domain';
import { ACCOUNT_POLICY_NAME } from '../../../tasks/lib/ownership';

const ACCOUNT = '123456789012' as AccountId;
const REGION = 'eu-west-1';

function setUp(): OfflineEnvironment {
  const base = createOfflineEnvironment();
  const env = createOfflineEnvironment({ config: { ...base.config, subscription: { mode: 'account-policy', filterPattern: '' } } });
  env.state.addAccount({ id: ACCOUNT, name: 'workload', regions: env.config.governedRegions });
  for (const name of ['/aws/lambda/orders', '/aws/lambda/sandbox-1', '/ecs/web']) env.state.createLogGroup(ACCOUNT, REGION, name);
  return env;
}

const policyOf = (env: OfflineEnvironment) => env.state.accountRegion(ACCOUNT, REGION).accountPolicies.get(ACCOUNT_POLICY_NAME);

describe('account-policy subscription mode', () => {
  it('puts one account-level policy excluding the excluded groups by name, and no per-group filter', async () => {
    // Act
    const execution = await setUp().runner.start('onboard-region', { accountId: ACCOUNT, region: REGION });

    // Assess
    expect(execution.output).toMatchObject({ logGroups: { status: 'Done', changed: true, excludedGroups: 1 } });
  });

  it('writes the policy the destination accepts, and changes nothing when run again', async () => {
    // Prepare
    const env = setUp();
    await env.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION });
    const writes = env.aws.ledger.writes;

    // Act
    const again = await env.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION });

    // Assess
    expect(policyOf(env)).toMatchObject({
      policyType: 'SUBSCRIPTION_FILTER_POLICY',
      scope: 'ALL',
      selectionCriteria: 'LogGroupName NOT IN ["/aws/lambda/sandbox-1"]',
    });
    expect(JSON.parse(policyOf(env)!.policyDocument)).toEqual({
      DestinationArn: `arn:aws:logs:${REGION}:${env.config.accounts.logging}:destination:tributary-central-logging`,
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/TributaryLogsDelivery`,
      FilterPattern: '',
      Distribution: 'ByLogStream',
    });
    expect([...env.state.accountRegion(ACCOUNT, REGION).logGroups.values()].every((g) => g.filters.size === 0)).toBe(true);
    expect(again.output).toMatchObject({ logGroups: { changed: false } });
    expect(env.aws.ledger.writes).toBe(writes);
  });

  it('offboarding with removeWiring deletes the policy, which the member role may do (logs:DeleteSubscriptionFilter with DeleteAccountPolicy)', async () => {
    // Prepare
    const env = setUp();
    await env.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION });
    expect(policyOf(env)).toBeDefined();

    // Act
    const execution = await env.runner.start('offboard-account', { accountId: ACCOUNT, trigger: 'manual', removeWiring: true, force: true });

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(policyOf(env)).toBeUndefined();
  });

  it('a new group is reported covered; a new excluded group is added to the exclusions', async () => {
    // Prepare
    const env = setUp();
    await env.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION });
    env.state.createLogGroup(ACCOUNT, REGION, '/aws/lambda/payments');
    env.state.createLogGroup(ACCOUNT, REGION, '/aws/lambda/sandbox-2');
    const run = async (name: string) => {
      const route = env.router.route(createLogGroupEvent(ACCOUNT, REGION, name));
      if (route.workflow === null) throw new Error(route.reason);
      return env.runner.start(route.workflow, route.input);
    };

    // Act
    const covered = await run('/aws/lambda/payments');
    const excluded = await run('/aws/lambda/sandbox-2');

    // Assess
    expect(covered.output).toMatchObject({ status: 'CoveredByAccountPolicy', changed: false });
    expect(excluded.output).toMatchObject({ status: 'Excluded', changed: true });
    expect(policyOf(env)!.selectionCriteria).toContain('"/aws/lambda/sandbox-2"');
  });
});
