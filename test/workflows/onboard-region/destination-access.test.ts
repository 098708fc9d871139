/** Destination access in account-list mode: concurrent onboardings lose no update; the 5,120-byte limit is explained. */
import { DescribeDestinationsCommand, PutDestinationPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { createOfflineEnvironment, type OfflineEnvironment } from '../../../sim/environment';
import { memberAccountId } from '../../../sim/scenario';
import type { AccountId, Region } from '../../../tasks/lib/domain';
import { accountListDestinationPolicy, accountsInPolicy } from '../../../tasks/lib/destination-policy';
import { destinationArn, DESTINATION_NAME } from '../../../tasks/lib/ownership';
import { causeMessage } from '../../../workflows/local/runner';

const REGION = 'eu-west-1' as Region;

function accountListEnvironment(members: number): { env: OfflineEnvironment; accounts: AccountId[] } {
  const base = createOfflineEnvironment();
  const env = createOfflineEnvironment({ config: { ...base.config, destinationAccess: 'account-list' }, faults: { seed: 5, throttleRate: 0.1 } });
  const accounts = Array.from({ length: members }, (_, i) => memberAccountId(i));
  for (const id of accounts) env.state.addAccount({ id, name: id, regions: env.config.governedRegions });
  return { env, accounts };
}

function policyAccounts(env: OfflineEnvironment): string[] {
  return accountsInPolicy(env.state.accountRegion(env.config.accounts.logging, REGION).destinations.get(DESTINATION_NAME)!.accessPolicy);
}

describe('destination access in account-list mode', () => {
  it('the simulator interleaves concurrent writers: a read-modify-write without the lock loses updates', async () => {
    // Prepare
    const { env, accounts } = accountListEnvironment(30);
    const logs = await env.context.clients.logs(env.config.accounts.logging, REGION);

    // Act: every writer reads, adds itself and writes, with no lock
    await Promise.all(
      accounts.map(async (account) => {
        const { destinations = [] } = await logs.send(new DescribeDestinationsCommand({ DestinationNamePrefix: DESTINATION_NAME }));
        const current = accountsInPolicy(destinations[0]!.accessPolicy) as AccountId[];
        const policy = accountListDestinationPolicy(destinationArn(env.config.accounts.logging, REGION), [...current, account]);
        await logs.send(new PutDestinationPolicyCommand({ destinationName: DESTINATION_NAME, accessPolicy: JSON.stringify(policy) })).catch(() => undefined);
      }),
    );

    // Assess
    expect(policyAccounts(env).length).toBeLessThan(30);
  });

  it('onboarding 30 accounts at the same time leaves every one of them in the policy, and only them', async () => {
    // Prepare
    const { env, accounts } = accountListEnvironment(30);

    // Act
    const executions = await Promise.all(accounts.map((accountId) => env.runner.start('onboard-region', { accountId, region: REGION })));

    // Assess
    expect(executions.map((e) => (e.output as { destinationAccess: { status: string } }).destinationAccess.status)).toEqual(accounts.map(() => 'Granted'));
    expect(policyAccounts(env)).toEqual([...accounts].sort());
    expect(executions.some((e) => e.statesEntered.length > 0)).toBe(true);
  });

  it('fails with DestinationPolicyTooLarge, saying to switch to organization mode, past 5,120 bytes', async () => {
    // Prepare: a policy listing 323 accounts, the most that fit in 5,120 bytes
    const { env } = accountListEnvironment(1);
    const destination = env.state.accountRegion(env.config.accounts.logging, REGION).destinations.get(DESTINATION_NAME)!;
    destination.accessPolicy = JSON.stringify(
      accountListDestinationPolicy(
        destination.arn,
        Array.from({ length: 323 }, (_, i) => String(300000000000 + i) as AccountId),
      ),
    );
    const newcomer = memberAccountId(0);

    // Act
    const execution = await env.runner.start('onboard-region', { accountId: newcomer, region: REGION });

    // Assess: the execution fails visibly, naming the part, the error and the fix.
    expect(execution).toMatchObject({ status: 'FAILED', error: 'WorkIncomplete' });
    expect(causeMessage(execution.cause)).toContain(`${REGION} destinationAccess: DestinationPolicyTooLarge`);
    expect(causeMessage(execution.cause)).toContain('set config.destinationAccess to "organization"');
    expect(policyAccounts(env)).not.toContain(newcomer);
  });
});
