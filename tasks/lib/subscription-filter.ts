/**
 * Ensures Tributary's subscription filter on one log group: read, plan (pure), apply.
 * Shared by `subscribe-log-group` and the page-by-page onboarding of a region.
 */
import {
  DescribeSubscriptionFiltersCommand,
  PutSubscriptionFilterCommand,
  type CloudWatchLogsClient,
  type SubscriptionFilter,
} from '@aws-sdk/client-cloudwatch-logs';
import type { TributaryConfig } from './config';
import type { AccountId, LogGroupName, Region } from './domain';
import { DestinationAccessNotReadyError, LogGroupNotVisibleYetError } from './errors';
import { errorName, toTaskError } from './aws-errors';
import { destinationArn, logsDeliveryRoleArn } from './ownership';
import { planSubscription, type DesiredFilter } from './subscription-plan';

/** Tributary's filter for a member account-region: the region's central destination. */
export function desiredFilter(config: TributaryConfig, accountId: AccountId, region: Region): DesiredFilter {
  return {
    destinationArn: destinationArn(config.accounts.logging, region),
    filterPattern: config.subscription.filterPattern,
    // An organization-scoped destination accepts only filters that name a delivery role.
    roleArn: logsDeliveryRoleArn(accountId, region),
    distribution: 'ByLogStream',
  };
}

export type FilterOutcome =
  | { readonly status: 'Subscribed' | 'AlreadySubscribed'; readonly changed: boolean; readonly actions: readonly string[] }
  | { readonly status: 'NoFilterSlot'; readonly changed: boolean; readonly actions: readonly string[]; readonly foreignFilters: readonly string[] };

async function readFilters(logs: CloudWatchLogsClient, logGroupName: LogGroupName): Promise<SubscriptionFilter[]> {
  try {
    const { subscriptionFilters = [] } = await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName }));
    return subscriptionFilters;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') {
      throw new LogGroupNotVisibleYetError(`log group ${logGroupName} is not visible yet`, { cause: error });
    }
    throw toTaskError(error, `logs:DescribeSubscriptionFilters ${logGroupName}`);
  }
}

export async function ensureSubscriptionFilter(logs: CloudWatchLogsClient, logGroupName: LogGroupName, desired: DesiredFilter): Promise<FilterOutcome> {
  const existing = await readFilters(logs, logGroupName);
  const plan = planSubscription(
    existing.map((f) => ({
      filterName: f.filterName ?? '',
      destinationArn: f.destinationArn ?? '',
      filterPattern: f.filterPattern ?? '',
      roleArn: f.roleArn,
      distribution: f.distribution,
    })),
    desired,
  );
  if (plan.kind === 'in-place') return { status: 'AlreadySubscribed', changed: false, actions: [] };
  if (plan.kind === 'no-slot') return { status: 'NoFilterSlot', changed: false, actions: [], foreignFilters: plan.foreignFilters };

  try {
    await logs.send(new PutSubscriptionFilterCommand({ logGroupName, filterName: plan.put.filterName, ...desired }));
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException')
      throw new LogGroupNotVisibleYetError(`log group ${logGroupName} is not visible yet`, { cause: error });
    // The destination lists accounts and this one is not on it yet: onboard-region grants it.
    if (errorName(error) === 'AccessDeniedException')
      throw new DestinationAccessNotReadyError(`${desired.destinationArn} does not accept this account yet`, { cause: error });
    if (errorName(error) === 'LimitExceededException') {
      // A foreign filter took the last slot between our read and our write: report, change nothing.
      const foreignFilters = (await readFilters(logs, logGroupName)).map((f) => f.filterName ?? '');
      return { status: 'NoFilterSlot', changed: false, actions: [], foreignFilters };
    }
    throw toTaskError(error, `logs:PutSubscriptionFilter ${logGroupName}`);
  }
  return { status: 'Subscribed', changed: true, actions: [`PutSubscriptionFilter ${plan.put.filterName} (${plan.put.reason})`] };
}
