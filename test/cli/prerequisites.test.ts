/** `plan` names each missing prerequisite it can see, with the command that fixes it. */
import { checkPrerequisites } from '../../bin/prerequisite-checks';
import { planRoleName } from '../../infra/member-role-policy';
import { createOfflineEnvironment, type OfflineEnvironment } from '../../sim/environment';
import type { TaskContext } from '../../tasks/lib/context';
import type { AccountId } from '../../tasks/lib/domain';
import { tributary } from './in-process';

const MEMBER = '100000000001' as AccountId;

function planContext(env: OfflineEnvironment): TaskContext {
  return { ...env.context, clients: env.aws.clientFactory(env.config.accounts.orchestration, env.config.homeRegion, planRoleName(env.config)) };
}

async function problemsOf(prepare: (env: OfflineEnvironment) => void) {
  const env = createOfflineEnvironment();
  env.state.addAccount({ id: MEMBER, name: 'member', regions: env.config.governedRegions });
  prepare(env);
  return env.clock.run(() => checkPrerequisites(planContext(env), MEMBER, env.config.accounts.orchestration));
}

describe('prerequisite checks', () => {
  it('find nothing missing in an organization set up as the deploy steps say', async () => {
    expect(await problemsOf(() => undefined)).toEqual([]);
  });

  it('name the logging account outside memberBaselineTargets, and how to find the OU to add', async () => {
    const problems = await problemsOf((env) => (env.state.account(env.config.accounts.logging)!.outsideBaseline = true));
    expect(problems).toEqual([
      {
        problem: expect.stringMatching(/^the logging account 222222222222 has no Tributary baseline role: it is outside memberBaselineTargets/),
        fix: 'add the OU it is in (aws organizations list-parents --child-id 222222222222) to memberBaselineTargets, then deploy again',
      },
    ]);
  });

  it('name each missing delegation with the exact command of the deploy steps', async () => {
    const problems = await problemsOf((env) => {
      env.state.organizationsDelegationPolicy = undefined;
      env.state.delegatedAdministrators.clear();
    });
    expect(problems.map((p) => p.fix)).toEqual([
      expect.stringMatching(/^aws organizations put-resource-policy --content '\{"Version":"2012-10-17"/),
      'aws organizations register-delegated-administrator --account-id 333333333333 --service-principal account.amazonaws.com',
    ]);
  });

  it('are part of plan: none missing offline, so it plans and exits 0', async () => {
    const { code, stdout } = await tributary(['plan', '--offline', '--account', MEMBER, '--regions', 'us-east-1', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).prerequisites).toEqual([]);
  });
});
