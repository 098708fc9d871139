/**
 * Convergence under faults: an organization of 20 accounts x 3 regions x 100 log groups and
 * several VPCs, onboarded through its events with 15% throttling, 2% 5xx, late baseline roles and
 * late-visible log groups, ends fully wired without touching anything foreign; a second full run
 * makes no write.
 */
import { changedSince, guardDutyCoverage, logGroupCoverage, snapshotForeignFilters, snapshotForeignFlowLogs, vpcCoverage, destinationAccess } from '../../sim/coverage';
import { createOfflineEnvironment } from '../../sim/environment';
import { deliver } from '../../sim/event-delivery';
import { createAccountResultEvent, createLogGroupEvent, createVpcEvent } from '../../sim/events';
import { createScenarioLogGroup, memberAccountId, populateExistingAccount } from '../../sim/scenario';
import { fireEvents } from '../../sim/simulation';

const ACCOUNTS = 20;

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

    // Act: the accounts' creation events; as soon as a region forwards its events to the hub,
    // a new log group (late-visible) and a new VPC appear there, and their events arrive.
    let onboarded = false;
    const onboarding = fireEvents(env, accounts.map((id) => createAccountResultEvent(id)), 64).finally(() => (onboarded = true));
    const memberEvents: Array<Promise<Awaited<ReturnType<typeof fireEvents>>>> = [];
    const pending = new Set(accounts.flatMap((id) => env.config.governedRegions.map((region) => `${id}/${region}`)));
    while (pending.size > 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      for (const key of [...pending]) {
        const [id, region] = key.split('/') as [string, string];
        const name = '/aws/lambda/created-during-onboarding';
        // Once onboarding has ended, a region that does not forward gets its events anyway (and they show the gap).
        if (!onboarded && !(await deliver(env, createLogGroupEvent(id, region, name))).delivered) continue;
        pending.delete(key);
        createScenarioLogGroup(env, { accountId: id as never, region: region as never, logGroupName: name }, 0);
        const vpc = env.state.createVpc(id, region, { hiddenReads: 2 });
        memberEvents.push(fireEvents(env, [createLogGroupEvent(id, region, name), createVpcEvent(id, region, vpc.VpcId)], 2));
      }
    }
    const runs = [await onboarding, ...(await Promise.all(memberEvents))];
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
    expect(env.aws.ledger.faultsInjected().throttle).toBeGreaterThan(1000);

    // Act again: a full re-run of every account
    const writesBefore = env.aws.ledger.writes;
    const second = await fireEvents(env, accounts.map((id) => createAccountResultEvent(id)), 64);

    // Assess
    expect(second.records.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    expect(env.aws.ledger.writes - writesBefore).toBe(0);
  });
});
