/** A refused lease says who holds it: DynamoDB returns the item on a failed condition when asked (ReturnValuesOnConditionCheckFailure). */
import { DeleteItemCommand, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createOfflineEnvironment } from '../../sim/environment';
import { acquireReconcileLeaseTask } from '../../tasks/acquire-reconcile-lease';
import { leaseHolder, LOCK_TABLE_NAME, withLeaseLock } from '../../tasks/lib/lease-lock';

describe('leases', () => {
  it('refuses a second reconcile, naming the run that holds the lease and until when', async () => {
    // Prepare
    const env = createOfflineEnvironment();
    const start = env.clock.now();
    const first = await acquireReconcileLeaseTask({ runId: 'daily-2026-12-06', input: {} }, env.context);

    // Act
    const second = await acquireReconcileLeaseTask({ runId: 'by-hand-1', input: {} }, env.context);

    // Assess
    expect(first).toEqual({ acquired: true, scoped: false, heldUntil: new Date(start + 23 * 3600 * 1000).toISOString() });
    expect(second).toEqual({ acquired: false, scoped: false, holder: 'daily-2026-12-06', heldUntil: new Date(start + 23 * 3600 * 1000).toISOString() });
  });

  it('opens a minute-long window for reconciles of just-joined accounts: one started inside it is refused, naming the run that opened it', async () => {
    // Prepare
    const env = createOfflineEnvironment();
    const start = env.clock.now();
    const scoped = (runId: string) => acquireReconcileLeaseTask({ runId, input: { joinedWithinHours: '24' } }, env.context);

    // Act
    const first = await scoped('joined-1');
    const inside = await scoped('joined-2');
    const full = await acquireReconcileLeaseTask({ runId: 'daily', input: {} }, env.context);
    await env.clock.sleep(60_000);
    const after = await scoped('joined-3');

    // Assess: the window is its own: a full reconcile still takes its lease.
    expect(first).toEqual({
      acquired: true,
      scoped: true,
      heldUntil: new Date(start + 60_000).toISOString(),
      listAt: new Date(start + 90_000).toISOString(),
    });
    expect(inside).toEqual({ acquired: false, scoped: true, holder: 'joined-1', heldUntil: new Date(start + 60_000).toISOString() });
    expect(full).toMatchObject({ acquired: true, scoped: false });
    expect(after).toMatchObject({ acquired: true, scoped: true });
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

describe('withLeaseLock', () => {
  const key = 'destination-policy/eu-west-1';

  it('takes a lease that expired, and then does not let the crashed holder release the new one', async () => {
    // Prepare
    const env = createOfflineEnvironment();
    const dynamo = env.context.clients.dynamo();
    let t = env.clock.now();
    const now = () => t;
    let release!: () => void;
    let acquired!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const taken = new Promise<void>((resolve) => (acquired = resolve));
    const stale = withLeaseLock(dynamo, key, { now, leaseMs: 1_000 }, async () => (acquired(), await held, 'stale'));
    await taken;

    // Act
    t += 1_001;
    const fresh = await withLeaseLock(dynamo, key, { now, leaseMs: 60_000 }, async () => {
      release();
      await stale;
      // The stale holder has released by now: the lease must still be ours.
      return (await dynamo.send(new GetItemCommand({ TableName: LOCK_TABLE_NAME, Key: { pk: { S: key } } }))).Item;
    });

    // Assess
    expect(await stale).toBe('stale');
    expect(fresh?.expiresAt?.N).toBe(String(t + 60_000));
  });

  it('refuses a lease that expires exactly now: only a lease past its end is free', async () => {
    // Prepare
    const env = createOfflineEnvironment();
    const dynamo = env.context.clients.dynamo();
    let t = env.clock.now();
    const now = () => t;
    let release!: () => void;
    let acquired!: () => void;
    const taken = new Promise<void>((resolve) => (acquired = resolve));
    const first = withLeaseLock(dynamo, key, { now, leaseMs: 1_000 }, () => new Promise<void>((resolve) => (acquired(), (release = resolve))));
    await taken;
    t += 1_000;

    // Act
    const second = withLeaseLock(dynamo, key, { now }, async () => 'taken');

    // Assess
    await expect(second).rejects.toMatchObject({ name: 'ResourceLocked' });
    release();
    await first;
  });

  it('holds for 60 s by default, releases after the work even when it throws, and passes the error on', async () => {
    // Prepare
    const env = createOfflineEnvironment();
    const dynamo = env.context.clients.dynamo();
    const t = env.clock.now();
    let during: Record<string, unknown> | undefined;

    // Act
    const failed = withLeaseLock(dynamo, key, { now: () => t }, async () => {
      during = (await dynamo.send(new GetItemCommand({ TableName: LOCK_TABLE_NAME, Key: { pk: { S: key } } }))).Item;
      throw new Error('work failed');
    });

    // Assess
    await expect(failed).rejects.toThrow('work failed');
    expect((during as { expiresAt?: { N?: string } }).expiresAt?.N).toBe(String(t + 60_000));
    expect((await dynamo.send(new GetItemCommand({ TableName: LOCK_TABLE_NAME, Key: { pk: { S: key } } }))).Item).toBeUndefined();
    await expect(withLeaseLock(dynamo, key, { now: () => t }, async () => 'free again')).resolves.toBe('free again');
  });

  it('names an unknown holder when the refusal carries no item, rather than failing', () => {
    expect(leaseHolder(new Error('no item'))).toEqual({ holder: 'unknown', heldUntil: 'unknown' });
    expect(leaseHolder({ Item: { owner: { S: 'run-1' }, expiresAt: { N: 'soon' } } })).toEqual({ holder: 'run-1', heldUntil: 'unknown' });
    expect(leaseHolder({ Item: { expiresAt: { N: '0' } } })).toEqual({ holder: 'unknown', heldUntil: '1970-01-01T00:00:00.000Z' });
  });

  it('names the holder and leaves the expiry unknown when the item returned has no expiresAt', () => {
    expect(leaseHolder({ Item: { owner: { S: 'run-2' } } })).toEqual({ holder: 'run-2', heldUntil: 'unknown' });
  });
});

/** A DynamoDB client that answers each command with `answer` (a stand-in for the calls DynamoDB itself refuses). */
function failingDynamo(answer: (command: object) => Promise<unknown>): DynamoDBClient {
  return { send: answer } as unknown as DynamoDBClient;
}

const sdkError = (name: string, fault: 'client' | 'server', status: number) =>
  Object.assign(new Error(`${name} from DynamoDB`), { name, $fault: fault, $metadata: { httpStatusCode: status } });

describe('withLeaseLock when DynamoDB fails', () => {
  it('passes a throttled lease request on as Throttled, naming the lock, never as ResourceLocked', async () => {
    // Prepare
    const dynamo = failingDynamo(async () => Promise.reject(sdkError('ThrottlingException', 'client', 400)));

    // Act
    const taking = withLeaseLock(dynamo, 'destination-policy/eu-west-1', { now: () => 0 }, async () => 'never');

    // Assess
    await expect(taking).rejects.toMatchObject({ name: 'Throttled', message: expect.stringContaining('dynamodb:PutItem lock destination-policy/eu-west-1') });
  });

  it('keeps the refusal as the cause of ResourceLocked', async () => {
    // Prepare
    const refusal = sdkError('ConditionalCheckFailedException', 'client', 400);
    const dynamo = failingDynamo(async () => Promise.reject(refusal));

    // Act
    const taking = withLeaseLock(dynamo, 'destination-policy/eu-west-1', { now: () => 0 }, async () => 'never');

    // Assess
    await expect(taking).rejects.toMatchObject({ name: 'ResourceLocked', cause: refusal });
  });

  it('fails when the release fails for another reason than a lease taken over, naming the call', async () => {
    // Prepare: the lease is taken; its release answers 500
    const dynamo = failingDynamo(async (command) => (command instanceof PutItemCommand ? {} : Promise.reject(sdkError('InternalServerError', 'server', 500))));

    // Act
    const working = withLeaseLock(dynamo, 'destination-policy/eu-west-1', { now: () => 0 }, async () => 'done');

    // Assess
    await expect(working).rejects.toMatchObject({
      name: 'ServiceUnavailable',
      message: expect.stringContaining('dynamodb:DeleteItem lock destination-policy/eu-west-1'),
    });
  });

  it('releases quietly when the lease was taken over (the release is refused by its condition)', async () => {
    // Prepare
    const dynamo = failingDynamo(async (command) =>
      command instanceof DeleteItemCommand ? Promise.reject(sdkError('ConditionalCheckFailedException', 'client', 400)) : {},
    );

    // Act
    const working = withLeaseLock(dynamo, 'destination-policy/eu-west-1', { now: () => 0 }, async () => 'done');

    // Assess
    await expect(working).resolves.toBe('done');
  });
});
