/**
 * Task `ListActiveAccounts` (workflow `reconcile`): every ACTIVE account of the organization,
 * paged through Organizations, without the management account: the member baseline (a
 * service-managed StackSet) never deploys there, so it could never be onboarded. With
 * `joinedWithinHours` (an account joined), only the accounts that joined that recently.
 */
import { ListAccountsCommand } from '@aws-sdk/client-organizations';
import { toTaskError } from './lib/aws-errors';
import type { TaskContext } from './lib/context';
import { field, type AccountId } from './lib/domain';
import { InvalidInputError } from './lib/errors';
import { lambdaHandler } from './lib/lambda';

/**
 * Lambda invocations a reconcile may keep busy: 80% of Lambda's default 1,000 concurrent
 * executions, the rest left for event-driven workflows. An account's log-group pages hold about a
 * tenth of one for all its regions (one invocation a second, paced by a Wait, not by a waiting
 * Lambda); its regions hold more for a moment at its start, when four parts start in each; accounts
 * start no faster than the organization-wide quotas admit them (tasks/lib/account-starts.ts).
 * Measured offline (`npm run bench`): 320 at once at most with 3,230 account-regions running (320
 * accounts x 10 regions x 300 groups), 0.1 each; 0.15 leaves room.
 */
export const RECONCILE_LAMBDA_BUDGET = 800;
export const LAMBDAS_PER_ACCOUNT_REGION = 0.15;
/**
 * Accounts paging at once, so that their credentials fit STS: a page asks for the member role's
 * credentials at most once a second an account (fewer once Lambda environments hold them), against
 * the orchestration account's 600 `AssumeRole` a second (sim/quotas.ts); 80% of it. It also bounds
 * the burst of each account's first task, which runs at once to learn its start slot.
 */
export const STS_BUDGET_ACCOUNTS = 480;

/** Accounts a reconcile onboards at once: each onboards all its governed regions at once. */
export function reconcileConcurrency(governedRegions: number): number {
  return Math.max(1, Math.min(STS_BUDGET_ACCOUNTS, Math.floor(RECONCILE_LAMBDA_BUDGET / (governedRegions * LAMBDAS_PER_ACCOUNT_REGION))));
}

/** At most a week back: an account that joined earlier is the daily reconcile's. */
const MAX_JOINED_WITHIN_HOURS = 168;

function joinedWithinHours(input: unknown): number | undefined {
  const raw = field(input, 'joinedWithinHours');
  if (raw === undefined) return undefined;
  const hours = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof hours !== 'number' || !Number.isInteger(hours) || hours < 1 || hours > MAX_JOINED_WITHIN_HOURS) {
    throw new InvalidInputError('joinedWithinHours', raw, `must be a whole number of hours from 1 to ${MAX_JOINED_WITHIN_HOURS}`);
  }
  return hours;
}

/** The organization's ACTIVE accounts but the management account, joined at or after `joinedAfter` (ms). */
export async function activeAccounts({ config, clients }: TaskContext, joinedAfter = Number.NEGATIVE_INFINITY): Promise<AccountId[]> {
  const accounts: AccountId[] = [];
  let NextToken: string | undefined;
  do {
    const page = await clients
      .organizations()
      .send(new ListAccountsCommand({ NextToken }))
      .catch((error: unknown) => {
        throw toTaskError(error, 'organizations:ListAccounts');
      });
    for (const a of page.Accounts ?? []) {
      const joined = a.JoinedTimestamp?.getTime() ?? Number.POSITIVE_INFINITY;
      if ((a.State ?? a.Status) === 'ACTIVE' && a.Id && a.Id !== config.accounts.management && joined >= joinedAfter) accounts.push(a.Id as AccountId);
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return accounts.sort();
}

/**
 * The accounts to reconcile, how many at once, and when they were listed: each account's start slot
 * counts from then (tasks/lib/account-starts.ts), so the list stays plain ids (about 15 bytes an
 * account, 10,000 accounts within a state's 256 KB).
 */
export async function listActiveAccounts(input: unknown, context: TaskContext): Promise<{ accounts: AccountId[]; concurrency: number; listedAt: string }> {
  const hours = joinedWithinHours(input);
  const joinedAfter = hours === undefined ? Number.NEGATIVE_INFINITY : context.clock.now() - hours * 3_600_000;
  const accounts = await activeAccounts(context, joinedAfter);
  return { accounts, concurrency: reconcileConcurrency(context.config.governedRegions.length), listedAt: new Date(context.clock.now()).toISOString() };
}

export const handler = lambdaHandler(listActiveAccounts);
