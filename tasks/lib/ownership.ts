/**
 * What Tributary owns, stated once. A task changes or deletes only resources matched here;
 * everything else (a security team's filter, a vendor's flow log) is foreign and left intact.
 */
import picomatch from 'picomatch';
import type { AccountId, LogGroupName, Region } from './domain';

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

export function flowLogsRoleArn(memberAccount: AccountId): string {
  return `arn:aws:iam::${memberAccount}:role/${FLOW_LOGS_ROLE_NAME}`;
}

/** The rule in each member region that forwards Tributary's CloudTrail triggers to the hub bus. */
export const FORWARDING_RULE_NAME = `${OWNED_NAME_PREFIX}forward-to-hub`;
export const FORWARDING_TARGET_ID = `${OWNED_NAME_PREFIX}hub-bus`;
/** The hub's event bus (orchestration account, home region). */
export const HUB_BUS_NAME = `${OWNED_NAME_PREFIX}hub`;
/** Member baseline role that lets a member rule put events on the hub bus. */
export const EVENT_FORWARDING_ROLE_NAME = 'TributaryEventForwarding';

export function hubBusArn(orchestrationAccount: AccountId, homeRegion: Region): string {
  return `arn:aws:events:${homeRegion}:${orchestrationAccount}:event-bus/${HUB_BUS_NAME}`;
}

export function eventForwardingRoleArn(memberAccount: AccountId): string {
  return `arn:aws:iam::${memberAccount}:role/${EVENT_FORWARDING_ROLE_NAME}`;
}

/**
 * The pipeline's own log groups: subscribing them would feed the pipeline's logs back into
 * itself. Always excluded, whatever the config says.
 */
export const PIPELINE_LOG_GROUP_GLOBS: readonly string[] = [
  `/aws/lambda/${OWNED_NAME_PREFIX}*`,
  `/aws/kinesisfirehose/${OWNED_NAME_PREFIX}*`,
  `/aws/vendedlogs/states/${OWNED_NAME_PREFIX}*`,
  '/tributary/pipeline/**',
];

export function isOwnedName(name: string): boolean {
  return name.startsWith(OWNED_NAME_PREFIX);
}

export function destinationArn(loggingAccount: AccountId, region: Region): string {
  return `arn:aws:logs:${region}:${loggingAccount}:destination:${DESTINATION_NAME}`;
}

export function logsDeliveryRoleArn(memberAccount: AccountId): string {
  return `arn:aws:iam::${memberAccount}:role/${LOGS_DELIVERY_ROLE_NAME}`;
}

export type Exclusion = { readonly excluded: false } | { readonly excluded: true; readonly rule: string };

type ExclusionTest = (name: LogGroupName) => Exclusion;
/** Compiled once per config list: a task walking pages of log groups calls it for every group. */
const compiled = new WeakMap<readonly string[], ExclusionTest>();

/** Compiles the config's exclusion globs plus the pipeline's own groups into one test. */
export function exclusionMatcher(configGlobs: readonly string[]): ExclusionTest {
  const cached = compiled.get(configGlobs);
  if (cached) return cached;
  const rules = [...PIPELINE_LOG_GROUP_GLOBS, ...configGlobs].map((glob) => ({ glob, test: picomatch(glob, { dot: true }) }));
  const test: ExclusionTest = (name) => {
    const rule = rules.find((r) => r.test(name));
    return rule ? { excluded: true, rule: rule.glob } : { excluded: false };
  };
  compiled.set(configGlobs, test);
  return test;
}
