/** A refused lease says who holds it: DynamoDB returns the item on a failed condition when asked (ReturnValuesOnConditionCheckFailure). */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createOfflineEnvironment } from '../../sim/environment';
import { acquireReconcileLeaseTask } from '../../tasks/acquire-reconcile-lease';
import { LOCK_TABLE_NAME, withLeaseLock } from '../../tasks/lib/lease-lock';

describe('leases', () => {
  it('refuses a second reconcile, naming the run that holds the lease and until when', async () => {
    // Prepare
    const env = createOfflineEnvironment();
    const start = env.clock.now();
    const first = await acquireReconcileLeaseTask({ runId: 'daily-2026-12-06', input: {} }, env.context);

    // Act
    const second = await acquireReconcileLeaseTask({ runId: 'by-hand-1', input: {} }, env.context);

    // Assess
    expect(first).toEqual({ acquired: true, scoped: false });
    expect(second).toEqual({ acquired: false, scoped: false, holder: 'daily-2026-12-06', heldUntil: new Date(start + 23 * 3600 * 1000).toISOString() });
  });

  it('refuses a destination policy writer while another holds its lock, saying until when', async () => {
    // Prepare
    const env = createOfflineEnvironment();
    const dynamo = env.context.clients.dynamo();
    const now = () => env.clock.now();

    // Act
    const inner = withLeaseLock(dynamo, 'destination-policy/eu-west-1', { now, leaseMs: 60_000 }, () =>
      withLeaseLock(dynamo, 'destination-policy/eu-west-1', { now }, async () => 'never'),
    );

    // Assess
    await expect(inner).rejects.toThrow(
      new RegExp(
        `destination-policy/eu-west-1 is being updated by another execution \\(lease [0-9a-f-]{36}, held until ${new Date(now() + 60_000).toISOString().replace(/\./g, '\\.')}\\)`,
      ),
    );
  });

  it('returns the old item on a failed condition only when the call asks for it, as DynamoDB does', async () => {
    // Prepare
    const env = createOfflineEnvironment();
    const dynamo = env.context.clients.dynamo();
    const put = (extra: object) =>
      dynamo.send(
        new PutItemCommand({
          TableName: LOCK_TABLE_NAME,
          Item: { pk: { S: 'k' }, owner: { S: 'a' } },
          ConditionExpression: 'attribute_not_exists(pk)',
          ...extra,
        }),
      );
    await put({});

    // Act
    const silent = await put({}).catch((e: unknown) => e);
    const asked = await put({ ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }).catch((e: unknown) => e);

    // Assess
    expect(silent).toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect((silent as { Item?: unknown }).Item).toBeUndefined();
    expect(asked).toMatchObject({ name: 'ConditionalCheckFailedException', Item: { pk: { S: 'k' }, owner: { S: 'a' } } });
  });
});
