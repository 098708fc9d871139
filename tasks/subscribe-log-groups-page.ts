/**
 * Task `SubscribeLogGroupsPage` (workflow `onboard-region`): one page (up to 50) of an account
 * region's log groups, each with the same rules as `subscribe-log-group`. Returns the next token,
 * so Step Functions transitions grow with pages, not with log groups, and running totals. A
 * group that fails for good is recorded, never failing the page. A retryable error (throttling
 * past the SDK's retries) stops the page where it is: the groups already handled are kept and the
 * next invocation resumes after them (`resume`), so a throttled page is never re-read whole; only
 * when not one group could be handled does the error go to the workflow's Retry.
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
import { desiredFilter, ensureSubscriptionFilter } from './lib/subscription-filter';

/** DescribeLogGroups returns at most 50 groups a page. */
export const PAGE_SIZE = 50;
/** Groups handled at once within a page, to stay under CloudWatch Logs' per-account rates. */
const GROUP_CONCURRENCY = 4;

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

export async function subscribeLogGroupsPage(input: unknown, { config, clients }: TaskContext): Promise<PageResult> {
  const accountId = parseAccountId(field(input, 'accountId'));
  const region = parseRegion(field(input, 'region'));
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
  const limit = pLimit(GROUP_CONCURRENCY);
  // eslint-disable-next-line @cdklabs/promiseall-no-unbounded-parallelism -- each call goes through limit, GROUP_CONCURRENCY at a time
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
  return { accountId, region, ...next, totals, noSlotGroups, failures };
}

export const handler = lambdaHandler(subscribeLogGroupsPage);
