/**
 * The backfill's seam with live delivery, against the simulated CloudWatch Logs: history is what was
 * ingested before the subscription filter was created, live is what was ingested after, whatever
 * the events' own timestamps. Every event from the horizon on is archived once by exactly one of
 * them, compared by event id with the simulated store: events written at the moment the filter is
 * created, late and future timestamps, live writes shifting the pages mid-backfill, a step killed
 * after its write, and a log group deleted half-way.
 */
import { gunzipSync } from 'zlib';
import { createOfflineEnvironment } from '../../sim/environment';
import { memberAccountId } from '../../sim/scenario';
import type { SimLogEvent } from '../../sim/state';
import { backfillStep, backfillWindow, NEW_CURSOR, type BackfillCursor, type BackfillObjects, type BackfillTarget } from '../../tasks/lib/backfill';
import type { AccountId } from '../../tasks/lib/domain';
import { destinationArn } from '../../tasks/lib/ownership';
import { expectValidLines } from '../data-path/log-lines';

const DAY = 86_400_000;
const GROUP = '/aws/lambda/orders';

class MemoryObjects implements BackfillObjects {
  public readonly objects = new Map<string, Buffer>();
  public writes = 0;
  public async createIfAbsent(key: string, bytes: Buffer): Promise<boolean> {
    this.writes++;
    if (this.objects.has(key)) return false;
    this.objects.set(key, bytes);
    return true;
  }
  public async exists(key: string): Promise<boolean> {
    return this.objects.has(key);
  }
  /** Every archived line, parsed. */
  public lines(): Array<Record<string, unknown>> {
    return [...this.objects.values()].flatMap((gz) =>
      gunzipSync(gz)
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    );
  }
}

function world() {
  const env = createOfflineEnvironment();
  const account = memberAccountId(0) as AccountId;
  const region = env.config.homeRegion;
  env.state.addAccount({ id: account, name: 'member-1', regions: env.config.governedRegions, roleMissingAttempts: 0 });
  env.state.createLogGroup(account, region, GROUP);
  const logs = env.aws.clientFactory(env.config.accounts.orchestration, region).logs(account, region);
  const put = (stream: string, timestamp: number, message: string) => env.state.putLogEvents(account, region, GROUP, stream, [{ timestamp, message }])[0]!;
  const subscribe = () => env.state.subscribeDirectly(account, region, GROUP, destinationArn(env.config.accounts.logging, region));
  const target: BackfillTarget = { account, region, logGroupName: GROUP };
  return { env, account, region, logs, put, subscribe, target };
}

/** Messages of 2 KB with quotes, unicode and tabs: three FilterLogEvents pages of 1 MB for 1,200 events. */
const message = (i: number) => `event ${i} "quoted" ü\t${'x'.repeat(2000)}`;

async function run(
  logs: Promise<import('@aws-sdk/client-cloudwatch-logs').CloudWatchLogsClient>,
  objects: BackfillObjects,
  target: BackfillTarget,
  window: ReturnType<typeof backfillWindow>,
  now: () => number,
  between: (step: number) => void = () => undefined,
  start: BackfillCursor = NEW_CURSOR,
): Promise<{ cursor: BackfillCursor; steps: number }> {
  let cursor = start;
  let steps = 0;
  while (!cursor.done) {
    cursor = await backfillStep(await logs, objects, target, window, cursor, now(), async () => undefined);
    between(++steps);
  }
  return { cursor, steps };
}

describe('backfill: the seam with live delivery', () => {
  it('archives every event ingested before the filter once, and live delivery every one after, whatever their timestamps', async () => {
    // Prepare
    const { env, logs, put, subscribe, target } = world();
    const t0 = env.state.tick();
    const history: SimLogEvent[] = [];
    for (let i = 0; i < 1200; i++) history.push(put(`stream-${i % 3} "q"`, t0 - 8 * DAY + i * 500_000, message(i)));
    const justBefore = put('stream-0 "q"', t0, 'written just before the filter');
    const skewed = put('stream-1 "q"', t0 + 3_600_000, 'timestamped an hour ahead, ingested before the filter');
    const creation = subscribe();
    const justAfter = put('stream-0 "q"', creation, 'written just after the filter, with its creation time');
    const tooNew = put('stream-1 "q"', creation + 3 * 3_600_000, 'three hours ahead: PutLogEvents rejects it');
    const window = backfillWindow(creation, 7);
    const objects = new MemoryObjects();
    const live: SimLogEvent[] = [];

    // Act: live writes with old timestamps keep arriving between steps, shifting the pages
    const { cursor } = await run(
      logs,
      objects,
      target,
      window,
      () => env.state.tick(),
      (step) => live.push(put('stream-2 "q"', t0 - 3 * DAY + step, `late ${step}`)),
    );

    // Assess
    const all = env.state.accountRegion(target.account, target.region).logGroups.get(GROUP)!.events!;
    const archived = objects.lines().map((l) => l.id as string);
    const delivered = env.state.delivered.map((e) => e.eventId);
    const expectedHistory = all.filter((e) => e.ingestionTime < creation && e.timestamp >= window.startTime).map((e) => e.eventId);
    expect(new Set(archived).size).toBe(archived.length);
    expect([...archived].sort()).toEqual([...expectedHistory].sort());
    expect(delivered.sort()).toEqual(
      all
        .filter((e) => e.ingestionTime > creation)
        .map((e) => e.eventId)
        .sort(),
    );
    expect(archived.filter((id) => delivered.includes(id))).toEqual([]);
    expect(archived).toContain(justBefore.eventId);
    expect(archived).toContain(skewed.eventId);
    expect(tooNew).toBeUndefined();
    expect(delivered).toContain(justAfter.eventId);
    expect(live.every((e) => delivered.includes(e.eventId))).toBe(true);
    expect(archived).not.toContain(history[0]!.eventId);
    expect(cursor).toMatchObject({ done: true, events: expectedHistory.length });
    expect(cursor.pages).toBeGreaterThan(2);
    expect(objects.lines().every((l) => l.backfilled === true)).toBe(true);
    expect(() =>
      expectValidLines([...objects.objects.values()].map((gz, i) => ({ recordId: String(i), result: 'Ok' as const, data: gunzipSync(gz).toString('base64') }))),
    ).not.toThrow();
    expect(objects.lines().find((l) => l.id === history[1100]!.eventId)).toEqual({
      timestamp: history[1100]!.timestamp,
      logGroup: GROUP,
      logStream: 'stream-2 "q"',
      backfilled: true,
      id: history[1100]!.eventId,
      message: message(1100),
    });
  });

  it('writes nothing twice and misses nothing when steps are killed before and after their writes, resuming from the saved cursor', async () => {
    // Prepare
    const { env, logs, put, subscribe, target } = world();
    const t0 = env.state.tick();
    for (let i = 0; i < 1200; i++) put(`stream-${i % 3}`, t0 - 6 * DAY + i * 60_000, message(i));
    const window = backfillWindow(subscribe(), 7);
    const objects = new MemoryObjects();
    let saved: BackfillCursor = NEW_CURSOR;
    let kills = 0;
    const died = { before: 0, after: 0 };
    let attempts = 0;
    const killing: BackfillObjects = {
      exists: (key) => objects.exists(key),
      // Every third step dies before its write, every third after it, until ten have died.
      createIfAbsent: async (key, bytes) => {
        attempts++;
        if (attempts % 3 === 1 && kills < 10) {
          kills++;
          died.before++;
          throw new Error('Task timed out after 900.00 seconds');
        }
        const wrote = await objects.createIfAbsent(key, bytes);
        if (attempts % 3 === 2 && kills < 10) {
          kills++;
          died.after++;
          throw new Error('Task timed out after 900.00 seconds');
        }
        return wrote;
      },
    };

    // Act
    for (;;) {
      try {
        saved = await backfillStep(await logs, killing, target, window, saved, env.state.tick(), async (c) => void (saved = c));
      } catch {
        continue;
      }
      if (saved.done) break;
    }

    // Assess
    const archived = objects.lines().map((l) => l.id as string);
    expect(died.before).toBeGreaterThan(0);
    expect(died.after).toBeGreaterThan(0);
    expect(new Set(archived).size).toBe(archived.length);
    expect(archived).toHaveLength(1200);
    expect(saved.events).toBe(1200);
  });

  it('moves a page not yet written to the current hour, so it never lands in an hour whose digest is closed', async () => {
    // Prepare
    const { env, logs, put, subscribe, target } = world();
    const t0 = env.state.tick();
    for (let i = 0; i < 10; i++) put('s', t0 - DAY + i, message(i));
    const window = backfillWindow(subscribe(), 7);
    const objects = new MemoryObjects();
    let read: BackfillCursor = NEW_CURSOR;
    const dying: BackfillObjects = { exists: (key) => objects.exists(key), createIfAbsent: async () => Promise.reject(new Error('killed before the write')) };
    await expect(backfillStep(await logs, dying, target, window, NEW_CURSOR, t0, async (c) => void (read = c))).rejects.toThrow('killed before the write');

    // Act
    const later = t0 + 2 * 3_600_000;
    const moved = await backfillStep(await logs, objects, target, window, read, later, async () => undefined);
    const written = await backfillStep(await logs, objects, target, window, moved, later, async () => undefined);

    // Assess
    const hour = (ms: number) => new Date(Math.floor(ms / 3_600_000) * 3_600_000).toISOString().slice(0, 13).replace(/-/g, '/').replace('T', '/');
    expect(read.pending!.key).toContain(`/${hour(t0)}/backfill-`);
    expect(moved.pending!.key).toContain(`/${hour(t0 + 2 * 3_600_000)}/backfill-`);
    // The page, then the object that says the group reached its horizon, in the same hour.
    expect([...objects.objects.keys()]).toEqual([moved.pending!.key, moved.pending!.key.replace(/-\d+\.gz$/, '-complete.gz')]);
    expect(written).toMatchObject({ done: true, events: 10, pages: 1 });
  });

  it('ends cleanly when the log group is deleted half-way, keeping what it archived', async () => {
    // Prepare
    const { env, logs, put, subscribe, target } = world();
    const t0 = env.state.tick();
    for (let i = 0; i < 1200; i++) put('s', t0 - DAY + i, message(i));
    const window = backfillWindow(subscribe(), 7);
    const objects = new MemoryObjects();

    // Act
    const { cursor } = await run(
      logs,
      objects,
      target,
      window,
      () => env.state.tick(),
      (step) => {
        if (step === 2) env.state.accountRegion(target.account, target.region).logGroups.delete(GROUP);
      },
    );

    // Assess
    expect(cursor).toMatchObject({ done: true, ended: 'log-group-deleted' });
    // Two pages and no completion object: the group never reached its horizon.
    expect(objects.objects.size).toBe(2);
    expect([...objects.objects.keys()].some((k) => k.endsWith('-complete.gz'))).toBe(false);
    expect(cursor.events).toBe(objects.lines().length);
  });
});
