/**
 * Task `SubscribeLogGroupsPage` (workflow `onboard-region`): one page (up to 50) of an account
 * region's log groups, each with the same rules as `subscribe-log-group`. Returns the next token,
 * so Step Functions transitions grow with pages, not with log groups, and running totals. A
 * group that fails for good is recorded, never failing the page; a retryable error (throttling)
 * fails the page, which the workflow retries (already-subscribed groups cost a read, no write).
 */
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import pLimit from 'p-limit';
import { toTaskError } from './lib/aws-errors';
import type { TaskContext } from './lib/context';
import { field, parseAccountId, parseRegion, type AccountId, type LogGroupName, type Region } from './lib/domain';
import { isTributaryError, LogGroupNotVisibleYetError } from './lib/errors';
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

export interface PageResult {
  readonly accountId: AccountId;
  readonly region: Region;
  /** Present while there are more pages. */
  readonly nextToken?: string;
  readonly totals: PageTotals;
  /** Up to 20 groups without a free filter slot, and up to 20 failures, across pages. */
  readonly noSlotGroups: readonly string[];
  readonly failures: ReadonlyArray<{ readonly logGroupName: string; readonly error: string }>;
}

const EMPTY: PageTotals = { pages: 0, total: 0, subscribed: 0, alreadySubscribed: 0, excluded: 0, noSlot: 0, gone: 0, failed: 0 };

export async function subscribeLogGroupsPage(input: unknown, { config, clients }: TaskContext): Promise<PageResult> {
  const accountId = parseAccountId(field(input, 'accountId'));
  const region = parseRegion(field(input, 'region'));
  const before = previousPage<PageResult>(input);
  const logs = await clients.logs(accountId, region);
  let page;
  try {
    page = await logs.send(new DescribeLogGroupsCommand({ limit: PAGE_SIZE, ...(before.nextToken ? { nextToken: before.nextToken } : {}) }));
  } catch (error) {
    throw toTaskError(error, `logs:DescribeLogGroups ${accountId} ${region}`);
  }

  const excluded = exclusionMatcher(config.logGroupExclusions);
  const desired = desiredFilter(config, accountId, region);
  const totals = addCounts(EMPTY, before.totals);
  const noSlotGroups = [...(before.noSlotGroups ?? [])];
  const failures = [...(before.failures ?? [])];
  const limit = pLimit(GROUP_CONCURRENCY);
  totals.pages++;
  await Promise.all(
    (page.logGroups ?? []).map((group) =>
      limit(async () => {
        const name = group.logGroupName as LogGroupName;
        totals.total++;
        if (excluded(name).excluded) {
          totals.excluded++;
          return;
        }
        try {
          const outcome = await ensureSubscriptionFilter(logs, name, desired);
          if (outcome.status === 'Subscribed') totals.subscribed++;
          else if (outcome.status === 'AlreadySubscribed') totals.alreadySubscribed++;
          else {
            totals.noSlot++;
            if (noSlotGroups.length < MAX_LISTED) noSlotGroups.push(name);
          }
        } catch (error) {
          // Listed a moment ago, gone now: deleted in between, nothing to subscribe.
          if (error instanceof LogGroupNotVisibleYetError) totals.gone++;
          else if (isTributaryError(error) && error.retryable) throw error;
          else {
            totals.failed++;
            if (failures.length < MAX_LISTED) failures.push({ logGroupName: name, error: `${(error as Error).name}: ${(error as Error).message}` });
          }
        }
      }),
    ),
  );
  return { accountId, region, ...(page.nextToken ? { nextToken: page.nextToken } : {}), totals, noSlotGroups, failures };
}

export const handler = lambdaHandler(subscribeLogGroupsPage);
