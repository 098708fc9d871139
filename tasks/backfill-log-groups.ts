/**
 * Task `BackfillLogGroups` (workflow `backfill-region`): archives the retained history of an
 * account-region's subscribed log groups (config `backfill`), a few FilterLogEvents pages an
 * invocation (tasks/lib/backfill.ts), each group's cursor kept in the hub's table
 * (tasks/lib/backfill-records.ts). The workflow calls it until it answers `done`; an invocation
 * that fails or times out is simply called again with the same input: the cursors it saved say
 * where each group stands, so nothing is archived twice and nothing is skipped.
 *
 * Given `page.only` (a group subscribed by subscribe-log-group), it backfills that group only.
 * Only groups wired by Tributary's own subscription filter are backfilled, up to the filter's
 * creation time; a group whose backfill is done is skipped at once, so the daily reconcile,
 * which starts this workflow again for every account-region, resumes what was left unfinished and
 * picks up the groups subscribed since.
 */
import {
  DescribeLogGroupsCommand,
  DescribeSubscriptionFiltersCommand,
  ResourceNotFoundException,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import pLimit from 'p-limit';
import { toTaskError } from './lib/aws-errors';
import { backfillStep, backfillWindow, NEW_CURSOR, type BackfillCursor, type BackfillObjects, type BackfillTarget } from './lib/backfill';
import { S3BackfillObjects } from './lib/backfill-objects';
import { accountBytes, addAccountBytes, backfillRecordKey, readBackfillRecord, writeBackfillRecord, type BackfillRecord } from './lib/backfill-records';
import type { TaskContext } from './lib/context';
import { categoryOf, logSourceOf } from './lib/data-path/log-source';
import { field, isLogGroupName, parseAccountId, parseLogGroupName, parseRegion, type AccountId, type LogGroupName, type Region } from './lib/domain';
import { BackfillRecordConflictError, InvalidInputError, isTributaryError, WorkIncompleteError } from './lib/errors';
import { lambdaHandler } from './lib/lambda';
import { addCounts, previousPage } from './lib/paging';
import { exclusionMatcher, SUBSCRIPTION_FILTER_NAME } from './lib/ownership';
import { archiveBucketName } from './lib/resource-names';

/** FilterLogEvents pages an invocation reads at most: about 12 s at the client's 4 a second, well within its 120 s timeout. */
export const STEPS_PER_INVOCATION = 50;
const LIST_PAGE_SIZE = 50;
/**
 * Groups backfilled side by side within an invocation: enough that a step waiting on its other
 * calls (the cursor, the object) leaves the FilterLogEvents limiter busy with another group's page.
 */
const GROUP_CONCURRENCY = 6;

export interface BackfillTotals {
  /** Groups looked at: of the backfill's categories and not excluded. */
  readonly groups: number;
  /** Groups whose backfill reached its horizon (now or before). */
  readonly completed: number;
  /** Groups deleted before their backfill finished: ended with what was archived. */
  readonly deleted: number;
  /** Groups without Tributary's filter: nothing to backfill up to. */
  readonly notSubscribed: number;
  /** Groups another execution was advancing: left to it. */
  readonly leftToAnother: number;
  /** Groups AWS refused a call for, for good: the others go on, and the run then fails naming them. */
  readonly failed: number;
  readonly pages: number;
  readonly events: number;
  readonly bytes: number;
}

const NO_TOTALS: BackfillTotals = { groups: 0, completed: 0, deleted: 0, notSubscribed: 0, leftToAnother: 0, failed: 0, pages: 0, events: 0, bytes: 0 };
/** Failures a progress names, at most. */
const MAX_FAILURES = 20;

export interface GroupFailure {
  readonly logGroupName: string;
  readonly error: string;
}

export interface BackfillProgress {
  readonly accountId: AccountId;
  readonly region: Region;
  readonly done: boolean;
  /** The account passed `backfill.maxBytesPerAccount`: the rest of its history stays unarchived. */
  readonly capped: boolean;
  /** The listing's next page, when there is one. */
  readonly listToken?: string;
  /** Groups of the current listing page not yet finished, in order (at most 50). */
  readonly queue: readonly string[];
  /** Whether the first listing page was read. */
  readonly listed: boolean;
  /** The execution that made this invocation, and its invocations so far: the workflow goes on in a new execution past a bound. */
  readonly execution?: string;
  readonly invocations: number;
  readonly totals: BackfillTotals;
  /** Up to 20 groups that failed for good, with why. */
  readonly failures: readonly GroupFailure[];
}

function parseQueue(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > LIST_PAGE_SIZE || !value.every(isLogGroupName))
    throw new InvalidInputError('page.queue', value, 'must be the log group names the previous invocation left');
  return [...value];
}

/** Our filter's creation time on `group`, or undefined when Tributary's filter is not on it. */
async function seamOf(logs: CloudWatchLogsClient, group: string): Promise<number | undefined> {
  const { subscriptionFilters } = await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: group, filterNamePrefix: SUBSCRIPTION_FILTER_NAME }));
  return subscriptionFilters?.find((f) => f.filterName === SUBSCRIPTION_FILTER_NAME)?.creationTime;
}

export async function backfillLogGroups(input: unknown, { config, clients, clock }: TaskContext): Promise<BackfillProgress> {
  const accountId = parseAccountId(field(input, 'accountId'));
  const region = parseRegion(field(input, 'region'));
  // A first page may name one group alone (`only`, from subscribe-log-group).
  const before = previousPage<BackfillProgress & { readonly only: unknown }>(input);
  const totals = addCounts(NO_TOTALS, before.totals);
  const queue = parseQueue(before.queue);
  let listToken = typeof before.listToken === 'string' ? before.listToken : undefined;
  let listed = before.listed === true;
  const execution = field(input, 'execution');
  const invocations = typeof execution === 'string' && before.execution === execution ? (before.invocations ?? 0) + 1 : 1;
  const settings = config.backfill;
  const failures: GroupFailure[] = Array.isArray(before.failures) ? [...before.failures].slice(0, MAX_FAILURES) : [];
  if (!settings) return { accountId, region, done: true, capped: false, queue: [], listed: true, totals, invocations, failures };

  const logs = await clients.logs(accountId, region);
  const dynamo = clients.dynamo();
  const objects = new S3BackfillObjects(clients.s3(), archiveBucketName(config.accounts.logging, config.homeRegion));
  const excluded = exclusionMatcher(config, accountId);
  const ofItsCategories = (name: string) =>
    !excluded(name as LogGroupName).excluded && settings.categories.includes(categoryOf(logSourceOf(name, accountId, config.accounts.logging)));
  // One new group (subscribe-log-group): its queue is that group alone, if of the backfill's categories; nothing to list.
  const only = before.only;
  if (only !== undefined && before.totals === undefined) {
    const group = parseLogGroupName(only, 'page.only');
    queue.splice(0, queue.length, ...(ofItsCategories(group) ? [group] : []));
    listed = true;
    totals.groups = queue.length;
  }
  const progress = (done: boolean, capped = false): BackfillProgress => {
    if (done && failures.length > 0)
      throw new WorkIncompleteError(
        `backfill ${accountId} ${region}: ${totals.failed} log group(s) failed: ${failures.map((f) => `${f.logGroupName}: ${f.error}`).join('; ')}`,
      );
    return {
      accountId,
      region,
      done,
      capped,
      ...(listToken ? { listToken } : {}),
      queue,
      listed,
      totals,
      ...(typeof execution === 'string' ? { execution } : {}),
      invocations,
      failures,
    };
  };

  // An account already past its cap (another region, an earlier run) reads nothing more.
  const budget = { steps: 0, capped: (await accountBytes(dynamo, accountId)) >= settings.maxBytesPerAccount };
  const advance = (group: string) =>
    advanceGroup(
      group,
      { accountId, region, logs, dynamo, objects, settings, loggingAccount: config.accounts.logging, now: () => clock.now() },
      budget,
      totals,
      failures,
    );
  while (budget.steps < STEPS_PER_INVOCATION && !budget.capped) {
    if (queue.length === 0) {
      if (listed && !listToken) return progress(true);
      const page = await logs
        .send(new DescribeLogGroupsCommand({ limit: LIST_PAGE_SIZE, ...(listToken ? { nextToken: listToken } : {}) }))
        .catch((error: unknown) => Promise.reject(toTaskError(error, `logs:DescribeLogGroups ${accountId} ${region}`)));
      // A name is written into archive lines: only what CloudWatch Logs allows in one passes.
      const names = (page.logGroups ?? []).flatMap((g) => (isLogGroupName(g.logGroupName) && ofItsCategories(g.logGroupName) ? [g.logGroupName] : []));
      queue.push(...names);
      totals.groups += names.length;
      listToken = page.nextToken;
      listed = true;
      continue;
    }
    // A few groups side by side, so that the FilterLogEvents quota, not each call's latency, paces the account-region.
    const limit = pLimit(GROUP_CONCURRENCY);
    // eslint-disable-next-line @cdklabs/promiseall-no-unbounded-parallelism -- each group goes through limit, GROUP_CONCURRENCY at a time
    const finished = await Promise.all(queue.map((group) => limit(() => advance(group))));
    const left = queue.filter((_, i) => !finished[i]);
    queue.splice(0, queue.length, ...left);
  }
  return progress(budget.capped, budget.capped);
}

interface GroupScope {
  readonly accountId: AccountId;
  readonly region: Region;
  readonly logs: CloudWatchLogsClient;
  readonly dynamo: DynamoDBClient;
  readonly objects: BackfillObjects;
  readonly settings: NonNullable<TaskContext['config']['backfill']>;
  readonly loggingAccount: string;
  readonly now: () => number;
}

/**
 * One group's steps while the invocation's budget lasts; answers whether the group is finished
 * (done, deleted, not subscribed, or left to another execution).
 */
async function advanceGroup(
  group: string,
  scope: GroupScope,
  budget: { steps: number; capped: boolean },
  totals: { -readonly [K in keyof BackfillTotals]: number },
  failures: GroupFailure[],
): Promise<boolean> {
  const { accountId, region, logs, dynamo, objects, settings } = scope;
  const key = backfillRecordKey(accountId, region, group);
  try {
    let record: BackfillRecord | undefined = await readBackfillRecord(dynamo, key);
    if (!record) {
      const seam = await seamOf(logs, group);
      if (seam === undefined) {
        totals.notSubscribed++;
        return true;
      }
      record = await writeBackfillRecord(dynamo, key, { logGroupName: group, seam, cursor: NEW_CURSOR, version: 0 });
    }
    const target: BackfillTarget = { account: accountId, region, logGroupName: group, loggingAccount: scope.loggingAccount };
    const window = backfillWindow(record.seam, settings.days);
    while (!record.cursor.done) {
      if (budget.steps >= STEPS_PER_INVOCATION || budget.capped) return false;
      budget.steps++;
      const started: BackfillCursor = record.cursor;
      const save = async (cursor: BackfillCursor) => {
        record = await writeBackfillRecord(dynamo, key, { ...record!, cursor });
      };
      const cursor = await backfillStep(logs, objects, target, window, started, scope.now(), save);
      await save(cursor);
      totals.pages += cursor.pages - started.pages;
      totals.events += cursor.events - started.events;
      totals.bytes += cursor.bytes - started.bytes;
      if (cursor.bytes > started.bytes && (await addAccountBytes(dynamo, accountId, cursor.bytes - started.bytes)) >= settings.maxBytesPerAccount) {
        budget.capped = true;
        return cursor.done;
      }
    }
    if (record.cursor.ended === 'log-group-deleted') totals.deleted++;
    else totals.completed++;
    return true;
  } catch (error) {
    if (error instanceof BackfillRecordConflictError) totals.leftToAnother++;
    // Deleted between its listing and its first step.
    else if (error instanceof ResourceNotFoundException) totals.deleted++;
    else {
      const failure = toTaskError(error, `backfill ${accountId} ${region} ${group}`);
      // Throttling and 5xx are the workflow's to retry; a refusal is this group's alone.
      if (isTributaryError(failure) && failure.retryable) throw failure;
      totals.failed++;
      if (failures.length < MAX_FAILURES) failures.push({ logGroupName: group, error: `${failure.name}: ${failure.message}` });
    }
    return true;
  }
}

export const handler = lambdaHandler(backfillLogGroups);
