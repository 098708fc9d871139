/**
 * Task `SubscribeLogGroupsPage` (workflow `subscribe-log-groups`, the Express page loop of
 * `onboard-region`): one page of an account-region's log groups, each with the same rules as
 * `subscribe-log-group`, and running totals. A page is as many groups as CloudWatch Logs lets one
 * account-region describe and subscribe in one second, handled all at once; the workflow starts
 * pages a second apart (`nextPageAt`), so the pacing is the state machine's and no invocation waits
 * for rate tokens. A group that fails for good is recorded, never failing the page. A retryable error
 * (throttling past the SDK's retries) stops the page where it is: the groups already handled are
 * kept and the next invocation resumes after them (`resume`); only when not one group could be
 * handled does the error go to the workflow's Retry. Past `HAND_BACK_AFTER_SECONDS` of its Express
 * run it says `handBack`, and the run ends with the cursor for the next one.
 */
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import pLimit from 'p-limit';
import { toTaskError } from './lib/aws-errors';
import type { TaskContext } from './lib/context';
import { field, parseAccountId, parseRegion, type AccountId, type LogGroupName, type Region } from './lib/domain';
import { InvalidInputError, isTributaryError, LogGroupNotVisibleYetError } from './lib/errors';
import { lambdaHandler } from './lib/lambda';
import { addCounts, MAX_LISTED, previousPage } from './lib/paging';
import { exclusionMatcher } from './lib/ownership';
import { burstOf, CLIENT_RATE_LIMITS } from './lib/rate-limiter';
import { desiredFilter, ensureSubscriptionFilter } from './lib/subscription-filter';

/**
 * Groups a page lists and handles at once: the DescribeSubscriptionFilters (and, where one is
 * missing, PutSubscriptionFilter) calls Tributary allows itself in one account-region in one second.
 */
export const PAGE_SIZE = burstOf(CLIENT_RATE_LIMITS['CloudWatchLogs.DescribeSubscriptionFilters']!);
/**
 * Seconds into its Express run after which a page hands the cursor back: the rest of the run's 5
 * minutes is left for the last page and its retries.
 */
export const HAND_BACK_AFTER_SECONDS = 180;
/**
 * Pages start this far apart: the workflow waits until a second after this page started, not a
 * second after it ended, so its calls' own time does not stretch the pace.
 */
export const PAGE_INTERVAL_MS = 1000;

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

/**
 * Where an interrupted page resumes: its listing token (none for the first page), how many of its
 * groups were handled in order, and the few handled out of order after them.
 */
export interface PageResume {
  readonly pageToken?: string;
  readonly skip: number;
  readonly done: readonly string[];
}

export interface PageResult {
  readonly accountId: AccountId;
  readonly region: Region;
  /** Present while there are more pages. */
  readonly nextToken?: string;
  /** Present when this page stopped early (throttled): the next invocation finishes it. */
  readonly resume?: PageResume;
  /** Present when there is more to do and the Express run has used up its share of 5 minutes. */
  readonly handBack?: true;
  /** When the next page may start (ISO 8601), present while there are more pages. */
  readonly nextPageAt?: string;
  readonly totals: PageTotals;
  /** Up to 20 groups without a free filter slot, and up to 20 failures, across pages. */
  readonly noSlotGroups: readonly string[];
  readonly failures: ReadonlyArray<{ readonly logGroupName: string; readonly error: string }>;
}

const EMPTY: PageTotals = { pages: 0, total: 0, subscribed: 0, alreadySubscribed: 0, excluded: 0, noSlot: 0, gone: 0, failed: 0 };

type GroupOutcome = {
  readonly count: keyof PageTotals | 'handledBefore';
  readonly noSlot?: string;
  readonly failure?: { logGroupName: string; error: string };
};

function parseResume(value: unknown): PageResume | undefined {
  if (value === undefined) return undefined;
  const resume = value as Partial<PageResume>;
  const valid =
    typeof value === 'object' &&
    value !== null &&
    Number.isInteger(resume.skip) &&
    (resume.skip as number) >= 0 &&
    (resume.pageToken === undefined || typeof resume.pageToken === 'string') &&
    Array.isArray(resume.done) &&
    resume.done.every((d) => typeof d === 'string');
  if (!valid) throw new InvalidInputError('page.resume', value, 'must be { pageToken?, skip, done } from the previous page');
  return resume as PageResume;
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

export async function subscribeLogGroupsPage(input: unknown, { config, clients, clock }: TaskContext): Promise<PageResult> {
  const startedAt = clock.now();
  const accountId = parseAccountId(field(input, 'accountId'));
  const region = parseRegion(field(input, 'region'));
  const runStartedAt = parseRunStart(field(input, 'runStartedAt'));
  const before = previousPage<PageResult>(input);
  const resume = parseResume(before.resume);
  const pageToken = resume ? resume.pageToken : before.nextToken;
  const logs = await clients.logs(accountId, region);
  let page;
  try {
    page = await logs.send(new DescribeLogGroupsCommand({ limit: PAGE_SIZE, ...(pageToken ? { nextToken: pageToken } : {}) }));
  } catch (error) {
    throw toTaskError(error, `logs:DescribeLogGroups ${accountId} ${region}`);
  }

  const excluded = exclusionMatcher(config, accountId);
  const desired = desiredFilter(config, accountId, region);
  const skip = resume?.skip ?? 0;
  const alreadyDone = new Set(resume?.done ?? []);
  const groups = (page.logGroups ?? []).slice(skip);
  const outcomes: Array<GroupOutcome | undefined> = groups.map(() => undefined);
  let stopped: unknown;
  const limit = pLimit(PAGE_SIZE);
  // eslint-disable-next-line @cdklabs/promiseall-no-unbounded-parallelism -- each call goes through limit, PAGE_SIZE at a time
  await Promise.all(
    groups.map((group, i) =>
      limit(async () => {
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
    ),
  );

  // Resume after the groups handled in order, skipping the few handled out of order after them.
  const prefix = stopped ? outcomes.findIndex((o) => o === undefined) : outcomes.length;
  const handledNow = outcomes.filter((o) => o !== undefined && o.count !== 'handledBefore').length;
  if (stopped && handledNow === 0) throw stopped;
  const totals = addCounts(EMPTY, before.totals);
  const noSlotGroups = [...(before.noSlotGroups ?? [])];
  const failures = [...(before.failures ?? [])];
  if (!resume) totals.pages++;
  for (const outcome of outcomes) {
    if (outcome === undefined || outcome.count === 'handledBefore') continue;
    totals.total++;
    totals[outcome.count]++;
    if (outcome.noSlot && noSlotGroups.length < MAX_LISTED) noSlotGroups.push(outcome.noSlot);
    if (outcome.failure && failures.length < MAX_LISTED) failures.push(outcome.failure);
  }
  const done = groups.flatMap((g, i) => (i > prefix && outcomes[i] !== undefined ? [g.logGroupName!] : []));
  const next = stopped ? { resume: { ...(pageToken ? { pageToken } : {}), skip: skip + prefix, done } } : page.nextToken ? { nextToken: page.nextToken } : {};
  const more = Object.keys(next).length > 0;
  const handBack = more && shouldHandBack(runStartedAt, clock.now()) ? { handBack: true as const } : {};
  const pace = more ? { nextPageAt: new Date(startedAt + PAGE_INTERVAL_MS).toISOString() } : {};
  return { accountId, region, ...next, ...handBack, ...pace, totals, noSlotGroups, failures };
}

export const handler = lambdaHandler(subscribeLogGroupsPage);
