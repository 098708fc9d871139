/** offboard-account end to end: a departed account loses destination access and GuardDuty membership, and nothing else. */
import { createOfflineEnvironment, type OfflineEnvironment } from '../../../sim/environment';
import { accountDepartedEvent, closeAccountEvent, removeAccountEvent } from '../../../sim/events';
import { fireEvents } from '../../../sim/simulation';
import { memberAccountId } from '../../../sim/scenario';
import type { AccountId } from '../../../tasks/lib/domain';
import { accountsInPolicy } from '../../../tasks/lib/destination-policy';
import { DESTINATION_NAME, SUBSCRIPTION_FILTER_NAME } from '../../../tasks/lib/ownership';

const REGION = 'eu-west-1';

async function onboardedOrganization(): Promise<{ env: OfflineEnvironment; accounts: AccountId[] }> {
  const base = createOfflineEnvironment();
  const env = createOfflineEnvironment({ config: { ...base.config, destinationAccess: 'account-list' } });
  const accounts = [0, 1, 2].map(memberAccountId);
  for (const id of accounts) {
    env.state.addAccount({ id, name: `m-${id}`, regions: env.config.governedRegions });
    env.state.createLogGroup(id, REGION, '/app/orders');
  }
  await Promise.all(accounts.map((accountId) => env.runner.start('onboard-account', { accountId })));
  return { env, accounts };
}

const policyAccounts = (env: OfflineEnvironment, region = REGION) =>
  accountsInPolicy(env.state.accountRegion(env.config.accounts.logging, region).destinations.get(DESTINATION_NAME)!.accessPolicy);

describe('offboard-account workflow', () => {
  it.each([
    ['CloseAccount', closeAccountEvent],
    ['AccountDepartedOrganization', accountDepartedEvent],
  ])('after %s, removes the account from every region policy and GuardDuty, and deletes no log data', async (_trigger, event) => {
    // Prepare
    const { env, accounts } = await onboardedOrganization();
    const [leaving, ...staying] = accounts as [AccountId, ...AccountId[]];
    env.state.account(leaving)!.status = 'SUSPENDED';
    const route = env.router.route(event(leaving));
    if (route.workflow === null) throw new Error(route.reason);

    // Act
    const execution = await env.runner.start(route.workflow, route.input);

    // Assess
    expect(route.workflow).toBe('offboard-account');
    expect(execution.status).toBe('SUCCEEDED');
    for (const region of env.config.governedRegions) {
      expect(policyAccounts(env, region)).toEqual([...staying].sort());
      expect(env.state.accountRegion(env.config.guardDuty.administratorAccount, region).guardDuty.members.has(leaving)).toBe(false);
    }
    expect(env.state.accountRegion(leaving, REGION).logGroups.get('/app/orders')!.filters.has(SUBSCRIPTION_FILTER_NAME)).toBe(true);
  });

  it('changes nothing when run again', async () => {
    const { env, accounts } = await onboardedOrganization();
    env.state.account(accounts[0]!)!.status = 'SUSPENDED';
    await env.runner.start('offboard-account', { accountId: accounts[0] });
    const writes = env.aws.ledger.writes;
    const again = await env.runner.start('offboard-account', { accountId: accounts[0] });
    expect((again.output as { regions: Array<{ changed: boolean }> }).regions.every((r) => !r.changed)).toBe(true);
    expect(env.aws.ledger.writes).toBe(writes);
  });

  it('refuses to offboard an ACTIVE member unless the input says force, and names both ways out', async () => {
    // Prepare
    const { env, accounts } = await onboardedOrganization();
    const member = accounts[2]!;

    // Act
    const refused = await env.runner.start('offboard-account', { accountId: member, trigger: 'manual' });
    const listedAfterRefusal = policyAccounts(env).includes(member);
    const forced = await env.runner.start('offboard-account', { accountId: member, trigger: 'manual', force: true });

    // Assess
    expect(refused).toMatchObject({ status: 'FAILED', error: 'AccountStillActive' });
    expect(refused.cause).toContain('Remove or close the account first, or start offboard-account with \\"force\\": true');
    expect(listedAfterRefusal).toBe(true);
    expect(forced.status).toBe('SUCCEEDED');
    expect(policyAccounts(env)).not.toContain(member);
  });

  it('starts nothing for a failed CloseAccount call', () => {
    const env = createOfflineEnvironment();
    expect(env.router.route(closeAccountEvent(memberAccountId(0), { errorCode: 'AccountNotFoundException' }))).toEqual({
      workflow: null,
      reason: expect.stringContaining('AccountNotFoundException'),
    });
  });

  it('offboards once when an account is removed: the RemoveAccountFromOrganization call, then AccountDepartedOrganization', async () => {
    // Prepare
    const { env, accounts } = await onboardedOrganization();
    const leaving = accounts[0]!;
    const management = { managementAccount: env.config.accounts.management };
    env.state.account(leaving)!.status = 'SUSPENDED';

    // Act
    const { records, lost } = await fireEvents(env, [removeAccountEvent(leaving, management), accountDepartedEvent(leaving, management)], 2);

    // Assess: the departure finds the account and offboards it, once (its one child execution).
    expect(lost).toEqual([]);
    expect(records.map((r) => [r.workflow, r.status])).toEqual([['offboard-account', 'SUCCEEDED']]);
    expect(records[0]!.output).toMatchObject({ departures: [{ accountId: leaving, status: 'Offboarded' }], omitted: 0 });
  });

  it('offboards the departed account from a departure event that names no account', async () => {
    // Prepare: the event without its (undocumented) serviceEventDetails.
    const { env, accounts } = await onboardedOrganization();
    const [leaving, ...staying] = accounts as [AccountId, ...AccountId[]];
    env.state.account(leaving)!.status = 'SUSPENDED';
    const event = accountDepartedEvent(leaving, { managementAccount: env.config.accounts.management }) as { detail: Record<string, unknown> };
    delete event.detail.serviceEventDetails;
    const route = env.router.route(event);
    if (route.workflow === null) throw new Error(route.reason);

    // Act
    const execution = await env.runner.start(route.workflow, route.input);

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toMatchObject({ departures: [{ accountId: leaving, status: 'Offboarded' }] });
    for (const region of env.config.governedRegions) expect(policyAccounts(env, region)).toEqual([...staying].sort());
  });

  it('offboards once when CloseAccount is followed by the departure: the departure finds nothing left to offboard', async () => {
    // Prepare
    const { env, accounts } = await onboardedOrganization();
    const closing = accounts[1]!;
    const management = { managementAccount: env.config.accounts.management };
    // CloseAccount leaves the account PENDING_CLOSURE (https://docs.aws.amazon.com/organizations/latest/APIReference/API_CloseAccount.html), later SUSPENDED.
    env.state.account(closing)!.status = 'PENDING_CLOSURE';
    const closed = await fireEvents(env, [closeAccountEvent(closing, management)], 1);
    env.state.account(closing)!.status = 'SUSPENDED';
    const offboardRegionsBefore = env.aws.ledger.apiCalls()['GuardDuty.DisassociateMembers'] ?? 0;

    // Act
    const { records } = await fireEvents(env, [accountDepartedEvent(closing, management)], 1);

    // Assess
    expect(closed.records.map((r) => r.status)).toEqual(['SUCCEEDED']);
    expect(records.map((r) => [r.status, r.output])).toEqual([['SUCCEEDED', expect.objectContaining({ departures: [], omitted: 0 })]]);
    expect(env.aws.ledger.apiCalls()['GuardDuty.DisassociateMembers'] ?? 0).toBe(offboardRegionsBefore);
  });
});
