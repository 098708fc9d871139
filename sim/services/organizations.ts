/** Organizations reads the workflows make: the organization, one account, the account list. */
import { AccessDeniedException, AccountNotFoundException } from '@aws-sdk/client-organizations';
import { page, type CallContext, type OperationHandler } from './context';
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

/**
 * Another account than the management account reads accounts only where the organization's
 * delegation policy names it for the action
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_delegate_policies.html); the
 * IAM authorizer also decides the policy's resources for the task roles.
 */
function requireDelegation(ctx: CallContext, action: string): void {
  if (ctx.callerAccount === ctx.state.managementAccountId) return;
  const statements = (ctx.state.organizationsDelegationPolicy?.Statement ?? []) as Array<{
    Effect?: string;
    Action?: string | string[];
    Principal?: { AWS?: string | string[] };
  }>;
  const allowed = statements.some(
    (s) =>
      s.Effect === 'Allow' &&
      [s.Action ?? []].flat().includes(action) &&
      [s.Principal?.AWS ?? []].flat().some((p) => p === ctx.callerAccount || p.endsWith(`:${ctx.callerAccount}:root`)),
  );
  if (!allowed)
    throw new AccessDeniedException({
      $metadata: {},
      message: `You don't have permissions to access this resource: ${action} from account ${ctx.callerAccount}`,
    });
}

export const organizations: Record<string, OperationHandler> = {
  DescribeOrganization(_input, ctx) {
    return { Organization: { Id: ctx.state.organizationId, MasterAccountId: ctx.state.managementAccountId, FeatureSet: 'ALL' } };
  },

  DescribeAccount(input, ctx) {
    requireDelegation(ctx, 'organizations:DescribeAccount');
    const account = ctx.state.account(String(input.AccountId));
    if (!account) throw new AccountNotFoundException({ $metadata: {}, message: `You specified an account that doesn't exist: ${String(input.AccountId)}` });
    return { Account: describe(account, ctx.state.organizationId, ctx.state.managementAccountId) };
  },

  ListAccounts(input, ctx) {
    requireDelegation(ctx, 'organizations:ListAccounts');
    const all = [...ctx.state.accounts.values()].map((a) => describe(a, ctx.state.organizationId, ctx.state.managementAccountId));
    const { items, nextToken } = page(all, input.NextToken, Math.min(Number(input.MaxResults ?? 20), 20));
    return { Accounts: items, NextToken: nextToken };
  },
};
