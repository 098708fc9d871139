/**
 * The organization's delegations are prerequisites AWS enforces, and so does the simulator: the
 * orchestration account reads accounts only through the Organizations delegation policy, and a
 * member's regions only as Account Management's delegated administrator. Without them onboarding
 * fails, naming what was refused.
 */
import { createOfflineEnvironment, type OfflineEnvironment } from '../../sim/environment';
import { createAccountResultEvent } from '../../sim/events';
import type { AccountId } from '../../tasks/lib/domain';

const ACCOUNT = '210987654321' as AccountId;

function onboard(prepare: (env: OfflineEnvironment) => void) {
  const env = createOfflineEnvironment();
  env.state.addAccount({ id: ACCOUNT, name: 'new-member', regions: env.config.governedRegions });
  prepare(env);
  const route = env.router.route(createAccountResultEvent(ACCOUNT));
  if (route.workflow === null) throw new Error(route.reason);
  return env.runner.start(route.workflow, route.input);
}

describe('organization delegations', () => {
  it('onboards with the delegations the deploy steps make', async () => {
    expect((await onboard(() => undefined)).status).toBe('SUCCEEDED');
  });

  it('fails without the Organizations delegation policy: the orchestration account may not describe the account', async () => {
    const execution = await onboard((env) => (env.state.organizationsDelegationPolicy = undefined));
    expect(execution.status).toBe('FAILED');
    expect(String(execution.cause)).toMatch(/organizations:DescribeAccount/);
  });

  it("fails without Account Management's delegated administrator: the orchestration account may not list the member's regions", async () => {
    const execution = await onboard((env) => env.state.delegatedAdministrators.delete('account.amazonaws.com'));
    expect(execution.status).toBe('FAILED');
    expect(String(execution.cause)).toMatch(/neither the management account nor Account Management's delegated administrator/);
  });
});
