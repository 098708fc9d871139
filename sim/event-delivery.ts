/**
 * EventBridge delivery in the simulated organization: an event lands on the bus of the account
 * and region where AWS emits it, and reaches the hub bus only along a rule that is deployed
 * there (by the CDK app, or by `EnsureEventForwarding` in a member region). Anything else is
 * lost, as in AWS.
 */
import { EVENT_FORWARDING_ROLE_NAME, hubBusArn } from '../tasks/lib/ownership';
import type { AccountId, Region } from '../tasks/lib/domain';
import { compileEventPattern, flattenEvent, matchesFlatEvent } from '../workflows/event-pattern';
import { ORGANIZATION_EVENTS_REGION, ORGANIZATION_EVENTS_RULE_NAME, organizationEventsPattern } from '../workflows/forwarding';
import type { OfflineEnvironment } from './environment';
import { cloudTrailLogs } from './services/cloudtrail';

export type Delivery = { readonly delivered: true; readonly via: string } | { readonly delivered: false; readonly reason: string };

interface Envelope {
  readonly account?: unknown;
  readonly region?: unknown;
  readonly 'detail-type'?: unknown;
}

function matches(pattern: unknown, event: unknown): boolean {
  return matchesFlatEvent(compileEventPattern(pattern as Record<string, unknown>), flattenEvent(event as Record<string, unknown>));
}

/**
 * Whether `event`, emitted on its account-region's default bus, reaches the hub bus, and along which
 * rule. An event "via CloudTrail" exists only where a trail logs that account-region
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html); the
 * CloudTrail recorder decided that as the call was made (`recorded`), a story's own event is checked here.
 */
export async function deliver(env: OfflineEnvironment, event: unknown, options: { readonly recorded?: boolean } = {}): Promise<Delivery> {
  const account = String((event as Envelope).account);
  const region = String((event as Envelope).region);
  const detailType = String((event as Envelope)['detail-type']);
  if (!options.recorded && detailType.endsWith('via CloudTrail') && !cloudTrailLogs(env.state, account, region)) {
    return { delivered: false, reason: `no CloudTrail trail logs management events of ${account} in ${region}: EventBridge receives no "${detailType}" there` };
  }
  const route = forwardingRule(env, event);
  if (!route.delivered || !route.role) return route;
  // A rule's PutEvents is decided by the hub bus's policy with the rule role's grant.
  if (await env.aws.authorizer?.refusesForwarding(account, route.role)) {
    return { delivered: false, reason: `the hub bus policy refuses events forwarded by ${account} (${route.via})` };
  }
  return { delivered: true, via: route.via };
}

/** The deployed rule that forwards `event` to the hub bus, and the role it puts events with. */
function forwardingRule(env: OfflineEnvironment, event: unknown): Delivery & { readonly role?: string } {
  const { account, region, 'detail-type': detailType } = event as Envelope;
  const { accounts, homeRegion } = env.config;
  if (account === accounts.orchestration && region === homeRegion) return { delivered: true, via: 'the hub bus itself' };
  // The organization events stack (management account, us-east-1).
  if (account === accounts.management && region === ORGANIZATION_EVENTS_REGION && matches(organizationEventsPattern(), event)) {
    return { delivered: true, via: `rule ${ORGANIZATION_EVENTS_RULE_NAME} (management account)`, role: 'TributaryOrganizationEvents-ForwardToHubRole' };
  }
  const hub = hubBusArn(accounts.orchestration, homeRegion as Region);
  const rules = env.state.account(String(account))?.regions.get(String(region) as Region)?.eventRules;
  for (const rule of rules?.values() ?? []) {
    if (rule.state === 'ENABLED' && [...rule.targets.values()].some((t) => t.Arn === hub) && matches(JSON.parse(rule.eventPattern), event)) {
      return { delivered: true, via: `rule ${rule.name} (${String(account)} ${String(region)})`, role: EVENT_FORWARDING_ROLE_NAME };
    }
  }
  return {
    delivered: false,
    reason: `nothing forwards "${String(detailType)}" from the bus of ${String(account as AccountId)} in ${String(region)} to the hub`,
  };
}
