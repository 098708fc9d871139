/**
 * Convergence under faults: an organization of 5 accounts x 3 regions x 100 log groups and
 * several VPCs, onboarded through its events with 15% throttling, 2% 5xx, late baseline roles and
 * late-visible log groups, ends fully wired without touching anything foreign; a second full run
 * makes no write.
 */
import {
  changedSince,
  guardDutyCoverage,
  logGroupCoverage,
  snapshotForeignFilters,
  snapshotForeignFlowLogs,
  vpcCoverage,
  destinationAccess,
} from '../../sim/coverage';
import { createOfflineEnvironment } from '../../sim/environment';
import { createAccountResultEvent, createLogGroupEvent, createVpcEvent } from '../../sim/events';
import { createScenarioLogGroup, memberAccountId, populateExistingAccount } from '../../sim/scenario';
import { fireEvents } from '../../sim/simulation';

const ACCOUNTS = 5;

describe('convergence of the whole organization under faults', () => {
  it('reaches full coverage with zero foreign changes and zero duplicates, and a second run writes nothing', async () => {
    // Prepare
    const base = createOfflineEnvironment();
    const env = createOfflineEnvironment({
      config: { ...base.config, destinationAccess: 'account-list' },
      faults: { seed: 2026, throttleRate: 0.15, serverErrorRate: 0.02, lateLogGroupReads: 2, lateRoleAttempts: 2 },
    });
    const accounts = Array.from({ length: ACCOUNTS }, (_, i) => memberAccountId(i));
    for (const id of accounts) {
      env.state.addAccount({ id, name: `member-${id}`, regions: env.config.governedRegions, roleMissingAttempts: 2 });
      populateExistingAccount(env, id, { logGroupsPerRegion: 100, vpcsPerRegion: 3 });
    }
    const foreignFiltersBefore = snapshotForeignFilters(env.state);
    const foreignFlowLogsBefore = snapshotForeignFlowLogs(env.state);

    // Act: the accounts' creation events; as soon as a region's forwarding rule gets its target
    // (the moment it forwards to the hub), a new log group (late-visible) and a new VPC appear
    // there, and their events arrive: driven by the simulated calls, not by the wall clock.
    const memberEvents: Array<Promise<Awaited<ReturnType<typeof fireEvents>>>> = [];
    const wired = new Set<string>();
    env.aws.interceptors.push(({ service, operation, phase, callerAccount, region }) => {
      const key = `${callerAccount}/${region}`;
      if (service !== 'EventBridge' || operation !== 'PutTargets' || phase !== 'after' || wired.has(key) || !accounts.includes(callerAccount as never)) return;
      wired.add(key);
      const name = '/aws/lambda/created-during-onboarding';
      createScenarioLogGroup(env, { accountId: callerAccount as never, region: region as never, logGroupName: name }, 0);
      const vpc = env.state.createVpc(callerAccount, region, { hiddenReads: 2 });
      memberEvents.push(fireEvents(env, [createLogGroupEvent(callerAccount, region, name), createVpcEvent(callerAccount, region, vpc.VpcId)], 2));
    });
    const onboarding = await fireEvents(
      env,
      accounts.map((id) => createAccountResultEvent(id)),
      64,
    );
    expect(wired.size).toBe(ACCOUNTS * 3);
    const runs = [onboarding, ...(await Promise.all(memberEvents))];
    const first = { records: runs.flatMap((r) => r.records) };
    expect(runs.flatMap((r) => r.lost)).toEqual([]);

    // Assess
    const members = new Set<string>(accounts);
    expect(first.records.filter((r) => r.status !== 'SUCCEEDED').map((r) => `${r.workflow}: ${r.error} ${r.cause}`)).toEqual([]);
    const logGroups = logGroupCoverage(env.state, env.config, members);
    // 100 existing, 1 created during onboarding, and the flow-log group Tributary creates.
    expect(logGroups.totals.total).toBe(ACCOUNTS * 3 * 102);
    expect(logGroups.totals.missing).toBe(0);
    expect(logGroups.duplicateFilters).toBe(0);
    const vpcs = vpcCoverage(env.state, env.config, members);
    expect(vpcs).toEqual({ total: ACCOUNTS * 3 * 4, withFlowLogs: ACCOUNTS * 3 * 4, duplicateFlowLogs: 0 });
    expect(guardDutyCoverage(env.state, env.config, members)).toEqual({ expected: ACCOUNTS * 3, members: ACCOUNTS * 3 });
    expect(changedSince(foreignFiltersBefore, snapshotForeignFilters(env.state))).toBe(0);
    expect(changedSince(foreignFlowLogsBefore, snapshotForeignFlowLogs(env.state))).toBe(0);
    for (const accountsInRegion of Object.values(destinationAccess(env.state, env.config))) expect(accountsInRegion).toEqual([...accounts].sort());
    expect(env.aws.ledger.faultsInjected().throttle).toBeGreaterThan(50 * ACCOUNTS);

    // Act again: a full re-run of every account
    const writesBefore = env.aws.ledger.writes;
    const second = await fireEvents(
      env,
      accounts.map((id) => createAccountResultEvent(id)),
      64,
    );

    // Assess
    expect(second.records.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    expect(env.aws.ledger.writes - writesBefore).toBe(0);
  });
});
