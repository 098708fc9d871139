/**
 * Changes the account list of a region's destination policy (destination access `account-list`).
 * PutDestinationPolicy has no conditional write, so changes are serialized: each caller first
 * registers its change in the region's request sets (an atomic DynamoDB set update, never
 * contended), then whoever holds the region's lease lock applies every pending request in one
 * policy write. Concurrent onboardings therefore lose no update, and most of them find their
 * change already made by another holder instead of waiting for the lock.
 */
import { DescribeDestinationsCommand, PutDestinationPolicyCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { GetItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { toTaskError } from './aws-errors';
import type { TaskContext } from './context';
import type { AccountId, Region } from './domain';
import { accountListDestinationPolicy, accountsInPolicy, DESTINATION_POLICY_MAX_BYTES } from './destination-policy';
import { DestinationPolicyTooLargeError } from './errors';
import { LOCK_TABLE_NAME, withLeaseLock } from './lease-lock';
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

type Change = 'add' | 'remove';

/** Pure: the account list after pending requests; removals win over additions of the same account. */
export function applyRequests(current: readonly string[], adds: readonly string[], removes: readonly string[]): string[] {
  const removed = new Set(removes);
  return [...new Set([...current, ...adds])].filter((a) => !removed.has(a)).sort();
}

const requestsKey = (region: Region) => ({ pk: { S: `destination-requests/${region}` } });

async function updateRequests(dynamo: DynamoDBClient, region: Region, expression: string, values: Record<string, string[]>): Promise<void> {
  const present = Object.entries(values).filter(([, v]) => v.length > 0);
  if (present.length === 0) return;
  try {
    await dynamo.send(
      new UpdateItemCommand({
        TableName: LOCK_TABLE_NAME,
        Key: requestsKey(region),
        UpdateExpression: `${expression} ${present.map(([name]) => `#${name} :${name}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(present.map(([name]) => [`#${name}`, name])),
        ExpressionAttributeValues: Object.fromEntries(present.map(([name, v]) => [`:${name}`, { SS: v }])),
      }),
    );
  } catch (error) {
    throw toTaskError(error, `dynamodb:UpdateItem destination requests ${region}`);
  }
}

async function pendingRequests(dynamo: DynamoDBClient, region: Region): Promise<{ add: string[]; remove: string[] }> {
  try {
    const { Item } = await dynamo.send(new GetItemCommand({ TableName: LOCK_TABLE_NAME, Key: requestsKey(region), ConsistentRead: true }));
    return { add: Item?.add?.SS ?? [], remove: Item?.remove?.SS ?? [] };
  } catch (error) {
    throw toTaskError(error, `dynamodb:GetItem destination requests ${region}`);
  }
}

/** Adds or removes `account`; returns once its change is in the policy (made by this call or another). */
export async function changeDestinationAccounts(context: TaskContext, region: Region, account: AccountId, change: Change): Promise<AccessChange> {
  const { config, clients } = context;
  const logs = await clients.logs(config.accounts.logging, region);
  const dynamo = clients.dynamo();
  const done = (accounts: string[]) => (change === 'add' ? accounts.includes(account) : !accounts.includes(account));
  const before = accountsInPolicy(await readDestinationPolicy(logs, region));
  if (done(before)) return { changed: false, accounts: before.length };

  await updateRequests(dynamo, region, 'ADD', { [change]: [account] });
  return withLeaseLock(dynamo, `destination-policy/${region}`, { now: () => context.clock.now() }, async () => {
    // Under the lock: another holder may already have applied this request with its own.
    const current = accountsInPolicy(await readDestinationPolicy(logs, region));
    const requests = await pendingRequests(dynamo, region);
    const accounts = applyRequests(current, requests.add, requests.remove);
    if (accounts.join() !== current.join()) {
      const policy = JSON.stringify(accountListDestinationPolicy(destinationArn(config.accounts.logging, region), accounts as AccountId[]));
      const bytes = Buffer.byteLength(policy);
      if (bytes > DESTINATION_POLICY_MAX_BYTES) {
        // Withdraw this caller's request so that it does not block the others' smaller changes.
        await updateRequests(dynamo, region, 'DELETE', { [change]: [account] });
        throw new DestinationPolicyTooLargeError(
          `the destination policy in ${region} would be ${bytes} bytes with ${accounts.length} accounts, over the ${DESTINATION_POLICY_MAX_BYTES}-byte limit: set config.destinationAccess to "organization"`,
        );
      }
      try {
        await logs.send(new PutDestinationPolicyCommand({ destinationName: DESTINATION_NAME, accessPolicy: policy }));
      } catch (error) {
        throw toTaskError(error, `logs:PutDestinationPolicy ${DESTINATION_NAME} ${region}`);
      }
    }
    await updateRequests(dynamo, region, 'DELETE', { add: requests.add, remove: requests.remove });
    return { changed: true, accounts: accounts.length };
  }).catch(async (error: unknown) => {
    // Held by another execution, which may have applied this request meanwhile: check before retrying.
    const now = accountsInPolicy(await readDestinationPolicy(logs, region));
    if (done(now)) return { changed: true, accounts: now.length };
    throw error;
  });
}
