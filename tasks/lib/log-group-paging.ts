/**
 * Where an account's log-group paging stands between pages: one entry per region, in the order the
 * regions were given, each with its running totals and, while it is paging, its cursor. Pure: the
 * page task (tasks/subscribe-log-groups-page.ts) reads and writes these through Step Functions, so
 * every field read back is validated here.
 */
import { parseRegion, type Region } from './domain';
import { InvalidInputError } from './errors';
import { MAX_LISTED } from './paging';

export interface PageTotals {
  readonly pages: number;
  readonly total: number;
  readonly subscribed: number;
  readonly alreadySubscribed: number;
  readonly excluded: number;
  readonly noSlot: number;
  readonly gone: number;
  readonly failed: number;
}

export const EMPTY_TOTALS: PageTotals = { pages: 0, total: 0, subscribed: 0, alreadySubscribed: 0, excluded: 0, noSlot: 0, gone: 0, failed: 0 };

/**
 * Where an interrupted page resumes: its listing token (none for the first page), how many of its
 * groups were handled in order, and the few handled out of order after them.
 */
export interface PageResume {
  readonly pageToken?: string;
  readonly skip: number;
  readonly done: readonly string[];
}

/** Where a region's next page starts: the listing's next token, or the page it stopped in; neither on its first page. */
export interface RegionCursor {
  readonly nextToken?: string;
  readonly resume?: PageResume;
  /** Pages in a row that handled none of its groups while other regions went on. */
  readonly stalls?: number;
}

export interface GroupFailure {
  readonly logGroupName: string;
  readonly error: string;
}

/** One region's log groups: `Paging` with a cursor until its last page, then `Done`, or `Failed` with why. */
export interface RegionLogGroups {
  readonly region: Region;
  readonly status: 'Paging' | 'Done' | 'Failed';
  readonly cursor?: RegionCursor;
  readonly totals: PageTotals;
  /** Groups without a free filter slot, and groups that failed, up to MAX_LISTED each across the account. */
  readonly noSlotGroups: readonly string[];
  readonly failures: readonly GroupFailure[];
  readonly error?: string;
  readonly cause?: string;
}

/** Pages in a row a region may make no progress before it is reported failed (the others go on). */
export const MAX_STALLS = 6;

const STATUSES: ReadonlySet<string> = new Set(['Paging', 'Done', 'Failed']);

/** A region's first entry: paging from its first page. */
export function startRegion(region: Region): RegionLogGroups {
  return { region, status: 'Paging', cursor: {}, totals: EMPTY_TOTALS, noSlotGroups: [], failures: [] };
}

/**
 * The regions to page on a run's first page: region names, or onboard-region summaries, of which
 * those whose log groups were left to the account's paging (`logGroups.status` "Deferred").
 */
export function regionsToPage(value: unknown): Region[] {
  if (!Array.isArray(value)) throw new InvalidInputError('regions', value, 'must be a list of regions, or of onboard-region summaries');
  const regions = value.flatMap((item, i): Region[] => {
    if (typeof item === 'string') return [parseRegion(item, `regions[${i}]`)];
    const summary = item as { region?: unknown; logGroups?: { status?: unknown } } | null;
    if (typeof summary !== 'object' || summary === null) throw new InvalidInputError(`regions[${i}]`, item, 'must be a region or an onboard-region summary');
    return summary.logGroups?.status === 'Deferred' ? [parseRegion(summary.region, `regions[${i}].region`)] : [];
  });
  const repeated = regions.find((r, i) => regions.indexOf(r) !== i);
  if (repeated) throw new InvalidInputError('regions', value, `names ${repeated} twice`);
  return regions;
}

function isCount(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0;
}

function parseResume(value: unknown, where: string): PageResume {
  const resume = value as Partial<PageResume>;
  const valid =
    typeof value === 'object' &&
    value !== null &&
    isCount(resume.skip) &&
    (resume.pageToken === undefined || typeof resume.pageToken === 'string') &&
    Array.isArray(resume.done) &&
    resume.done.every((d) => typeof d === 'string');
  if (!valid) throw new InvalidInputError(where, value, 'must be { pageToken?, skip, done } from the previous page');
  return resume as PageResume;
}

function parseCursor(value: unknown, where: string): RegionCursor {
  const cursor = value as RegionCursor;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidInputError(where, value, 'must be the cursor of the previous page');
  if (cursor.nextToken !== undefined && typeof cursor.nextToken !== 'string')
    throw new InvalidInputError(`${where}.nextToken`, cursor.nextToken, 'must be a string');
  if (cursor.stalls !== undefined && !isCount(cursor.stalls)) throw new InvalidInputError(`${where}.stalls`, cursor.stalls, 'must be a whole number');
  const resume = cursor.resume === undefined ? undefined : parseResume(cursor.resume, `${where}.resume`);
  return {
    ...(cursor.nextToken !== undefined ? { nextToken: cursor.nextToken } : {}),
    ...(resume ? { resume } : {}),
    ...(cursor.stalls ? { stalls: cursor.stalls } : {}),
  };
}

/** The previous page's region entries, each checked: they went through Step Functions. */
export function parseRegionEntries(value: unknown): RegionLogGroups[] {
  if (!Array.isArray(value)) throw new InvalidInputError('page.regions', value, "must be the previous page's regions");
  return value.map((item, i) => {
    const where = `page.regions[${i}]`;
    const entry = item as Partial<RegionLogGroups> | null;
    if (typeof entry !== 'object' || entry === null) throw new InvalidInputError(where, item, "must be a region's paging entry");
    const region = parseRegion(entry.region, `${where}.region`);
    if (!STATUSES.has(entry.status as string)) throw new InvalidInputError(`${where}.status`, entry.status, 'must be Paging, Done or Failed');
    if (typeof entry.totals !== 'object' || entry.totals === null || !Object.keys(EMPTY_TOTALS).every((k) => isCount(entry.totals![k as keyof PageTotals])))
      throw new InvalidInputError(`${where}.totals`, entry.totals, 'must be the running totals');
    if (!Array.isArray(entry.noSlotGroups) || !entry.noSlotGroups.every((g) => typeof g === 'string'))
      throw new InvalidInputError(`${where}.noSlotGroups`, entry.noSlotGroups, 'must be a list of log group names');
    if (!Array.isArray(entry.failures) || !entry.failures.every((f) => typeof f?.logGroupName === 'string' && typeof f.error === 'string'))
      throw new InvalidInputError(`${where}.failures`, entry.failures, 'must be a list of { logGroupName, error }');
    if (entry.status === 'Paging' && entry.cursor === undefined)
      throw new InvalidInputError(`${where}.cursor`, entry.cursor, 'must be present while the region is paging');
    return {
      ...(entry as RegionLogGroups),
      region,
      ...(entry.status === 'Paging' ? { cursor: parseCursor(entry.cursor, `${where}.cursor`) } : {}),
    };
  });
}

/** What one page did in one region. */
export type RegionPage =
  | {
      readonly kind: 'handled';
      /** Outcome counts of the groups handled now (not those handled before a resume). */
      readonly counts: Partial<Record<keyof PageTotals, number>>;
      readonly noSlotGroups: readonly string[];
      readonly failures: readonly GroupFailure[];
      /** A new page of the listing was read (not a stopped one resumed). */
      readonly newPage: boolean;
      /** Where the next page starts; none when this was the region's last. */
      readonly next?: RegionCursor;
    }
  /** Handled none of its groups (throttled past the SDK's retries, or its listing refused): tried again next page. */
  | { readonly kind: 'stalled'; readonly error: Error };

/**
 * A region's entry after this page: its totals added up, its lists kept within `room` more names
 * each, and its status: `Failed` once it stalled MAX_STALLS pages in a row.
 */
export function applyRegionPage(entry: RegionLogGroups, page: RegionPage, room: { noSlot: number; failures: number }): RegionLogGroups {
  if (page.kind === 'stalled') {
    const stalls = (entry.cursor?.stalls ?? 0) + 1;
    return stalls >= MAX_STALLS ? failedEntry(entry, page.error) : { ...entry, cursor: { ...entry.cursor, stalls } };
  }
  const totals = { ...entry.totals };
  if (page.newPage) totals.pages++;
  for (const [key, n] of Object.entries(page.counts) as Array<[keyof PageTotals, number]>) {
    totals[key] += n;
    totals.total += n;
  }
  const noSlotGroups = [...entry.noSlotGroups, ...page.noSlotGroups.slice(0, Math.max(0, room.noSlot))];
  const failures = [...entry.failures, ...page.failures.slice(0, Math.max(0, room.failures))];
  room.noSlot -= noSlotGroups.length - entry.noSlotGroups.length;
  room.failures -= failures.length - entry.failures.length;
  const { cursor: _done, ...rest } = entry;
  return page.next
    ? { ...rest, totals, noSlotGroups, failures, status: 'Paging', cursor: page.next }
    : { ...rest, totals, noSlotGroups, failures, status: 'Done' };
}

function failedEntry(entry: RegionLogGroups, error: Error): RegionLogGroups {
  const { cursor: _dropped, ...rest } = entry;
  return { ...rest, status: 'Failed', error: error.name, cause: error.message };
}

/** Names each list may still take across the account's entries. */
export function listRoom(entries: readonly RegionLogGroups[]): { noSlot: number; failures: number } {
  const sum = (f: (e: RegionLogGroups) => number) => entries.reduce((n, e) => n + f(e), 0);
  return { noSlot: MAX_LISTED - sum((e) => e.noSlotGroups.length), failures: MAX_LISTED - sum((e) => e.failures.length) };
}
