/** Organizations reads the workflows make: the organization, one account, the account list. */
import { AccountNotFoundException } from '@aws-sdk/client-organizations';
import { page, type OperationHandler } from './context';
import type { SimAccount } from '../state';

function describe(account: SimAccount, organizationId: string, managementAccountId: string) {
  return {
    Id: account.id,
    Arn: `arn:aws:organizations::${managementAccountId}:account/${organizationId}/${account.id}`,
    Email: account.email,
    Name: account.name,
    Status: account.status,
    State: account.status,
    JoinedMethod: 'CREATED',
    JoinedTimestamp: new Date(account.joinedAt),
  };
}

export const organizations: Record<string, OperationHandler> = {
  DescribeOrganization(_input, ctx) {
    return { Organization: { Id: ctx.state.organizationId, MasterAccountId: ctx.state.managementAccountId, FeatureSet: 'ALL' } };
  },

  DescribeAccount(input, ctx) {
    const account = ctx.state.account(String(input.AccountId));
    if (!account) throw new AccountNotFoundException({ $metadata: {}, message: `You specified an account that doesn't exist: ${String(input.AccountId)}` });
    return { Account: describe(account, ctx.state.organizationId, ctx.state.managementAccountId) };
  },

  ListAccounts(input, ctx) {
    const all = [...ctx.state.accounts.values()].map((a) => describe(a, ctx.state.organizationId, ctx.state.managementAccountId));
    const { items, nextToken } = page(all, input.NextToken, Math.min(Number(input.MaxResults ?? 20), 20));
    return { Accounts: items, NextToken: nextToken };
  },
};
