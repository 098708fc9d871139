/**
 * Offline, a task runs as Lambda runs it: in a free execution environment of its function, or a new
 * one. Each environment caches its own member credentials, so invocations at once each assume the
 * member role, and the orchestration account's STS quota sees every one of them.
 */
import { createOfflineEnvironment, type OfflineEnvironment } from '../../sim/environment';
import type { AccountId, Region } from '../../tasks/lib/domain';

const ACCOUNT = '123456789012' as AccountId;

/** The member roles assumed from now on, by role name. */
function assumedRoles(env: OfflineEnvironment): string[] {
  const roles: string[] = [];
  env.aws.interceptors.push((call) => {
    if (call.phase === 'after' && call.operation === 'AssumeRole') roles.push(String(call.input.RoleArn).replace(/^.*:role\//, ''));
  });
  return roles;
}

describe('Lambda execution environments, offline', () => {
  it('runs page invocations of two regions at once in two environments, each assuming the member role once', async () => {
    // Prepare: two regions of one account, their page loops side by side.
    const env = createOfflineEnvironment();
    const regions = env.config.governedRegions.slice(0, 2) as Region[];
    env.state.addAccount({ id: ACCOUNT, name: 'workload', regions: env.config.governedRegions });
    for (const region of regions) for (let i = 0; i < 40; i++) env.state.createLogGroup(ACCOUNT, region, `/app/'quoted'-${i}`);
    const roles = assumedRoles(env);

    // Act
    const execution = await env.runner.start('onboard-account', { accountId: ACCOUNT, regions });

    // Assess: two warm environments of the page task, each with its own credentials, reused page after page.
    expect(execution.status).toBe('SUCCEEDED');
    expect(roles.filter((r) => r.endsWith('-SubscribeLogGroupsPage'))).toHaveLength(2);
  });

  it('reuses a warm environment and its credentials for the next invocation', async () => {
    // Prepare
    const env = createOfflineEnvironment();
    const region = env.config.governedRegions[0] as Region;
    env.state.addAccount({ id: ACCOUNT, name: 'workload', regions: env.config.governedRegions });
    for (let i = 0; i < 40; i++) env.state.createLogGroup(ACCOUNT, region, `/app/${i}`);
    const roles = assumedRoles(env);

    // Act: ten pages, one after another.
    await env.runner.start('onboard-region', { accountId: ACCOUNT, region });

    // Assess
    expect(roles.filter((r) => r.endsWith('-SubscribeLogGroupsPage'))).toHaveLength(1);
  });
});
