/**
 * Where each log group's backfill stands (tasks/lib/backfill.ts), one item per group in the hub's
 * table under `backfill/`, and the bytes backfilled per account (config `backfill.maxBytesPerAccount`).
 * A cursor is written only over the version it was read at, so two executions on one group (an
 * onboarding and a reconcile meeting) never both advance it: the second stops for that group.
 */
import { GetItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createHash, randomUUID } from 'crypto';
import { errorName, toTaskError } from './aws-errors';
import type { BackfillCursor } from './backfill';
import type { AccountId, Region } from './domain';
import { BackfillRecordConflictError } from './errors';
import { LOCK_TABLE_NAME } from './lease-lock';

export const BACKFILL_KEY_PREFIX = 'backfill/';

/** A group's key: its name hashed, since a log group name (512 characters) may hold what a key should not. */
export function backfillRecordKey(account: AccountId, region: Region, logGroupName: string): string {
  return `${BACKFILL_KEY_PREFIX}${account}/${region}/${createHash('sha256').update(logGroupName).digest('hex').slice(0, 32)}`;
}

export function backfillAccountKey(account: AccountId): string {
  return `${BACKFILL_KEY_PREFIX}${account}`;
}

export interface BackfillRecord {
  readonly logGroupName: string;
  /** The subscription filter's creation time the backfill runs up to. */
  readonly seam: number;
  readonly cursor: BackfillCursor;
  readonly version: number;
}

export async function readBackfillRecord(dynamo: DynamoDBClient, key: string): Promise<BackfillRecord | undefined> {
  try {
    const { Item } = await dynamo.send(new GetItemCommand({ TableName: LOCK_TABLE_NAME, Key: { pk: { S: key } }, ConsistentRead: true }));
    if (!Item) return undefined;
    return {
      logGroupName: Item.logGroupName?.S ?? '',
      seam: Number(Item.seam?.N),
      cursor: JSON.parse(Item.cursor?.S ?? '{}') as BackfillCursor,
      version: Number(Item.version?.N),
    };
  } catch (error) {
    throw toTaskError(error, `dynamodb:GetItem ${key}`);
  }
}

/**
 * Writes `record` at version + 1, only over `record.version` (0: only if absent). Each write
 * carries its own token: a write that applied but whose answer was lost is retried by the SDK and
 * refused by its own condition, and the token in the item returned says it was ours, not another's.
 */
export async function writeBackfillRecord(dynamo: DynamoDBClient, key: string, record: BackfillRecord): Promise<BackfillRecord> {
  const next = { ...record, version: record.version + 1 };
  const writer = randomUUID();
  try {
    await dynamo.send(
      new PutItemCommand({
        TableName: LOCK_TABLE_NAME,
        Item: {
          pk: { S: key },
          logGroupName: { S: record.logGroupName },
          seam: { N: String(record.seam) },
          cursor: { S: JSON.stringify(record.cursor) },
          version: { N: String(next.version) },
          writer: { S: writer },
        },
        ConditionExpression: record.version === 0 ? 'attribute_not_exists(pk)' : 'version = :version',
        ...(record.version === 0 ? {} : { ExpressionAttributeValues: { ':version': { N: String(record.version) } } }),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return next;
  } catch (error) {
    if (errorName(error) !== 'ConditionalCheckFailedException') throw toTaskError(error, `dynamodb:PutItem ${key}`);
    if ((error as { Item?: Record<string, AttributeValue> }).Item?.writer?.S === writer) return next;
    throw new BackfillRecordConflictError(`${key} was advanced by another execution`, { cause: error });
  }
}

/** The bytes backfilled for an account so far, in all its regions. */
export async function accountBytes(dynamo: DynamoDBClient, account: AccountId): Promise<number> {
  try {
    const { Item } = await dynamo.send(
      new GetItemCommand({ TableName: LOCK_TABLE_NAME, Key: { pk: { S: backfillAccountKey(account) } }, ConsistentRead: true }),
    );
    return Number(Item?.bytes?.N ?? 0);
  } catch (error) {
    throw toTaskError(error, `dynamodb:GetItem ${backfillAccountKey(account)}`);
  }
}

/**
 * Adds a page's bytes to its account's total and answers the total. Counted before the page is
 * written, so a page written twice after a failure counts twice: the cap errs towards less.
 */
export async function addAccountBytes(dynamo: DynamoDBClient, account: AccountId, bytes: number): Promise<number> {
  try {
    const { Attributes } = await dynamo.send(
      new UpdateItemCommand({
        TableName: LOCK_TABLE_NAME,
        Key: { pk: { S: backfillAccountKey(account) } },
        UpdateExpression: 'ADD bytes :bytes',
        ExpressionAttributeValues: { ':bytes': { N: String(bytes) } },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.bytes?.N ?? bytes);
  } catch (error) {
    throw toTaskError(error, `dynamodb:UpdateItem ${backfillAccountKey(account)}`);
  }
}
