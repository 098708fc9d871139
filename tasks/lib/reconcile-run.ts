/**
 * A reconcile run's records, kept in the hub's table instead of the execution's state, so that
 * nothing in the state grows with the number of accounts (Step Functions refuses a state over
 * 256 KiB). Each account's drift is one item, written idempotently (a retried write replaces it);
 * the report reads them back in batches. A lease keeps two full reconciles from overlapping.
 */
import { BatchGetItemCommand, DeleteItemCommand, PutItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { errorName, toTaskError } from './aws-errors';
import { field } from './domain';
import type { AccountDrift } from './drift';
import { InvalidInputError } from './errors';
import { leaseHolder, LOCK_TABLE_NAME } from './lease-lock';

/** Records expire from the table after this long (its TTL attribute `ttl`, in epoch seconds). */
const RECORD_TTL_SECONDS = 30 * 24 * 3600;
/** BatchGetItem reads at most 100 keys a call. https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html */
const BATCH_GET_MAX_KEYS = 100;
/** Attempts at keys a batch left unprocessed (throttled) before giving up. */
const UNPROCESSED_ATTEMPTS = 5;

/** The lease a full reconcile holds: no longer than the workflow's own timeout. */
export const RECONCILE_LEASE_KEY = 'reconcile/lease';

/** The run's id, which keys its records: the reconcile execution's name (at most 80 characters). */
export function runIdOf(input: unknown): string {
  const runId = field(input, 'runId');
  if (typeof runId !== 'string' || !/^[\w-]{1,80}$/.test(runId)) throw new InvalidInputError('runId', runId, 'must be the reconcile execution name');
  return runId;
}

export const accountRecordKey = (runId: string, accountId: string): string => `reconcile/${runId}/${accountId}`;

/** Writes one account's drift; a retry overwrites the same item, so nothing counts twice. */
export async function putAccountDrift(dynamo: DynamoDBClient, runId: string, drift: AccountDrift, nowMs: number): Promise<void> {
  try {
    await dynamo.send(
      new PutItemCommand({
        TableName: LOCK_TABLE_NAME,
        Item: {
          pk: { S: accountRecordKey(runId, drift.accountId) },
          drift: { S: JSON.stringify(drift) },
          ttl: { N: String(Math.floor(nowMs / 1000) + RECORD_TTL_SECONDS) },
        },
      }),
    );
  } catch (error) {
    throw toTaskError(error, `dynamodb:PutItem reconcile record ${drift.accountId}`);
  }
}

/** The drift records of `accounts` in run `runId`; an account with no record is missing (its child execution failed). */
export async function readAccountDrifts(
  dynamo: DynamoDBClient,
  runId: string,
  accounts: readonly string[],
): Promise<{ drifts: AccountDrift[]; missing: string[] }> {
  const found = new Map<string, AccountDrift>();
  for (let i = 0; i < accounts.length; i += BATCH_GET_MAX_KEYS) {
    let keys: Array<Record<string, AttributeValue>> = accounts.slice(i, i + BATCH_GET_MAX_KEYS).map((a) => ({ pk: { S: accountRecordKey(runId, a) } }));
    for (let attempt = 0; keys.length > 0; attempt++) {
      if (attempt === UNPROCESSED_ATTEMPTS)
        throw toTaskError(
          Object.assign(new Error('BatchGetItem left keys unprocessed'), { name: 'ProvisionedThroughputExceededException' }),
          'dynamodb:BatchGetItem reconcile records',
        );
      const response = await dynamo
        .send(new BatchGetItemCommand({ RequestItems: { [LOCK_TABLE_NAME]: { Keys: keys, ConsistentRead: true } } }))
        .catch((error: unknown) => {
          throw toTaskError(error, 'dynamodb:BatchGetItem reconcile records');
        });
      for (const item of response.Responses?.[LOCK_TABLE_NAME] ?? []) {
        const drift = JSON.parse(item.drift?.S ?? '{}') as AccountDrift;
        found.set(drift.accountId, drift);
      }
      keys = response.UnprocessedKeys?.[LOCK_TABLE_NAME]?.Keys ?? [];
    }
  }
  return { drifts: accounts.filter((a) => found.has(a)).map((a) => found.get(a)!), missing: accounts.filter((a) => !found.has(a)) };
}

/**
 * The window a reconcile of just-joined accounts opens: the runs that start inside it end at once,
 * covered by the run that opened it, which lists the accounts after it closes.
 */
export const JOINED_WINDOW_KEY = 'reconcile/joined-window';

export type LeaseOutcome =
  { readonly acquired: true; readonly heldUntil: string } | { readonly acquired: false; readonly holder: string; readonly heldUntil: string };

/** Takes the lease at `key` for `runId` until `untilMs`; when another run holds it, which run and until when. */
export async function acquireReconcileLease(
  dynamo: DynamoDBClient,
  runId: string,
  nowMs: number,
  untilMs: number,
  key: string = RECONCILE_LEASE_KEY,
): Promise<LeaseOutcome> {
  try {
    await dynamo.send(
      new PutItemCommand({
        TableName: LOCK_TABLE_NAME,
        Item: { pk: { S: key }, owner: { S: runId }, expiresAt: { N: String(untilMs) }, ttl: { N: String(Math.floor(untilMs / 1000)) } },
        // A retry of our own write that applied finds itself the owner.
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR #owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':now': { N: String(nowMs) }, ':owner': { S: runId } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { acquired: true, heldUntil: new Date(untilMs).toISOString() };
  } catch (error) {
    if (errorName(error) === 'ConditionalCheckFailedException') return { acquired: false, ...leaseHolder(error) };
    throw toTaskError(error, 'dynamodb:PutItem reconcile lease');
  }
}

/** Gives the lease back, if `runId` still holds it. */
export async function releaseReconcileLease(dynamo: DynamoDBClient, runId: string): Promise<void> {
  try {
    await dynamo.send(
      new DeleteItemCommand({
        TableName: LOCK_TABLE_NAME,
        Key: { pk: { S: RECONCILE_LEASE_KEY } },
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': { S: runId } },
      }),
    );
  } catch (error) {
    if (errorName(error) !== 'ConditionalCheckFailedException') throw toTaskError(error, 'dynamodb:DeleteItem reconcile lease');
  }
}
