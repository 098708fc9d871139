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

type Statement = {
  Sid?: string;
  Effect?: string;
  Principal?: { AWS?: string | string[] } | string;
  Action?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
};

function statements(policy: string | undefined): Statement[] {
  if (!policy) return [];
  return [JSON.parse(policy).Statement ?? []].flat() as Statement[];
}

/** Accounts an account-list policy lets subscribe (principals as ids or root ARNs). */
export function accountsInPolicy(policy: string | undefined): string[] {
  const accounts = new Set<string>();
  for (const s of statements(policy)) {
    if (s.Effect !== 'Allow' || typeof s.Principal !== 'object') continue;
    for (const principal of [s.Principal.AWS ?? []].flat()) {
      const id = /^(\d{12})$|^arn:aws[\w-]*:iam::(\d{12}):root$/.exec(principal);
      if (id) accounts.add(id[1] ?? id[2]!);
    }
  }
  return [...accounts].sort();
}

/** Whether a policy lets the whole organization subscribe. */
export function grantsOrganization(policy: string | undefined, organizationId: OrganizationId): boolean {
  return statements(policy).some(
    (s) =>
      s.Effect === 'Allow' &&
      [s.Action].flat().includes('logs:PutSubscriptionFilter') &&
      [s.Condition?.StringEquals?.['aws:PrincipalOrgID']].flat().includes(organizationId),
  );
}
