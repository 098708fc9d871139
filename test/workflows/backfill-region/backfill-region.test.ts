/**
 * backfill-region end to end on the simulator: onboarding starts it for every account-region
 * without waiting for it; it archives each subscribed group's history once, in the archive
 * bucket of the logging account, with the bucket's and the task role's policies deciding each
 * write. Every event from the horizon on is archived by exactly one of the backfill and live
 * delivery, compared by event id with the simulated store.
 */
import { backfillRecordKey } from '../../../tasks/lib/backfill-records';
import { LOCK_TABLE_NAME } from '../../../tasks/lib/lease-lock';
import { archiveBucketName } from '../../../tasks/lib/resource-names';
import { archivedIds, BACKFILL, DAY, expected, onboard, world } from './world';

describe('backfill-region workflow', () => {
  it('archives every subscribed group’s history once, started by onboarding without waiting for it, with live writes during it delivered once', async () => {
    // Prepare: live writes with old timestamps keep arriving while the backfill reads
    const w = world({ accounts: 2, groups: 3 });
    let writes = 0;
    w.env.aws.interceptors.push((call) => {
      if (call.phase !== 'after' || call.operation !== 'FilterLogEvents') return;
      const name = String(call.input.logGroupName);
      w.env.state.putLogEvents(call.callerAccount, call.region, name, 'late "stream"', [
        { timestamp: w.env.state.tick() - 3 * DAY, message: `late ${++writes}` },
      ]);
    });

    // Act
    const { onboarded, backfills } = await onboard(w);

    // Assess
    expect(onboarded.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    const regions = onboarded.flatMap((e) => e.children.filter((c) => c.workflow === 'onboard-region'));
    expect(regions.map((c) => (c.output as { backfill: { status: string } }).backfill.status)).toEqual(Array(2 * w.regions.length).fill('Started'));
    expect(backfills.map((b) => b.status)).toEqual(Array(2 * w.regions.length).fill('SUCCEEDED'));
    const archived = archivedIds(w.env);
    const { history, live } = expected(w);
    expect(writes).toBeGreaterThan(0);
    expect(new Set(archived).size).toBe(archived.length);
    expect([...archived].sort()).toEqual([...history].sort());
    expect(w.env.state.delivered.map((e) => e.eventId).sort()).toEqual([...live].sort());
    expect(history.length).toBeGreaterThan(2 * w.regions.length * 1000);
    const totals = backfills.map((b) => (b.output as { totals: { completed: number; pages: number } }).totals);
    expect(totals.every((t) => t.completed === 3 && t.pages >= 4)).toBe(true);
  });

  it('resumes where it stopped and archives nothing twice under throttling, 5xx and writes that fail after they apply', async () => {
    // Prepare
    const w = world({ accounts: 2, groups: 2, faults: { throttleRate: 0.15, serverErrorRate: 0.02, afterWriteFailureRate: 0.01, seed: 7 } });

    // Act
    const { backfills } = await onboard(w);

    // Assess
    expect(backfills.map((b) => b.status)).toEqual(Array(2 * w.regions.length).fill('SUCCEEDED'));
    const archived = archivedIds(w.env);
    expect(new Set(archived).size).toBe(archived.length);
    expect([...archived].sort()).toEqual([...expected(w).history].sort());
    const faults = w.env.aws.ledger.faultsInjected();
    expect([faults.throttle, faults['server-error'], faults['after-write']].every((n) => (n ?? 0) > 0)).toBe(true);
  });

  it('is resumed by the next onboarding after its execution was lost half-way, without repeating a page', async () => {
    // Prepare: every backfill execution stops after its first invocation
    const w = world({ accounts: 1, groups: 2 });
    let invocations = 0;
    w.env.aws.interceptors.push((call) => {
      if (call.phase === 'before' && call.operation === 'FilterLogEvents' && ++invocations === 3) throw new Error('the Lambda was killed');
    });
    const first = await onboard(w);
    const partly = archivedIds(w.env).length;

    // Act: the daily reconcile onboards the account again
    const second = await onboard(w);

    // Assess
    expect(first.backfills.filter((b) => b.status === 'FAILED')).toHaveLength(1);
    expect(second.backfills.slice(first.backfills.length).map((b) => b.status)).toEqual(Array(w.regions.length).fill('SUCCEEDED'));
    const archived = archivedIds(w.env);
    expect(partly).toBeGreaterThan(0);
    expect(partly).toBeLessThan(archived.length);
    expect(new Set(archived).size).toBe(archived.length);
    expect([...archived].sort()).toEqual([...expected(w).history].sort());
    const records = w.env.state.accountRegion(w.env.config.accounts.orchestration, w.env.config.homeRegion).tables.get(LOCK_TABLE_NAME)!;
    const key = backfillRecordKey(w.accounts[0]!, w.regions[0]!, '/app/orders-0/#ours.v1_x');
    expect(JSON.parse(String((records.get(`pk=${key}`) as { cursor: { S: string } }).cursor.S))).toMatchObject({ done: true });
  });

  it('resumes a Lambda killed by its timeout right after a write, within the same execution, without writing the page twice', async () => {
    // Prepare: the first invocation to write an object stalls past the task's timeout once the write applied
    const w = world({ accounts: 1, groups: 1 });
    let stalled = 0;
    w.env.aws.interceptors.push(async (call) => {
      if (call.phase === 'after' && call.operation === 'PutObject' && stalled++ === 0) await w.env.clock.sleep(10 * 60_000);
    });

    // Act
    const { backfills } = await onboard(w);

    // Assess
    expect(stalled).toBeGreaterThan(1);
    expect(backfills.map((b) => b.status)).toEqual(Array(w.regions.length).fill('SUCCEEDED'));
    const archived = archivedIds(w.env);
    expect(new Set(archived).size).toBe(archived.length);
    expect([...archived].sort()).toEqual([...expected(w).history].sort());
  });

  it("is refused by the archive bucket's policy without its statements for the backfill writer, and the refusal names the call", async () => {
    // Prepare: a bucket policy that does not name the orchestration account's backfill role
    const w = world({ accounts: 1, groups: 1 });
    const archive = w.env.state.buckets.get(archiveBucketName(w.env.config.accounts.logging, w.env.config.homeRegion))!;
    w.env.state.buckets.set(archiveBucketName(w.env.config.accounts.logging, w.env.config.homeRegion), {
      ...archive,
      policy: { Version: '2012-10-17', Statement: [] },
    });

    // Act
    const { backfills } = await onboard(w);

    // Assess
    expect(backfills.map((b) => b.status)).toEqual(Array(w.regions.length).fill('FAILED'));
    expect(String(backfills[0]!.cause)).toContain('not authorized to perform: s3:PutObject');
    expect(archivedIds(w.env)).toEqual([]);
  });

  it('archives the first events of a group created after onboarding, written before subscribe-log-group put its filter', async () => {
    // Prepare: an onboarded account; then a group is created and written to before its CreateLogGroup is handled
    const w = world({ accounts: 1, groups: 1 });
    await onboard(w);
    const [account, region] = [w.accounts[0]!, w.regions[0]!];
    w.env.state.createLogGroup(account, region, '/aws/lambda/new-function');
    const early = w.env.state.putLogEvents(account, region, '/aws/lambda/new-function', '2026/01/01/[$LATEST]abc', [
      { timestamp: w.env.state.tick(), message: 'INIT_START Runtime Version: nodejs:22' },
      { timestamp: w.env.state.tick(), message: 'START RequestId: 1' },
    ]);

    // Act
    const subscribed = await w.env.runner.start('subscribe-log-group', { accountId: account, region, logGroupName: '/aws/lambda/new-function' });
    const backfills = await w.env.runner.settle();

    // Assess
    expect(subscribed.output).toMatchObject({ status: 'Subscribed', backfill: { status: 'Started' } });
    expect(backfills.at(-1)).toMatchObject({ status: 'SUCCEEDED', output: { status: 'Done', totals: { groups: 1, completed: 1, events: 2 } } });
    const archived = archivedIds(w.env);
    expect(archived.filter((id) => early.some((e) => e.eventId === id))).toHaveLength(2);
    expect(new Set(archived).size).toBe(archived.length);
  });

  it("stops an account's backfill once its regions together passed maxBytesPerAccount, and says it was capped", async () => {
    // Prepare: 1 MB for the account, against about 2.5 MB of history in each region
    const w = world({ accounts: 1, groups: 1, config: { backfill: { ...BACKFILL, maxBytesPerAccount: 1_000_000 } } });

    // Act: onboarded, then the daily reconcile onboards it again
    const { backfills } = await onboard(w);
    const first = archivedIds(w.env).length;
    const again = (await onboard(w)).backfills.slice(backfills.length);

    // Assess
    expect(backfills.map((b) => (b.output as { capped: boolean }).capped)).toContain(true);
    expect(again.map((b) => (b.output as { capped: boolean }).capped)).toEqual(again.map(() => true));
    const archived = archivedIds(w.env);
    expect(archived).toHaveLength(first);
    expect(new Set(archived).size).toBe(archived.length);
    expect(archived.length).toBeLessThan(expected(w).history.length / 2);
  });

  it('ends the backfill of a group deleted half-way cleanly, keeping what it archived, and finishes the others', async () => {
    // Prepare: the big group (three pages) is deleted after its first page was read
    const w = world({ accounts: 1, groups: 2 });
    const [account, region] = [w.accounts[0]!, w.regions[0]!];
    const doomed = '/app/orders-0/#ours.v1_x';
    let reads = 0;
    w.env.aws.interceptors.push((call) => {
      if (call.phase === 'after' && call.operation === 'FilterLogEvents' && call.region === region && call.input.logGroupName === doomed && ++reads === 1)
        w.env.state.accountRegion(account, region).logGroups.delete(doomed);
    });

    // Act
    const { backfills } = await onboard(w);

    // Assess
    expect(backfills.map((b) => b.status)).toEqual(Array(w.regions.length).fill('SUCCEEDED'));
    const deleted = backfills.find((b) => (b.output as { region: string }).region === region)!;
    expect(deleted.output).toMatchObject({ totals: { groups: 2, deleted: 1, completed: 1 } });
    const bucket = w.env.state.buckets.get(archiveBucketName(w.env.config.accounts.logging, w.env.config.homeRegion))!;
    const inRegion = [...bucket.objects.keys()].filter((k) => k.includes(`region=${region}/`));
    expect(inRegion.filter((k) => k.endsWith('-complete.gz'))).toHaveLength(1);
    expect(archivedIds(w.env).length).toBeGreaterThan(0);
  });

  it('finishes the other groups when AWS refuses one for good, then fails naming it; the next run finishes it', async () => {
    // Prepare: FilterLogEvents on one group is refused (a resource policy, say) during the first onboarding only
    const w = world({ accounts: 1, groups: 2 });
    const region = w.regions[0]!;
    const refused = '/app/orders-1/#ours.v1_x';
    let refusing = true;
    w.env.aws.interceptors.push((call) => {
      if (refusing && call.phase === 'before' && call.operation === 'FilterLogEvents' && call.region === region && call.input.logGroupName === refused)
        throw Object.assign(new Error(`not authorized to perform: logs:FilterLogEvents on ${refused}`), { name: 'AccessDeniedException', $fault: 'client' });
    });

    // Act
    const first = await onboard(w);
    refusing = false;
    const second = (await onboard(w)).backfills.slice(first.backfills.length);

    // Assess
    const failed = first.backfills.filter((b) => b.status === 'FAILED');
    expect(failed).toHaveLength(1);
    expect(String(failed[0]!.cause)).toContain(`1 log group(s) failed: ${refused}: AwsRequestRejected`);
    expect(second.map((b) => b.status)).toEqual(Array(w.regions.length).fill('SUCCEEDED'));
    const archived = archivedIds(w.env);
    expect(new Set(archived).size).toBe(archived.length);
    expect([...archived].sort()).toEqual([...expected(w).history].sort());
  });
});
