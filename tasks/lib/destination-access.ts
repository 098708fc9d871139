/**
 * Changes the account list of a region's destination policy (destination access `account-list`)
 * under a lease lock, so that concurrent onboardings and offboardings never lose an update.
 */
import { DescribeDestinationsCommand, PutDestinationPolicyCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { toTaskError } from './aws-errors';
import type { TaskContext } from './context';
import type { AccountId, Region } from './domain';
import { accountListDestinationPolicy, accountsInPolicy, DESTINATION_POLICY_MAX_BYTES } from './destination-policy';
import { DestinationPolicyTooLargeError } from './errors';
import { withLeaseLock } from './lease-lock';
import { destinationArn, DESTINATION_NAME } from './ownership';

export async function readDestinationPolicy(logs: CloudWatchLogsClient, region: Region): Promise<string | undefined> {
  try {
    const { destinations = [] } = await logs.send(new DescribeDestinationsCommand({ DestinationNamePrefix: DESTINATION_NAME }));
    const destination = destinations.find((d) => d.destinationName === DESTINATION_NAME);
    if (!destination) throw new Error(`destination ${DESTINATION_NAME} does not exist in ${region}: deploy the data-path stacks first`);
    return destination.accessPolicy;
  } catch (error) {
    throw toTaskError(error, `logs:DescribeDestinations ${DESTINATION_NAME} ${region}`);
  }
}

export interface AccessChange {
  readonly changed: boolean;
  readonly accounts: number;
}

/** Adds or removes `account`; reads first, and takes the lock only when a write is needed. */
export async function changeDestinationAccounts(context: TaskContext, region: Region, account: AccountId, change: 'add' | 'remove'): Promise<AccessChange> {
  const { config, clients } = context;
  const logs = await clients.logs(config.accounts.logging, region);
  const needed = (accounts: string[]) => (change === 'add' ? !accounts.includes(account) : accounts.includes(account));
  const before = accountsInPolicy(await readDestinationPolicy(logs, region));
  if (!needed(before)) return { changed: false, accounts: before.length };

  return withLeaseLock(clients.dynamo(), `destination-policy/${region}`, async () => {
    // Read again under the lock: another execution may have changed the list meanwhile.
    const current = accountsInPolicy(await readDestinationPolicy(logs, region));
    if (!needed(current)) return { changed: false, accounts: current.length };
    const accounts = change === 'add' ? [...current, account] : current.filter((a) => a !== account);
    const policy = JSON.stringify(accountListDestinationPolicy(destinationArn(config.accounts.logging, region), accounts as AccountId[]));
    const bytes = Buffer.byteLength(policy);
    if (bytes > DESTINATION_POLICY_MAX_BYTES) {
      throw new DestinationPolicyTooLargeError(
        `the destination policy in ${region} would be ${bytes} bytes with ${accounts.length} accounts, over the ${DESTINATION_POLICY_MAX_BYTES}-byte limit: set config.destinationAccess to "organization"`,
      );
    }
    try {
      await logs.send(new PutDestinationPolicyCommand({ destinationName: DESTINATION_NAME, accessPolicy: policy }));
    } catch (error) {
      throw toTaskError(error, `logs:PutDestinationPolicy ${DESTINATION_NAME} ${region}`);
    }
    return { changed: true, accounts: accounts.length };
  });
}
