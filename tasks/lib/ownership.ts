/**
 * What Tributary owns, stated once. A task changes or deletes only resources matched here;
 * everything else (a security team's filter, a vendor's flow log) is foreign and left intact.
 */
import picomatch from 'picomatch';
import { partitionOf, type AccountId, type LogGroupName, type Region } from './domain';

/** Every resource Tributary creates is named with this prefix. */
export const OWNED_NAME_PREFIX = 'tributary-';

/** The one subscription filter Tributary puts on a log group. */
export const SUBSCRIPTION_FILTER_NAME = `${OWNED_NAME_PREFIX}central-logging`;

/** The account-level subscription filter policy (subscription mode `account-policy`). */
export const ACCOUNT_POLICY_NAME = `${OWNED_NAME_PREFIX}central-logging`;

/** The CloudWatch Logs destination in the logging account, one per governed region. */
export const DESTINATION_NAME = `${OWNED_NAME_PREFIX}central-logging`;

/** Role in each member account that CloudWatch Logs uses to deliver to the org-scoped destination. */
export const LOGS_DELIVERY_ROLE_NAME = 'TributaryLogsDelivery';

/** Flow logs Tributary creates carry this tag; any other flow log is foreign and left alone. */
export const FLOW_LOG_OWNER_TAG = { Key: 'tributary:managed', Value: 'true' } as const;
/** Member log group that receives flow logs (destination `log-group`); it is subscribed like any other. */
export const FLOW_LOGS_LOG_GROUP = '/tributary/flow-logs';
/** Member baseline role VPC Flow Logs uses to write to that log group. */
export const FLOW_LOGS_ROLE_NAME = 'TributaryFlowLogsDelivery';

/** The region names the partition only: IAM is global within it. */
export function flowLogsRoleArn(memberAccount: AccountId, region: Region): string {
  return `arn:${partitionOf(region)}:iam::${memberAccount}:role/${FLOW_LOGS_ROLE_NAME}`;
}

/** The organization trail Tributary creates (config `cloudTrail: "create"`), in the management account. */
export const ORGANIZATION_TRAIL_NAME = `${OWNED_NAME_PREFIX}organization-trail`;

/** The rule in each member region that forwards Tributary's CloudTrail triggers to the hub bus. */
export const FORWARDING_RULE_NAME = `${OWNED_NAME_PREFIX}forward-to-hub`;
export const FORWARDING_TARGET_ID = `${OWNED_NAME_PREFIX}hub-bus`;
/** The hub's event bus (orchestration account, home region). */
export const HUB_BUS_NAME = `${OWNED_NAME_PREFIX}hub`;
/** Member baseline role that lets a member rule put events on the hub bus. */
export const EVENT_FORWARDING_ROLE_NAME = 'TributaryEventForwarding';

export function hubBusArn(orchestrationAccount: AccountId, homeRegion: Region): string {
  return `arn:${partitionOf(homeRegion)}:events:${homeRegion}:${orchestrationAccount}:event-bus/${HUB_BUS_NAME}`;
}

export function eventForwardingRoleArn(memberAccount: AccountId, region: Region): string {
  return `arn:${partitionOf(region)}:iam::${memberAccount}:role/${EVENT_FORWARDING_ROLE_NAME}`;
}

/**
 * The pipeline's own log groups in the logging account: subscribing them would feed the
 * pipeline's logs back into itself (the heartbeat has its own filter). Excluded there, whatever
 * the config says, and only there: a member naming a group like these is subscribed like any other.
 */
export const PIPELINE_LOG_GROUP_GLOBS: readonly string[] = [
  `/aws/lambda/${OWNED_NAME_PREFIX}*`,
  `/aws/kinesisfirehose/${OWNED_NAME_PREFIX}*`,
  `/aws/vendedlogs/states/${OWNED_NAME_PREFIX}*`,
  '/tributary/heartbeat',
  '/tributary/pipeline/**',
];

/**
 * A subscription filter is Tributary's by its exact name only: a team's `tributary-audit` or
 * `tributary-siem-copy` is theirs. Removing ours also needs our destination ARN (ownsFilter).
 */
export function isOurFilterName(name: string): boolean {
  return name === SUBSCRIPTION_FILTER_NAME;
}

/** Ours to delete: the exact name and pointing at our destination. */
export function ownsFilter(filter: { readonly filterName?: string; readonly destinationArn?: string }, ourDestinationArn: string): boolean {
  return filter.filterName === SUBSCRIPTION_FILTER_NAME && filter.destinationArn === ourDestinationArn;
}

export function destinationArn(loggingAccount: AccountId, region: Region): string {
  return `arn:${partitionOf(region)}:logs:${region}:${loggingAccount}:destination:${DESTINATION_NAME}`;
}

export function logsDeliveryRoleArn(memberAccount: AccountId, region: Region): string {
  return `arn:${partitionOf(region)}:iam::${memberAccount}:role/${LOGS_DELIVERY_ROLE_NAME}`;
}

export type Exclusion = { readonly excluded: false } | { readonly excluded: true; readonly rule: string };

type ExclusionTest = (name: LogGroupName) => Exclusion;
/** Compiled once per config list (and account kind): a task walking pages of log groups calls it for every group. */
const compiled = new WeakMap<readonly string[], { logging?: ExclusionTest; member?: ExclusionTest }>();

/** The config's exclusion globs, plus the pipeline's own groups in the logging account, as one test for `accountId`. */
export function exclusionMatcher(
  config: { readonly logGroupExclusions: readonly string[]; readonly accounts: { readonly logging: string } },
  accountId: string,
): ExclusionTest {
  const kind = accountId === config.accounts.logging ? 'logging' : 'member';
  const cache = compiled.get(config.logGroupExclusions) ?? {};
  compiled.set(config.logGroupExclusions, cache);
  const cached = cache[kind];
  if (cached) return cached;
  const globs = kind === 'logging' ? [...PIPELINE_LOG_GROUP_GLOBS, ...config.logGroupExclusions] : config.logGroupExclusions;
  const rules = globs.map((glob) => ({ glob, test: picomatch(glob, { dot: true }) }));
  const test: ExclusionTest = (name) => {
    const rule = rules.find((r) => r.test(name));
    return rule ? { excluded: true, rule: rule.glob } : { excluded: false };
  };
  cache[kind] = test;
  return test;
}

/**
 * The member role a task assumes in each account: one per task (`<memberRoleName>-<Task>`), each
 * trusted by that task's own Lambda role only, so stolen credentials of one task can do only that
 * task's job in the organization (issue #18).
 */
export function memberRoleNameFor(memberRoleName: string, task: string): string {
  return `${memberRoleName}-${task}`;
}
