/**
 * Task `SubscribeLogGroupsPage` (workflow `subscribe-log-groups`, the Express page loop of
 * `onboard-account`, and of `onboard-region` for a region onboarded on its own): one page of each
 * of an account's regions at once, each group with the same rules as `subscribe-log-group`, and
 * each region's running totals. A region's page is as many groups as CloudWatch Logs lets one
 * account-region describe and subscribe in one second; the workflow starts pages a second apart
 * (`nextPageAt`), so the pacing is the state machine's and no invocation waits for rate tokens.
 *
 * One invocation serves all the account's regions: it assumes the member role once (a Lambda
 * environment keeps the credentials), so an organization-wide reconcile asks STS for about one
 * set of credentials per account a second, not one per account-region.
 *
 * A group that fails for good is recorded, never failing the page. A retryable error (throttling
 * past the SDK's retries) stops a region's page where it is: the groups already handled are kept
 * and the next page resumes after them. A region that handles none (that, or its listing refused)
 * stalls; one that stalls MAX_STALLS pages in a row is reported failed while the others go on.
 * When no region gets anywhere, the error fails the page, for the workflow's Retry (and, past it,
 * the parent's rerun of the run). Past `HAND_BACK_AFTER_SECONDS` of its Express run the page says
 * `handBack`, and the run ends with the cursors for the next one.
 */
import { DescribeLogGroupsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { toTaskError } from './lib/aws-errors';
import type { TaskContext } from './lib/context';
import { field, parseAccountId, type AccountId, type LogGroupName, type Region } from './lib/domain';
import { InvalidInputError, isTributaryError, LogGroupNotVisibleYetError } from './lib/errors';
import { lambdaHandler } from './lib/lambda';
import {
  applyRegionPage,
  listRoom,
  parseRegionEntries,
  regionsToPage,
  startRegion,
  type GroupFailure,
  type PageTotals,
  type RegionCursor,
  type RegionLogGroups,
  type RegionPage,
} from './lib/log-group-paging';
import { exclusionMatcher } from './lib/ownership';
import { previousPage } from './lib/paging';
import { burstOf, CLIENT_RATE_LIMITS } from './lib/rate-limiter';
import { desiredFilter, ensureSubscriptionFilter } from './lib/subscription-filter';
import type { DesiredFilter } from './lib/subscription-plan';

/**
 * Groups a region's page lists and handles at once: the DescribeSubscriptionFilters (and, where one
 * is missing, PutSubscriptionFilter) calls Tributary allows itself in one account-region in one second.
 */
export const PAGE_SIZE = burstOf(CLIENT_RATE_LIMITS['CloudWatchLogs.DescribeSubscriptionFilters']!);
/**
 * Seconds into its Express run after which a page hands the cursors back: the rest of the run's 5
 * minutes is left for the last page and its retries.
 */
export const HAND_BACK_AFTER_SECONDS = 180;
/**
 * A region's next page starts this long after this one listed its groups, not after its calls
 * ended: their own time does not stretch the pace, and a page that waited for credentials or a
 * listing does not crowd the next one into the same second of the region's quota.
 */
export const PAGE_INTERVAL_MS = 1000;

export interface PageResult {
  readonly accountId: AccountId;
  /** Each region's paging, in the order given on the run's first page. */
  readonly regions: readonly RegionLogGroups[];
  /** Present when there is more to do and the Express run has used up its share of 5 minutes. */
  readonly handBack?: true;
  /** When the next page may start (ISO 8601), present while a region is still paging. */
  readonly nextPageAt?: string;
}

/** When the Express run this page belongs to started (ms), from `$$.Execution.StartTime`; none outside a run. */
function parseRunStart(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const at = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(at)) throw new InvalidInputError('runStartedAt', value, "must be the run's start time, an ISO 8601 timestamp");
  return at;
}

/** Whether a run that started at `runStartedAt` should end after this page and let another continue. */
export function shouldHandBack(runStartedAt: number | undefined, now: number): boolean {
  return runStartedAt !== undefined && now - runStartedAt >= HAND_BACK_AFTER_SECONDS * 1000;
}

type Outcome = { readonly count: keyof PageTotals | 'handledBefore'; readonly noSlot?: string; readonly failure?: GroupFailure };

interface RegionWork {
  readonly accountId: AccountId;
  readonly region: Region;
  readonly logs: CloudWatchLogsClient;
  readonly cursor: RegionCursor;
  readonly excluded: ReturnType<typeof exclusionMatcher>;
  readonly desired: DesiredFilter;
  /** Called when the region's listing answered: its next page's slot counts from then. */
  readonly listed: () => void;
}

/** One page of one region: list, then ensure each listed group's filter, PAGE_SIZE at a time. */
async function pageRegion({ accountId, region, logs, cursor, excluded, desired, listed }: RegionWork): Promise<RegionPage> {
  const pageToken = cursor.resume ? cursor.resume.pageToken : cursor.nextToken;
  let page;
  try {
    page = await logs.send(new DescribeLogGroupsCommand({ limit: PAGE_SIZE, ...(pageToken ? { nextToken: pageToken } : {}) }));
  } catch (error) {
    return { kind: 'stalled', error: toTaskError(error, `logs:DescribeLogGroups ${accountId} ${region}`) };
  }
  listed();
  const skip = cursor.resume?.skip ?? 0;
  const alreadyDone = new Set(cursor.resume?.done ?? []);
  const groups = (page.logGroups ?? []).slice(skip);
  const outcomes: Array<Outcome | undefined> = groups.map(() => undefined);
  let stopped: Error | undefined;
  // eslint-disable-next-line @cdklabs/promiseall-no-unbounded-parallelism -- at most PAGE_SIZE groups: the listing's limit
  await Promise.all(
    groups.map(async (group, i) => {
      if (stopped) return;
      const name = group.logGroupName as LogGroupName;
      if (alreadyDone.has(name)) {
        outcomes[i] = { count: 'handledBefore' };
        return;
      }
      if (excluded(name).excluded) {
        outcomes[i] = { count: 'excluded' };
        return;
      }
      try {
        const outcome = await ensureSubscriptionFilter(logs, name, desired);
        outcomes[i] =
          outcome.status === 'Subscribed'
            ? { count: 'subscribed' }
            : outcome.status === 'AlreadySubscribed'
              ? { count: 'alreadySubscribed' }
              : { count: 'noSlot', noSlot: name };
      } catch (error) {
        // Listed a moment ago, gone now: deleted in between, nothing to subscribe.
        if (error instanceof LogGroupNotVisibleYetError) outcomes[i] = { count: 'gone' };
        else if (isTributaryError(error) && error.retryable) stopped ??= error;
        else outcomes[i] = { count: 'failed', failure: { logGroupName: name, error: `${(error as Error).name}: ${(error as Error).message}` } };
      }
    }),
  );

  const handledNow = outcomes.filter((o): o is Outcome => o !== undefined && o.count !== 'handledBefore');
  if (stopped && handledNow.length === 0) return { kind: 'stalled', error: stopped };
  const counts: Partial<Record<keyof PageTotals, number>> = {};
  for (const o of handledNow) counts[o.count as keyof PageTotals] = (counts[o.count as keyof PageTotals] ?? 0) + 1;
  // Resume after the groups handled in order, skipping the few handled out of order after them.
  const prefix = stopped ? outcomes.findIndex((o) => o === undefined) : outcomes.length;
  const done = groups.flatMap((g, i) => (i > prefix && outcomes[i] !== undefined ? [g.logGroupName!] : []));
  const next: RegionCursor | undefined = stopped
    ? { resume: { ...(pageToken ? { pageToken } : {}), skip: skip + prefix, done } }
    : page.nextToken
      ? { nextToken: page.nextToken }
      : undefined;
  return {
    kind: 'handled',
    counts,
    noSlotGroups: handledNow.flatMap((o) => (o.noSlot ? [o.noSlot] : [])),
    failures: handledNow.flatMap((o) => (o.failure ? [o.failure] : [])),
    newPage: !cursor.resume,
    ...(next ? { next } : {}),
  };
}

/** The regions this page works on: the previous page's entries, or on a run's first page, the regions it was given. */
function entriesOf(input: unknown): RegionLogGroups[] {
  const before = previousPage<PageResult>(input);
  return before.regions === undefined ? regionsToPage(field(input, 'regions')).map(startRegion) : parseRegionEntries(before.regions);
}

export async function subscribeLogGroupsPage(input: unknown, { config, clients, clock }: TaskContext): Promise<PageResult> {
  const startedAt = clock.now();
  const accountId = parseAccountId(field(input, 'accountId'));
  const runStartedAt = parseRunStart(field(input, 'runStartedAt'));
  const entries = entriesOf(input);
  const paging = entries.filter((e) => e.status === 'Paging');
  let listedAt = startedAt;
  const pages = await pageRegions({ config, clients }, accountId, paging, () => (listedAt = Math.max(listedAt, clock.now())));

  // No region handled a group: the error goes to the workflow (its Retry backs off from one that may pass).
  const stalled = pages.find((p): p is Extract<RegionPage, { kind: 'stalled' }> => p.kind === 'stalled');
  if (stalled && pages.every((p) => p.kind === 'stalled')) throw stalled.error;

  const room = listRoom(entries);
  const regions = entries.map((entry) => {
    const i = paging.indexOf(entry);
    return i < 0 ? entry : applyRegionPage(entry, pages[i]!, room);
  });
  const more = regions.some((r) => r.status === 'Paging');
  const handBack = more && shouldHandBack(runStartedAt, clock.now()) ? { handBack: true as const } : {};
  const pace = more ? { nextPageAt: new Date(listedAt + PAGE_INTERVAL_MS).toISOString() } : {};
  return { accountId, regions, ...handBack, ...pace };
}

/** A page of each region at once, with one set of member credentials: the first region's client assumes the role, the others reuse it. */
async function pageRegions(
  { config, clients }: Pick<TaskContext, 'config' | 'clients'>,
  accountId: AccountId,
  paging: readonly RegionLogGroups[],
  listed: () => void,
): Promise<RegionPage[]> {
  if (paging.length === 0) return [];
  // Credentials that cannot be had fail the page as a whole, for the workflow's Retry.
  await clients.logs(accountId, paging[0]!.region);
  const excluded = exclusionMatcher(config, accountId);
  // eslint-disable-next-line @cdklabs/promiseall-no-unbounded-parallelism -- one per governed region of the account, a handful
  return Promise.all(
    paging.map(async ({ region, cursor }) =>
      pageRegion({
        accountId,
        region,
        logs: await clients.logs(accountId, region),
        cursor: cursor ?? {},
        excluded,
        desired: desiredFilter(config, accountId, region),
        listed,
      }),
    ),
  );
}

export const handler = lambdaHandler(subscribeLogGroupsPage);
