/** An account's log-group paging between pages: what is read back through Step Functions, and how a page's work adds up. */
import type { Region } from '../../tasks/lib/domain';
import {
  applyRegionPage,
  EMPTY_TOTALS,
  listRoom,
  MAX_STALLS,
  parseRegionEntries,
  regionsToPage,
  startRegion,
  type RegionLogGroups,
} from '../../tasks/lib/log-group-paging';
import { MAX_LISTED } from '../../tasks/lib/paging';
import { withAccountLogGroups } from '../../tasks/lib/outcome';

const EU = 'eu-west-1' as Region;
const US = 'us-east-1' as Region;

describe('regionsToPage', () => {
  it('takes region names, and of onboard-region summaries those that left their log groups to the account', () => {
    // Act
    const regions = regionsToPage([
      'ap-southeast-2',
      { region: EU, status: 'Onboarded', logGroups: { status: 'Deferred' } },
      { region: US, status: 'Onboarded', logGroups: { status: 'Done' } },
      { region: 'us-west-2', status: 'Failed', error: 'States.TaskFailed' },
      { region: 'eu-central-1', status: 'NotGoverned' },
    ]);

    // Assess
    expect(regions).toEqual(['ap-southeast-2', EU]);
  });

  it.each([
    ['not a list', { region: EU }, 'must be a list of regions, or of onboard-region summaries'],
    ['a summary that is null', [EU, null], 'regions[1]: null must be a region or an onboard-region summary'],
    ['a region with a quote', ["eu-west-1'"], 'regions[0]'],
    ['a summary naming no known region', [{ region: 'eu-west-1 ', logGroups: { status: 'Deferred' } }], 'regions[0].region'],
    ['a number', [42], 'regions[0]'],
    ['null', [null], 'regions[0]'],
    [
      'a region twice',
      [EU, { region: EU, logGroups: { status: 'Deferred' } }],
      'regions: ["eu-west-1",{"region":"eu-west-1","logGroups":{"status":"Deferred"}}] names eu-west-1 twice',
    ],
  ])('refuses %s, naming the field', (_case, value, named) => {
    expect(() => regionsToPage(value)).toThrow(expect.objectContaining({ name: 'InvalidInput', message: expect.stringContaining(named) }));
  });
});

describe('parseRegionEntries', () => {
  const entry = (over: Record<string, unknown> = {}) => ({ ...startRegion(EU), ...over });

  it("reads back a page's entries as written", () => {
    // Prepare
    const written: RegionLogGroups[] = [
      { ...startRegion(EU), cursor: { resume: { pageToken: 't"1', skip: 2, done: ['/a'] }, stalls: 2 } },
      { ...startRegion('ap-southeast-2' as Region), cursor: { nextToken: "t'2" } },
      { region: US, status: 'Done', totals: { ...EMPTY_TOTALS, pages: 3 }, noSlotGroups: ['/full'], failures: [{ logGroupName: '/x', error: 'E: m' }] },
      { region: 'us-west-2' as Region, status: 'Failed', totals: EMPTY_TOTALS, noSlotGroups: [], failures: [], error: 'Throttled', cause: 'Rate exceeded' },
    ];

    // Act
    const read = parseRegionEntries(JSON.parse(JSON.stringify(written)));

    // Assess
    expect(read).toEqual(written);
  });

  it('refuses a page whose regions are not a list', () => {
    expect(() => parseRegionEntries({ region: EU })).toThrow(
      expect.objectContaining({ name: 'InvalidInput', message: expect.stringContaining('page.regions: {') }),
    );
  });

  it.each([
    ['null', null, 'page.regions[0]', "a region's paging entry"],
    ['an unknown status', entry({ status: 'Finished' }), 'page.regions[0].status', 'must be Paging, Done or Failed'],
    ['no totals', entry({ totals: null }), 'page.regions[0].totals', 'must be the running totals'],
    ['group names that are not strings', entry({ noSlotGroups: ['/a', 7] }), 'page.regions[0].noSlotGroups', 'a list of log group names'],
    ['no list of groups', entry({ noSlotGroups: '/a' }), 'page.regions[0].noSlotGroups', 'a list of log group names'],
    ['a failure that is null', entry({ failures: [null] }), 'page.regions[0].failures', 'a list of { logGroupName, error }'],
    ['a cursor that is a list', entry({ cursor: [] }), 'page.regions[0].cursor', 'must be the cursor of the previous page'],
    ['a cursor that is null', entry({ cursor: null }), 'page.regions[0].cursor', 'must be the cursor of the previous page'],
    ['a cursor that is text', entry({ cursor: 't-1' }), 'page.regions[0].cursor', 'must be the cursor of the previous page'],
    ['a resume that is null', entry({ cursor: { resume: null } }), 'page.regions[0].cursor.resume', 'must be { pageToken?, skip, done }'],
    ['a resume whose token is a number', entry({ cursor: { resume: { pageToken: 1, skip: 0, done: [] } } }), 'page.regions[0].cursor.resume', 'skip, done'],
    ['a resume whose done names are numbers', entry({ cursor: { resume: { skip: 0, done: [1] } } }), 'page.regions[0].cursor.resume', 'skip, done'],
    ['a token that is not a string', entry({ cursor: { nextToken: 7 } }), 'page.regions[0].cursor.nextToken', 'must be a string'],
    ['stalls that are not a count', entry({ cursor: { stalls: -1 } }), 'page.regions[0].cursor.stalls', 'must be a whole number'],
    ['paging without a cursor', entry({ cursor: undefined }), 'page.regions[0].cursor', 'must be present while the region is paging'],
  ])('refuses an entry with %s, naming the field and why', (_case, value, named, why) => {
    // Act
    let refused: Error | undefined;
    try {
      parseRegionEntries([value]);
    } catch (error) {
      refused = error as Error;
    }

    // Assess
    expect(refused?.name).toBe('InvalidInput');
    expect(refused?.message.startsWith(`${named}: `)).toBe(true);
    expect(refused?.message).toContain(why);
  });

  it.each([
    ['a status of its own', entry({ status: 'Finished' }), 'page.regions[0].status'],
    ['a negative count', entry({ totals: { ...EMPTY_TOTALS, subscribed: -1 } }), 'page.regions[0].totals'],
    ['a count as a string', entry({ totals: { ...EMPTY_TOTALS, pages: '1' } }), 'page.regions[0].totals'],
    ['paging without a cursor', entry({ cursor: undefined }), 'page.regions[0].cursor'],
    ['a token that is not a string', entry({ cursor: { nextToken: 7 } }), 'page.regions[0].cursor.nextToken'],
    ['a resume without skip', entry({ cursor: { resume: { done: [] } } }), 'page.regions[0].cursor.resume'],
    ['stalls that are not a count', entry({ cursor: { stalls: 1.5 } }), 'page.regions[0].cursor.stalls'],
    ['a failure without its error', entry({ failures: [{ logGroupName: '/x' }] }), 'page.regions[0].failures'],
    ['an unknown region', entry({ region: 'mars-1' }), 'page.regions[0].region'],
  ])('refuses %s, naming the field', (_case, value, named) => {
    expect(() => parseRegionEntries([value])).toThrow(expect.objectContaining({ name: 'InvalidInput', message: expect.stringContaining(named) }));
  });
});

describe('applyRegionPage', () => {
  it("adds a page's outcomes to the totals and moves the cursor on", () => {
    // Act
    const entry = applyRegionPage(
      startRegion(EU),
      { kind: 'handled', counts: { subscribed: 3, noSlot: 1 }, noSlotGroups: ['/full'], failures: [], newPage: true, next: { nextToken: 't-2' } },
      { noSlot: MAX_LISTED, failures: MAX_LISTED },
    );

    // Assess
    expect(entry).toEqual({
      region: EU,
      status: 'Paging',
      cursor: { nextToken: 't-2' },
      totals: { ...EMPTY_TOTALS, pages: 1, total: 4, subscribed: 3, noSlot: 1 },
      noSlotGroups: ['/full'],
      failures: [],
    });
  });

  it('counts a resumed page as the same page, and keeps a no-slot group within the room left', () => {
    // Act
    const room = { noSlot: 1, failures: MAX_LISTED };
    const entry = applyRegionPage(
      { ...startRegion(EU), totals: { ...EMPTY_TOTALS, pages: 2, total: 3, subscribed: 3 }, noSlotGroups: ['/earlier'] },
      { kind: 'handled', counts: { noSlot: 2 }, noSlotGroups: ['/full-1', '/full-2'], failures: [], newPage: false, next: { nextToken: 't-3' } },
      room,
    );

    // Assess
    expect(entry.totals).toMatchObject({ pages: 2, total: 5, noSlot: 2 });
    expect(entry.noSlotGroups).toEqual(['/earlier', '/full-1']);
    expect(room).toEqual({ noSlot: 0, failures: MAX_LISTED });
  });

  it("gives the next region what room a region's new names left", () => {
    // Prepare: eu-west-1 listed 2 failures before and fails 3 groups now; us-east-1 fails 14.
    const failures = (region: string, n: number) => Array.from({ length: n }, (_, i) => ({ logGroupName: `/${region}/${i}`, error: 'E' }));
    const entries = [{ ...startRegion(EU), failures: failures('before', 2) }, startRegion(US)];
    const room = listRoom(entries);
    const fail = (region: string, n: number) => ({
      kind: 'handled' as const,
      counts: { failed: n },
      noSlotGroups: [],
      failures: failures(region, n),
      newPage: true,
    });

    // Act
    const after = [applyRegionPage(entries[0]!, fail(EU, 3), room), applyRegionPage(entries[1]!, fail(US, 14), room)];

    // Assess: 2 + 3 + 14 names, under MAX_LISTED.
    expect(after.map((e) => e.failures.length)).toEqual([5, 14]);
    expect(room.failures).toBe(MAX_LISTED - 19);
  });

  it('leaves room for exactly the names not listed yet', () => {
    // Act
    const room = listRoom([
      { ...startRegion(EU), noSlotGroups: ['/a', '/b'], failures: [{ logGroupName: '/c', error: 'E' }] },
      { ...startRegion(US), noSlotGroups: ['/d'] },
    ]);

    // Assess
    expect(room).toEqual({ noSlot: MAX_LISTED - 3, failures: MAX_LISTED - 1 });
  });

  it('marks a region Done after its last page, dropping the cursor and its stalls', () => {
    // Act
    const entry = applyRegionPage(
      { ...startRegion(EU), cursor: { nextToken: 't-9', stalls: 3 } },
      { kind: 'handled', counts: { alreadySubscribed: 2 }, noSlotGroups: [], failures: [], newPage: true },
      { noSlot: 0, failures: 0 },
    );

    // Assess
    expect(entry.status).toBe('Done');
    expect(entry.cursor).toBeUndefined();
    expect(entry.totals).toMatchObject({ pages: 1, total: 2, alreadySubscribed: 2 });
  });

  it(`reports a region Failed after ${MAX_STALLS} stalled pages in a row, keeping its cursor until then`, () => {
    // Prepare
    const error = Object.assign(new Error('logs:DescribeLogGroups: ThrottlingException: Rate exceeded'), { name: 'Throttled' });
    let entry: RegionLogGroups = { ...startRegion(EU), cursor: { nextToken: 't-4' } };

    // Act
    const seen: RegionLogGroups[] = [];
    for (let i = 0; i < MAX_STALLS; i++) seen.push((entry = applyRegionPage(entry, { kind: 'stalled', error }, { noSlot: 0, failures: 0 })));

    // Assess
    expect(seen.slice(0, -1).every((e) => e.status === 'Paging' && e.cursor?.nextToken === 't-4')).toBe(true);
    expect(entry).toMatchObject({ status: 'Failed', error: 'Throttled', cause: error.message });
    expect(entry.cursor).toBeUndefined();
  });

  it('keeps at most MAX_LISTED names across all the regions of the account', () => {
    // Prepare: one region has listed 15 failures already; two more regions each fail 10 groups now.
    const failures = (region: string, n: number) => Array.from({ length: n }, (_, i) => ({ logGroupName: `/${region}/${i}`, error: 'AccessDenied: no' }));
    const entries = [{ ...startRegion(EU), failures: failures(EU, 15) }, startRegion(US), startRegion('ap-southeast-2' as Region)];
    const room = listRoom(entries);

    // Act
    const after = entries.map((e) =>
      applyRegionPage(e, { kind: 'handled', counts: { failed: 10 }, noSlotGroups: [], failures: failures(e.region, 10), newPage: true, next: {} }, room),
    );

    // Assess: the counts stay exact; the names stop at MAX_LISTED, in region order.
    expect(after.map((e) => e.totals.failed)).toEqual([10, 10, 10]);
    expect(after.flatMap((e) => e.failures)).toHaveLength(MAX_LISTED);
    expect(after.map((e) => e.failures.length)).toEqual([20, 0, 0]);
  });
});

describe('withAccountLogGroups', () => {
  const summary = (logGroups: unknown) => ({
    accountId: '123456789012',
    regions: [
      { region: EU, status: 'Onboarded', logGroups: { status: 'Deferred' } },
      { region: US, status: 'Onboarded', logGroups: { status: 'Done', totals: { subscribed: 1 } } },
      { region: 'us-west-2', status: 'Failed', error: 'States.TaskFailed' },
    ],
    logGroups,
  });

  it("gives each deferred region its entry from the account's paging, leaving the others as they were", () => {
    // Act
    const merged = withAccountLogGroups(summary([{ region: EU, status: 'Done', totals: { subscribed: 7 }, noSlotGroups: [], failures: [] }]));

    // Assess
    expect(merged).toEqual({
      accountId: '123456789012',
      regions: [
        { region: EU, status: 'Onboarded', logGroups: { status: 'Done', totals: { subscribed: 7 }, noSlotGroups: [], failures: [] } },
        { region: US, status: 'Onboarded', logGroups: { status: 'Done', totals: { subscribed: 1 } } },
        { region: 'us-west-2', status: 'Failed', error: 'States.TaskFailed' },
      ],
    });
  });

  it('gives each deferred region the failure of a page loop that failed as a whole', () => {
    // Act
    const merged = withAccountLogGroups(summary({ status: 'Failed', error: 'States.TaskFailed', cause: 'run failed', lastPage: {} }));

    // Assess
    expect((merged.regions as Array<Record<string, unknown>>)[0]!.logGroups).toEqual({ status: 'Failed', error: 'States.TaskFailed', cause: 'run failed' });
  });

  it('keeps what the last page of a failed loop had finished, and fails only the regions it had not', () => {
    // Prepare: the loop failed while eu-west-1 was done and ap-southeast-2 still paging.
    const done = { region: EU, status: 'Done', totals: { subscribed: 7 }, noSlotGroups: [], failures: [] };
    const paging = { region: 'ap-southeast-2', status: 'Paging', cursor: { nextToken: 't' }, totals: {}, noSlotGroups: [], failures: [] };
    const input = summary({ status: 'Failed', error: 'States.TaskFailed', cause: 'run failed', lastPage: { regions: [done, paging] } });
    const regions = [...input.regions, { region: 'ap-southeast-2', status: 'Onboarded', logGroups: { status: 'Deferred' } }];

    // Act
    const merged = withAccountLogGroups({ ...input, regions }).regions as Array<Record<string, unknown>>;

    // Assess
    expect(merged[0]!.logGroups).toEqual({ status: 'Done', totals: { subscribed: 7 }, noSlotGroups: [], failures: [] });
    expect(merged[3]!.logGroups).toEqual({ status: 'Failed', error: 'States.TaskFailed', cause: 'run failed' });
  });

  it('reports a deferred region the page loop did not mention as failed, not as done', () => {
    // Act
    const merged = withAccountLogGroups(summary([]));

    // Assess
    expect((merged.regions as Array<Record<string, unknown>>)[0]!.logGroups).toMatchObject({ status: 'Failed', error: 'NotPaged' });
  });
});
