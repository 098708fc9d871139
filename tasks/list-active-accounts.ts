/**
 * Task `ListActiveAccounts` (workflow `reconcile`): every ACTIVE account of the organization,
 * paged through Organizations, without the management account: the member baseline (a
 * service-managed StackSet) never deploys there, so it could never be onboarded.
 */
import { ListAccountsCommand } from '@aws-sdk/client-organizations';
import { toTaskError } from './lib/aws-errors';
import type { TaskContext } from './lib/context';
import type { AccountId } from './lib/domain';
import { lambdaHandler } from './lib/lambda';

export async function listActiveAccounts(_input: unknown, { config, clients }: TaskContext): Promise<{ accounts: AccountId[] }> {
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
      if ((a.State ?? a.Status) === 'ACTIVE' && a.Id && a.Id !== config.accounts.management) accounts.push(a.Id as AccountId);
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return { accounts: accounts.sort() };
}

export const handler = lambdaHandler(listActiveAccounts);
