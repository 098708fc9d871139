/** reconcile on the simulator: drift introduced by hand is repaired and reported exactly; then nothing. */
import { createOfflineEnvironment } from '../../../sim/environment';
import { acceptHandshakeEvent, accountJoinedEvent } from '../../../sim/events';
import { memberAccountId, populateExistingAccount } from '../../../sim/scenario';
import { fireEvents } from '../../../sim/simulation';
import type { AccountId } from '../../../tasks/lib/domain';
import { accountListDestinationPolicy, accountsInPolicy } from '../../../tasks/lib/destination-policy';
import { DESTINATION_NAME, SUBSCRIPTION_FILTER_NAME } from '../../../tasks/lib/ownership';
import type { DriftReport } from '../../../tasks/lib/drift';
import { LOCK_TABLE_NAME } from '../../../tasks/lib/lease-lock';
import {
  addOrganizationAccount,
  ORGANIZATION_ACCOUNTS_KEY,
  publishOrganizationAccounts,
  readOrganizationAccounts,
} from '../../../tasks/lib/organization-accounts';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const REGION = 'eu-west-1';

async function reconciledOrganization() {
  const base = createOfflineEnvironment();
  const env = createOfflineEnvironment({ config: { ...base.config, destinationAccess: 'account-list' }, faults: { seed: 8, throttleRate: 0.05 } });
  const accounts = [0, 1, 2, 3].map(memberAccountId);
  for (const id of accounts) {
    env.state.addAccount({ id, name: `m-${id}`, regions: env.config.governedRegions });
    populateExistingAccount(env, id, { logGroupsPerRegion: 20, vpcsPerRegion: 2 });
  }
  const first = await env.runner.start('reconcile', {});
  return { env, accounts, first };
}

describe('reconcile workflow', () => {
  it('onboards every ACTIVE account but the management account, in its first run', async () => {
    const { env, accounts, first } = await reconciledOrganization();
    const report = first.output as DriftReport;
    expect(first.status).toBe('SUCCEEDED');
    expect(report.drifted).toBe(true);
    expect(report.failures).toEqual([]);
    // Members, plus the logging, orchestration and GuardDuty administrator accounts; not the management account.
    expect(report.accounts).toBe(accounts.length + 3);
    expect(accountsInPolicy(env.state.accountRegion(env.config.accounts.logging, REGION).destinations.get(DESTINATION_NAME)!.accessPolicy)).not.toContain(
      env.config.accounts.management,
    );
    // The metric the reconcile alarm watches, as CloudWatch extracts it from ReportDrift's log line.
    expect(env.metrics.filter((m) => m.name === 'ReconcileFailedAccounts')).toEqual([
      expect.objectContaining({ namespace: 'Tributary', value: 0, dimensions: {} }),
    ]);
  });

  it('repairs a removed filter, a deleted flow log and a dropped account, reports exactly that, and then nothing', async () => {
    // Prepare: drift
    const { env, accounts } = await reconciledOrganization();
    const [a, b, c] = accounts as [AccountId, AccountId, AccountId];
    const group = [...env.state.accountRegion(a, REGION).logGroups.values()].find((g) => g.filters.has(SUBSCRIPTION_FILTER_NAME))!;
    group.filters.delete(SUBSCRIPTION_FILTER_NAME);
    const flowLogs = env.state.accountRegion(b, REGION).flowLogs;
    const ours = [...flowLogs.values()].find((f) => f.Tags.some((t) => t.Key === 'tributary:managed'))!;
    flowLogs.delete(ours.FlowLogId);
    const destination = env.state.accountRegion(env.config.accounts.logging, REGION).destinations.get(DESTINATION_NAME)!;
    destination.accessPolicy = JSON.stringify(
      accountListDestinationPolicy(destination.arn, accountsInPolicy(destination.accessPolicy).filter((x) => x !== c) as AccountId[]),
    );

    // Act
    const repair = await env.runner.start('reconcile', {});
    const writesAfterRepair = env.aws.ledger.writes;
    const again = await env.runner.start('reconcile', {});

    // Assess
    expect(repair.output).toMatchObject({
      drifted: true,
      repaired: { subscriptionFilters: 1, flowLogs: 1, destinationAccess: 1, eventForwarding: 0, guardDuty: 0, accountPolicies: 0 },
      details: expect.arrayContaining([`${a} ${REGION}: 1 subscriptionFilters`, `${b} ${REGION}: 1 flowLogs`, `${c} ${REGION}: 1 destinationAccess`]),
      failures: [],
    });
    expect((repair.output as DriftReport).details).toHaveLength(3);
    expect(group.filters.has(SUBSCRIPTION_FILTER_NAME)).toBe(true);
    expect(again.output).toMatchObject({ drifted: false, details: [], failures: [] });
    // Nothing is written but the run's own bookkeeping: its lease (taken, given back) and one record per account.
    expect(env.aws.ledger.writes - writesAfterRepair).toBe(2 + (again.output as DriftReport).accounts);
  });
});

describe("the record processor's list of the organization's accounts", () => {
  it('is published by the reconcile in the hub, in both access modes, and loses an account that left at the next reconcile', async () => {
    for (const destinationAccess of ['organization', 'account-list'] as const) {
      // Prepare
      const base = createOfflineEnvironment();
      const env = createOfflineEnvironment({ config: { ...base.config, destinationAccess } });
      const [stays, leaves] = [0, 1].map(memberAccountId) as [AccountId, AccountId];
      for (const id of [stays, leaves]) env.state.addAccount({ id, name: `m-${id}`, regions: env.config.governedRegions });
      const published = () =>
        new Set(
          (
            env.state
              .accountRegion(env.config.accounts.orchestration, env.config.homeRegion)
              .tables.get(LOCK_TABLE_NAME)
              ?.get(`pk=${ORGANIZATION_ACCOUNTS_KEY}`) as { accounts?: { SS: string[] } } | undefined
          )?.accounts?.SS,
        );

      // Act
      await env.runner.start('reconcile', {});
      const first = published();
      env.state.accounts.get(leaves)!.status = 'SUSPENDED';
      await env.runner.start('reconcile', {});

      // Assess
      expect([...first].sort()).toEqual(expect.arrayContaining([stays, leaves, env.config.accounts.logging, env.config.accounts.management]));
      expect(published().has(leaves)).toBe(false);
      expect(published().has(stays)).toBe(true);
    }
  });
});

describe("publishing the organization's accounts while an account is onboarded", () => {
  it("keeps an account onboarded after the reconcile's listing began, and drops it once a later listing leaves it out", async () => {
    // Prepare
    const env = createOfflineEnvironment();
    const dynamo = env.aws.directClient('DynamoDB', env.config.accounts.orchestration, env.config.homeRegion) as unknown as DynamoDBClient;
    const [listed, joining] = [0, 1].map(memberAccountId) as [AccountId, AccountId];
    const read = async () => [...((await readOrganizationAccounts(dynamo, LOCK_TABLE_NAME)) ?? [])].sort();

    // Act: the reconcile lists at 1,000; the joining account is onboarded at 2,000; the reconcile writes at 3,000.
    await addOrganizationAccount(dynamo, joining, 2_000);
    const wrote = await publishOrganizationAccounts(dynamo, [listed], 1_000, 3_000);
    const afterRace = await read();
    const again = await publishOrganizationAccounts(dynamo, [listed], 1_000, 4_000);
    await publishOrganizationAccounts(dynamo, [listed], 5_000, 6_000);

    // Assess
    expect(wrote).toBe(true);
    expect(afterRace).toEqual([listed, joining]);
    expect(again).toBe(false);
    expect(await read()).toEqual([listed]);
    expect(await addOrganizationAccount(dynamo, listed, 7_000)).toBe(false);
  });
});

describe('reconcile started by an account joining', () => {
  it('onboards a burst of joins once: the first event opens a minute-long window, and the events inside it are covered by that run', async () => {
    // Prepare: an onboarded organization; a day later, five invited accounts join within 20 s.
    const { env } = await reconciledOrganization();
    await env.clock.sleep(25 * 3_600_000);
    const joiners = [5, 6, 7, 8, 9].map((i) => memberAccountId(i));
    for (const joiner of joiners) {
      env.state.addAccount({ id: joiner, name: `invited-${joiner}`, regions: env.config.governedRegions, joinedAt: env.clock.now() });
      populateExistingAccount(env, joiner, { logGroupsPerRegion: 2, vpcsPerRegion: 1 });
    }

    // Act: each join's event reaches the hub 5 s after the last.
    const records = await env.clock.run(() =>
      Promise.all(
        joiners.map(async (_, i) => {
          await env.clock.sleep(i * 5_000);
          const { records } = await fireEvents(env, [accountJoinedEvent({ managementAccount: env.config.accounts.management })], 1);
          return records[0]!;
        }),
      ),
    );

    // Assess: one run onboards all five; the four others say which run covers them.
    expect(records.map((r) => r.status)).toEqual(Array(5).fill('SUCCEEDED'));
    const onboarded = records.flatMap((r) => r.children.flatMap((item) => item.children)).filter((c) => c.workflow === 'onboard-account');
    expect(onboarded.map((c) => (c.input as { accountId: string }).accountId).sort()).toEqual([...joiners].sort());
    const skipped = records.filter((r) => (r.output as { skipped?: string }).skipped !== undefined);
    expect(skipped).toHaveLength(4);
    expect(skipped.map((r) => r.output)).toEqual(Array(4).fill({ skipped: expect.any(String), coveredBy: records[0]!.executionArn.split(':').pop() }));
  });

  it('onboards only the accounts that joined in the last 24 hours, from AccountJoinedOrganization in the management account', async () => {
    // Prepare: an onboarded organization; a day later, an invited account joins.
    const { env, accounts } = await reconciledOrganization();
    await env.clock.sleep(25 * 3_600_000);
    const joiner = memberAccountId(9);
    env.state.addAccount({ id: joiner, name: 'invited', regions: env.config.governedRegions, joinedAt: env.clock.now() });
    populateExistingAccount(env, joiner, { logGroupsPerRegion: 5, vpcsPerRegion: 1 });

    // Act
    const { records, lost } = await fireEvents(
      env,
      [acceptHandshakeEvent(joiner), accountJoinedEvent({ managementAccount: env.config.accounts.management })],
      2,
    );

    // Assess
    expect(lost).toEqual([]);
    expect(records.map((r) => [r.workflow, r.status])).toEqual([['reconcile', 'SUCCEEDED']]);
    // The Distributed Map runs each account as a child execution, which starts onboard-account.
    const onboarded = records[0]!.children.flatMap((item) => item.children).filter((c) => c.workflow === 'onboard-account');
    expect(onboarded.map((c) => (c.input as { accountId: string }).accountId)).toEqual([joiner]);
    expect(accountsInPolicy(env.state.accountRegion(env.config.accounts.logging, REGION).destinations.get(DESTINATION_NAME)!.accessPolicy)).toEqual(
      expect.arrayContaining([...accounts, joiner]),
    );
  });
});
