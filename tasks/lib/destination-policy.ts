/**
 * The access policy of a central CloudWatch Logs destination: who may subscribe to it. Shared by
 * the CDK stacks (organization mode) and the tasks that keep an account list (account-list mode).
 */
import type { AccountId, OrganizationId } from './domain';

/** Actions a member needs: a subscription filter, or an account-level subscription policy. */
export const DESTINATION_ACTIONS = ['logs:PutSubscriptionFilter', 'logs:PutAccountPolicy'] as const;

/** PutDestinationPolicy accepts at most this many bytes. */
export const DESTINATION_POLICY_MAX_BYTES = 5120;

export function organizationDestinationPolicy(destinationArn: string, organizationId: OrganizationId): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'TributaryOrganizationMembers',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [...DESTINATION_ACTIONS],
        Resource: destinationArn,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': organizationId } },
      },
    ],
  };
}

export function accountListDestinationPolicy(destinationArn: string, accounts: readonly AccountId[]): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'TributaryMemberAccounts',
        Effect: 'Allow',
        Principal: { AWS: [...accounts].sort() },
        Action: [...DESTINATION_ACTIONS],
        Resource: destinationArn,
      },
    ],
  };
}
