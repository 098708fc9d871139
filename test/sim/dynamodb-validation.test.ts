/**
 * The simulated DynamoDB refuses what DynamoDB refuses before it reads an item, so a request that
 * AWS would answer with ValidationException cannot pass offline: an empty expression, a number
 * that is not one, a placeholder used but not given, or given but not used.
 */
import { GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { createOfflineEnvironment } from '../../sim/environment';
import { LOCK_TABLE_NAME } from '../../tasks/lib/lease-lock';

function dynamo() {
  const env = createOfflineEnvironment();
  const client = env.context.clients.dynamo();
  return {
    send: (command: PutItemCommand | UpdateItemCommand | GetItemCommand) =>
      env.clock.run(() => client.send(command as never) as Promise<{ Item?: Record<string, unknown> }>),
  };
}

const Key = { pk: { S: 'validation/test' } };

describe('simulated DynamoDB validation', () => {
  it.each([
    [
      'an empty condition',
      new PutItemCommand({ TableName: LOCK_TABLE_NAME, Item: Key, ConditionExpression: '' }),
      'Invalid ConditionExpression: The expression can not be empty;',
    ],
    [
      'a number that is not one',
      new UpdateItemCommand({
        TableName: LOCK_TABLE_NAME,
        Key,
        UpdateExpression: 'SET v = if_not_exists(v, :zero) + :one',
        ExpressionAttributeValues: { ':zero': { N: '' }, ':one': { N: '1' } },
      }),
      'The parameter cannot be converted to a numeric value for key :zero',
    ],
    [
      'a value used but not given',
      new UpdateItemCommand({
        TableName: LOCK_TABLE_NAME,
        Key,
        UpdateExpression: 'SET v = :v',
        ConditionExpression: 'v < :bound',
        ExpressionAttributeValues: { ':v': { N: '1' } },
      }),
      'attribute value: :bound',
    ],
    [
      'a value given but not used',
      new UpdateItemCommand({
        TableName: LOCK_TABLE_NAME,
        Key,
        UpdateExpression: 'SET v = :v',
        ExpressionAttributeValues: { ':v': { N: '1' }, ':spare': { S: 'x' } },
      }),
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:spare}',
    ],
    [
      'an empty map of values',
      new PutItemCommand({ TableName: LOCK_TABLE_NAME, Item: Key, ConditionExpression: 'attribute_not_exists(pk)', ExpressionAttributeValues: {} }),
      'ExpressionAttributeValues must not be empty',
    ],
    [
      'a name given but not used',
      new UpdateItemCommand({
        TableName: LOCK_TABLE_NAME,
        Key,
        UpdateExpression: 'SET v = :v',
        ExpressionAttributeNames: { '#n': 'n' },
        ExpressionAttributeValues: { ':v': { N: '1' } },
      }),
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}',
    ],
  ])('refuses %s with ValidationException, changing nothing', async (_, command, message) => {
    // Prepare
    const db = dynamo();

    // Act
    const sending = db.send(command);

    // Assess
    await expect(sending).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining(message) });
    expect(await db.send(new GetItemCommand({ TableName: LOCK_TABLE_NAME, Key, ConsistentRead: true }))).not.toHaveProperty('Item');
  });

  it('accepts the same requests written right', async () => {
    const db = dynamo();
    await db.send(
      new UpdateItemCommand({
        TableName: LOCK_TABLE_NAME,
        Key,
        UpdateExpression: 'SET #v = if_not_exists(#v, :zero) + :one',
        ConditionExpression: 'attribute_not_exists(#v) OR #v < :bound',
        ExpressionAttributeNames: { '#v': 'v' },
        ExpressionAttributeValues: { ':zero': { N: '0' }, ':one': { N: '1' }, ':bound': { N: '5' } },
      }),
    );
    expect((await db.send(new GetItemCommand({ TableName: LOCK_TABLE_NAME, Key, ConsistentRead: true }))).Item).toEqual({ ...Key, v: { N: '1' } });
  });
});
