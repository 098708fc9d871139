/**
 * Task `SubscribeLogGroup` (workflow `subscribe-log-group`): one log group ends with exactly one
 * Tributary subscription filter to its region's central destination, or is reported as excluded,
 * covered by the account policy, or without a free filter slot.
 */
import type { TributaryConfig } from './lib/config';
import type { TaskContext } from './lib/context';
import { field, parseAccountId, parseLogGroupName, parseRegion, type AccountId, type LogGroupName, type Region } from './lib/domain';
import { RegionNotGovernedError } from './lib/errors';
import { lambdaHandler } from './lib/lambda';
import { ensureAccountPolicy, policyCovers, readAccountPolicy } from './lib/account-policy';
import { exclusionMatcher } from './lib/ownership';
import { desiredFilter, ensureSubscriptionFilter } from './lib/subscription-filter';

export interface SubscribeLogGroupRequest {
  readonly accountId: AccountId;
  readonly region: Region;
  readonly logGroupName: LogGroupName;
}

export type SubscriptionStatus = 'Subscribed' | 'AlreadySubscribed' | 'Excluded' | 'NoFilterSlot' | 'CoveredByAccountPolicy' | 'AccountPolicyMissing';

export interface SubscribeLogGroupResult extends SubscribeLogGroupRequest {
  readonly status: SubscriptionStatus;
  readonly changed: boolean;
  readonly actions: readonly string[];
  /** The exclusion glob that matched (status Excluded). */
  readonly excludedBy?: string;
  /** The filters holding every slot (status NoFilterSlot). */
  readonly foreignFilters?: readonly string[];
  /** The filter is new and the config has a backfill: the workflow starts one for this group's history (its first events, ingested before the filter). */
  readonly backfill?: true;
}

export function parseSubscribeLogGroupRequest(input: unknown, config: TributaryConfig): SubscribeLogGroupRequest {
  const request = {
    accountId: parseAccountId(field(input, 'accountId')),
    region: parseRegion(field(input, 'region')),
    logGroupName: parseLogGroupName(field(input, 'logGroupName')),
  };
  if (!config.governedRegions.includes(request.region)) {
    throw new RegionNotGovernedError(`region ${request.region} is not governed (config.governedRegions: ${config.governedRegions.join(', ')})`);
  }
  return request;
}

export async function subscribeLogGroup(input: unknown, context: TaskContext): Promise<SubscribeLogGroupResult> {
  const { config, clients, logger } = context;
  const request = parseSubscribeLogGroupRequest(input, config);
  const exclusion = exclusionMatcher(config, request.accountId)(request.logGroupName);
  if (exclusion.excluded) {
    logger.info('log group excluded', { ...request, rule: exclusion.rule });
    // An account-level policy covers every group it does not name: add this one to its exclusions.
    const changed = config.subscription.mode === 'account-policy' ? (await ensureAccountPolicy(context, request.accountId, request.region)).changed : false;
    return { ...request, status: 'Excluded', changed, actions: changed ? ['PutAccountPolicy (exclusions)'] : [], excludedBy: exclusion.rule };
  }
  const logs = await clients.logs(request.accountId, request.region);
  const desired = desiredFilter(config, request.accountId, request.region);
  if (config.subscription.mode === 'account-policy') {
    const covered = policyCovers(await readAccountPolicy(logs), desired, request.logGroupName);
    return { ...request, status: covered ? 'CoveredByAccountPolicy' : 'AccountPolicyMissing', changed: false, actions: [] };
  }
  const outcome = await ensureSubscriptionFilter(logs, request.logGroupName, desired);
  logger.info('subscription filter ensured', { ...request, ...outcome });
  return { ...request, ...outcome, ...(outcome.status === 'Subscribed' && config.backfill ? { backfill: true as const } : {}) };
}

export const handler = lambdaHandler(subscribeLogGroup);
