/**
 * A lease lock on one DynamoDB item, for read-modify-write of a resource that has no conditional
 * write of its own (a CloudWatch Logs destination policy). The lease expires, so a crashed holder
 * blocks others for at most `leaseMs`.
 */
import { DeleteItemCommand, PutItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'crypto';
import { errorName, toTaskError } from './aws-errors';
import { ResourceLockedError } from './errors';

/** Created by the orchestration stack; partition key `pk` (string). */
export const LOCK_TABLE_NAME = 'tributary-locks';

export interface LeaseLockOptions {
  /** How long a lease holds without release. @default 60 s */
  readonly leaseMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/** Who holds a lease, from the item a refused conditional write returned (ReturnValuesOnConditionCheckFailure). */
export function leaseHolder(error: unknown): { holder: string; heldUntil: string } {
  const item = (error as { Item?: Record<string, AttributeValue> }).Item;
  const until = Number(item?.expiresAt?.N);
  return { holder: item?.owner?.S ?? 'unknown', heldUntil: Number.isFinite(until) ? new Date(until).toISOString() : 'unknown' };
}

export async function withLeaseLock<T>(dynamo: DynamoDBClient, key: string, options: LeaseLockOptions, work: () => Promise<T>): Promise<T> {
  const now = (options.now ?? Date.now)();
  const owner = randomUUID();
  try {
    await dynamo.send(
      new PutItemCommand({
        TableName: LOCK_TABLE_NAME,
        Item: { pk: { S: key }, owner: { S: owner }, expiresAt: { N: String(now + (options.leaseMs ?? 60_000)) } },
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
        ExpressionAttributeValues: { ':now': { N: String(now) } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  } catch (error) {
    if (errorName(error) === 'ConditionalCheckFailedException') {
      const { holder, heldUntil } = leaseHolder(error);
      throw new ResourceLockedError(`${key} is being updated by another execution (lease ${holder}, held until ${heldUntil})`, { cause: error });
    }
    throw toTaskError(error, `dynamodb:PutItem lock ${key}`);
  }
  try {
    return await work();
  } finally {
    // Releasing a lease that expired and was taken over must not delete the new holder's.
    await dynamo
      .send(
        new DeleteItemCommand({
          TableName: LOCK_TABLE_NAME,
          Key: { pk: { S: key } },
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': { S: owner } },
        }),
      )
      .catch((error: unknown) => {
        if (errorName(error) !== 'ConditionalCheckFailedException') throw toTaskError(error, `dynamodb:DeleteItem lock ${key}`);
      });
  }
}
