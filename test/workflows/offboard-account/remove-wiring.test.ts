/** Offboarding with removeWiring: no Tributary filter, flow log or rule is left; every foreign one stays byte for byte. */
import { offlineOrganization } from '../../../bin/step-functions';
import type { OfflineEnvironment } from '../../../sim/environment';
import { isOwnedFlowLog } from '../../../tasks/lib/flow-log-plan';
import type { AccountId } from '../../../tasks/lib/domain';
import { FORWARDING_RULE_NAME, SUBSCRIPTION_FILTER_NAME } from '../../../tasks/lib/ownership';

/** Everything in the account's governed regions, split into Tributary's and the rest (as JSON, to compare bytes). */
function wiring(env: OfflineEnvironment, account: AccountId) {
  const ours: string[] = [];
  const foreign: string[] = [];
  for (const region of env.config.governedRegions) {
    const state = env.state.accountRegion(account, region);
    for (const group of state.logGroups.values())
      for (const filter of group.filters.values()) (filter.filterName === SUBSCRIPTION_FILTER_NAME ? ours : foreign).push(JSON.stringify(filter));
    for (const flowLog of state.flowLogs.values()) (isOwnedFlowLog(flowLog) ? ours : foreign).push(JSON.stringify(flowLog));
    for (const [name, rule] of state.eventRules)
      (name === FORWARDING_RULE_NAME ? ours : foreign).push(JSON.stringify({ ...rule, rule: name, targets: [...rule.targets.values()] }));
    for (const group of state.logGroups.values()) foreign.push(`log group ${group.logGroupName}`);
  }
  return { ours, foreign: foreign.sort() };
}

describe('offboard-account with removeWiring', () => {
  it('leaves no Tributary filter, flow log or rule, and every foreign one (and every log group) byte for byte', async () => {
    // Prepare: an onboarded account, with other teams' filters and flow logs beside ours
    const env = offlineOrganization(undefined, { lateRoles: 0 });
    const account = '100000000001' as AccountId;
    expect((await env.runner.start('onboard-account', { accountId: account })).status).toBe('SUCCEEDED');
    const before = wiring(env, account);
    expect(before.ours.length).toBeGreaterThan(20);
    expect(before.foreign.length).toBeGreaterThan(20);

    // Act
    const execution = await env.runner.start('offboard-account', { accountId: account, trigger: 'manual', removeWiring: true, force: true });

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    const after = wiring(env, account);
    expect(after.ours).toEqual([]);
    expect(after.foreign).toEqual(before.foreign);
    const removed = (execution.output as { regions: Array<{ wiringRemoved: { filters: number; flowLogs: number; forwardingRule: boolean } }> }).regions.map(
      (r) => r.wiringRemoved,
    );
    expect(removed.every((r) => r.forwardingRule)).toBe(true);
    expect(removed.reduce((n, r) => n + r.filters + r.flowLogs, 0)).toBe(before.ours.length - env.config.governedRegions.length);
  });

  it('without removeWiring, touches none of it', async () => {
    const env = offlineOrganization(undefined, { lateRoles: 0 });
    const account = '100000000002' as AccountId;
    await env.runner.start('onboard-account', { accountId: account });
    const before = wiring(env, account);
    const execution = await env.runner.start('offboard-account', { accountId: account, trigger: 'manual', force: true });
    expect(execution.status).toBe('SUCCEEDED');
    expect(wiring(env, account)).toEqual(before);
  });
});
