/**
 * A changed `subscription.filterPattern` reaches what is already wired: our filters are put again
 * with the new pattern, and a group whose filter (or account-level policy) still has the old one
 * is not counted as covered.
 */
import { createOfflineEnvironment, type OfflineEnvironment } from '../../../sim/environment';
import { logGroupCoverage } from '../../../sim/coverage';
import { createLogGroupEvent } from '../../../sim/events';
import type { AccountId } from '../../../tasks/lib/domain';
import { ACCOUNT_POLICY_NAME, SUBSCRIPTION_FILTER_NAME } from '../../../tasks/lib/ownership';

const ACCOUNT = '123456789012' as AccountId;
const REGION = 'eu-west-1';
const OLD = '';
const NEW = '{ $.eventSource = "iam.amazonaws.com" }';

/** An organization onboarded with the old pattern, then its config changed to the new one (and redeployed). */
async function onboardedThenChanged(mode: 'log-group' | 'account-policy'): Promise<OfflineEnvironment> {
  const base = createOfflineEnvironment();
  const env = createOfflineEnvironment({ config: { ...base.config, subscription: { mode, filterPattern: OLD } } });
  env.state.addAccount({ id: ACCOUNT, name: 'workload', regions: env.config.governedRegions });
  for (const name of ['/aws/lambda/orders', '/ecs/web']) env.state.createLogGroup(ACCOUNT, REGION, name);
  expect((await env.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION })).status).toBe('SUCCEEDED');
  env.config.subscription.filterPattern = NEW;
  return env;
}

describe('a changed filter pattern', () => {
  it('is applied to every existing filter of ours by the next onboarding', async () => {
    // Prepare
    const after = await onboardedThenChanged('log-group');
    const groups = [...after.state.accountRegion(ACCOUNT, REGION).logGroups.values()];
    expect(logGroupCoverage(after.state, after.config, new Set([ACCOUNT])).totals).toMatchObject({ subscribed: 0, missing: 2 });

    // Act
    const execution = await after.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION });

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(groups.map((g) => g.filters.get(SUBSCRIPTION_FILTER_NAME)?.filterPattern)).toEqual([NEW, NEW]);
    expect(logGroupCoverage(after.state, after.config, new Set([ACCOUNT])).totals).toMatchObject({ subscribed: 2, missing: 0 });
  });

  it('makes an account-level policy with the old pattern not cover a new group, until the policy is put again', async () => {
    // Prepare
    const after = await onboardedThenChanged('account-policy');
    after.state.createLogGroup(ACCOUNT, REGION, '/aws/lambda/new');
    const route = after.router.route(createLogGroupEvent(ACCOUNT, REGION, '/aws/lambda/new'));
    if (route.workflow === null) throw new Error(route.reason);

    // Act
    const stale = await after.runner.start(route.workflow, route.input);
    await after.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION });
    const fresh = await after.runner.start(route.workflow, route.input);

    // Assess
    expect(stale.output).toMatchObject({ status: 'AccountPolicyMissing' });
    expect(JSON.parse(after.state.accountRegion(ACCOUNT, REGION).accountPolicies.get(ACCOUNT_POLICY_NAME)!.policyDocument).FilterPattern).toBe(NEW);
    expect(fresh.output).toMatchObject({ status: 'CoveredByAccountPolicy' });
  });
});
