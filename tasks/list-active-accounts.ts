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

export async function listActiveAccounts(input: unknown, { config, clients, clock }: TaskContext): Promise<{ accounts: AccountId[] }> {
  const hours = joinedWithinHours(input);
  const joinedAfter = hours === undefined ? Number.NEGATIVE_INFINITY : clock.now() - hours * 3_600_000;
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
  return { accounts: accounts.sort() };
}

export const handler = lambdaHandler(listActiveAccounts);
