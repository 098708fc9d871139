/**
 * The backfill's cursors in the hub's table: a write is made only over the version it read, and a
 * write that applied but whose answer was lost (the SDK retries it, and its own condition refuses
 * the retry) is recognised as its own, not taken for another execution's.
 */
import { createOfflineEnvironment } from '../../sim/environment';
import { NEW_CURSOR } from '../../tasks/lib/backfill';
import { backfillRecordKey, readBackfillRecord, writeBackfillRecord } from '../../tasks/lib/backfill-records';
import type { AccountId, Region } from '../../tasks/lib/domain';

const ACCOUNT = '100000000001' as AccountId;
const GROUP = '/aws/lambda/orders';

function world(afterWriteFailureRate = 0) {
  const env = createOfflineEnvironment({ faults: { afterWriteFailureRate } });
  const dynamo = env.aws.clientFactory(env.config.accounts.orchestration, env.config.homeRegion).dynamo();
  const key = backfillRecordKey(ACCOUNT, env.config.homeRegion, GROUP);
  return { env, dynamo, key };
}

describe('backfill records', () => {
  it('takes its own write, applied before its answer was lost, for its own', async () => {
    // Prepare: every write applies and then answers 503
    const { env, dynamo, key } = world(1);

    // Act
    const created = await env.clock.run(() => writeBackfillRecord(dynamo, key, { logGroupName: GROUP, seam: 1, cursor: NEW_CURSOR, version: 0 }));
    const advanced = await env.clock.run(() => writeBackfillRecord(dynamo, key, { ...created, cursor: { ...NEW_CURSOR, pages: 1 } }));

    // Assess
    expect(created.version).toBe(1);
    expect(advanced.version).toBe(2);
    expect(await env.clock.run(() => readBackfillRecord(dynamo, key))).toMatchObject({ version: 2, cursor: { pages: 1 } });
    expect(env.aws.ledger.faultsInjected()['after-write']).toBeGreaterThanOrEqual(2);
  });

  it("refuses to advance over another execution's write, naming the group's key", async () => {
    // Prepare: two executions read version 1
    const { env, dynamo, key } = world();
    const read = await env.clock.run(() => writeBackfillRecord(dynamo, key, { logGroupName: GROUP, seam: 1, cursor: NEW_CURSOR, version: 0 }));
    await env.clock.run(() => writeBackfillRecord(dynamo, key, { ...read, cursor: { ...NEW_CURSOR, pages: 1 } }));

    // Act
    const second = env.clock.run(() => writeBackfillRecord(dynamo, key, { ...read, cursor: { ...NEW_CURSOR, pages: 7 } }));

    // Assess
    await expect(second).rejects.toMatchObject({ name: 'BackfillRecordConflict', message: `${key} was advanced by another execution` });
    expect(await env.clock.run(() => readBackfillRecord(dynamo, key))).toMatchObject({ version: 2, cursor: { pages: 1 } });
  });

  it('hashes the group name into the key, so a hostile name cannot reach another key', () => {
    const a = backfillRecordKey(ACCOUNT, 'eu-west-1' as Region, '/a/b');
    expect(a).toMatch(/^backfill\/100000000001\/eu-west-1\/[0-9a-f]{32}$/);
    expect(backfillRecordKey(ACCOUNT, 'eu-west-1' as Region, '/a/b/../c')).not.toBe(a);
  });
});
