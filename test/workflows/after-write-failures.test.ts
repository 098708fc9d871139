/**
 * Writes that take effect and then answer 5xx (a lost response): the SDK and the workflows retry
 * them, and the retry must neither fail nor duplicate anything.
 */
import { guardDutyCoverage, logGroupCoverage, vpcCoverage, destinationAccess } from '../../sim/coverage';
import { createOfflineEnvironment } from '../../sim/environment';
import { memberAccountId, populateExistingAccount } from '../../sim/scenario';
import { runExecutions } from '../../sim/simulation';

const ACCOUNTS = 4;

describe('writes that fail after they applied', () => {
  it('are retried to full coverage without a duplicate filter, flow log, member or policy entry', async () => {
    // Prepare: a third of all writes report a 5xx after taking effect.
    const base = createOfflineEnvironment();
    const env = createOfflineEnvironment({ config: { ...base.config, destinationAccess: 'account-list' }, faults: { seed: 7, afterWriteFailureRate: 0.3 } });
    const accounts = Array.from({ length: ACCOUNTS }, (_, i) => memberAccountId(i));
    for (const id of accounts) {
      env.state.addAccount({ id, name: id, regions: env.config.governedRegions });
      populateExistingAccount(env, id, { logGroupsPerRegion: 30, vpcsPerRegion: 2 });
    }

    // Act
    const records = await runExecutions(
      env,
      accounts.map((accountId) => ({ workflow: 'onboard-account' as const, input: { accountId } })),
      8,
    );

    // Assess
    expect(env.aws.ledger.faultsInjected()['after-write']).toBeGreaterThan(50);
    expect(records.filter((r) => r.status !== 'SUCCEEDED').map((r) => `${r.error}: ${r.cause}`)).toEqual([]);
    const members = new Set<string>(accounts);
    const logGroups = logGroupCoverage(env.state, env.config, members);
    expect(logGroups.totals.missing).toBe(0);
    expect(logGroups.duplicateFilters).toBe(0);
    const vpcs = vpcCoverage(env.state, env.config, members);
    expect(vpcs).toMatchObject({ duplicateFlowLogs: 0 });
    expect(vpcs.withFlowLogs).toBe(vpcs.total);
    expect(guardDutyCoverage(env.state, env.config, members)).toEqual({ expected: ACCOUNTS * 3, members: ACCOUNTS * 3 });
    for (const granted of Object.values(destinationAccess(env.state, env.config))) expect(granted).toEqual([...accounts].sort());
  });
});
