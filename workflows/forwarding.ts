/**
 * Where AWS delivers the events that start Tributary's workflows, and the rules that carry them
 * to the hub bus. The CDK stacks deploy these rules and the simulator delivers events along
 * exactly these rules, so an event that nothing forwards is lost offline as it is in AWS.
 * - Organizations and Control Tower events: the management account's bus, us-east-1, where
 *   CloudTrail events of global services are delivered
 *   (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html).
 * - `Region Opt-In Status Change`: the bus of the account whose region changed, us-east-1
 *   (https://docs.aws.amazon.com/accounts/latest/reference/monitoring-eventbridge.html).
 * - CloudTrail calls in a member region (CreateLogGroup, CreateVpc): that account-region's bus,
 *   forwarded by the rule `EnsureEventForwarding` keeps there.
 */
import { CATALOG, type WorkflowSpec, type WorkflowTrigger } from './catalog';

type Pattern = Record<string, any>;

function union(values: unknown[]): unknown[] {
  const seen = new Map<string, unknown>();
  for (const v of values) seen.set(JSON.stringify(v), v);
  return [...seen.values()];
}

/**
 * The pattern of the rule each member region keeps: the union of the catalog's member-region
 * triggers, so that adding a trigger to the catalog is enough to have it forwarded.
 */
export function memberForwardingPattern(catalog: readonly WorkflowSpec[] = CATALOG): Pattern {
  const patterns = catalog.flatMap((w) => w.triggers.filter((t) => t.origin === 'member-region').map((t) => t.eventPattern as Pattern));
  if (patterns.length === 0) throw new Error('the catalog has no member-region trigger to forward');
  return {
    source: union(patterns.flatMap((p) => p.source)),
    'detail-type': union(patterns.flatMap((p) => p['detail-type'])),
    detail: {
      eventSource: union(patterns.flatMap((p) => p.detail.eventSource)),
      eventName: union(patterns.flatMap((p) => p.detail.eventName)),
      // Only successful calls, as every member-region trigger requires.
      errorCode: [{ exists: false }],
    },
  };
}

/** Region where Organizations, Control Tower and Account Management deliver their events. */
export const ORGANIZATION_EVENTS_REGION = 'us-east-1';

/** Name of the rule in the management account's us-east-1 that forwards organization events to the hub. */
export const ORGANIZATION_EVENTS_RULE_NAME = 'tributary-organization-events-to-hub';

/** Name of the rule the member account-events StackSet keeps in each member's us-east-1. */
export const MEMBER_ACCOUNT_EVENTS_RULE_NAME = 'tributary-account-events-to-hub';

function sourcesOf(origin: WorkflowTrigger['origin'], catalog: readonly WorkflowSpec[]): string[] {
  const sources = catalog.flatMap((w) => w.triggers.filter((t) => t.origin === origin).flatMap((t) => (t.eventPattern as { source: string[] }).source));
  return [...new Set(sources)].sort();
}

/** The pattern of the management account's forwarding rule: the sources of the organization triggers. */
/**
 * A hub rule's pattern: the trigger's, and for organization events the management account, the
 * only account where AWS emits them: a member cannot start a workflow by putting a look-alike
 * event on the hub bus (its PutEvents carries its own account).
 */
export function hubRulePattern(trigger: WorkflowTrigger, managementAccount: string): Pattern {
  const pattern = trigger.eventPattern as Pattern;
  return trigger.origin === 'organization' ? { ...pattern, account: [managementAccount] } : pattern;
}

/** An account leaving the organization (offboard-account's triggers), from the management account only. */
export function departurePattern(managementAccount: string, catalog: readonly WorkflowSpec[] = CATALOG): Pattern {
  const triggers = catalog.find((w) => w.name === 'offboard-account')!.triggers.map((t) => hubRulePattern(t, managementAccount));
  return { $or: triggers };
}

export function organizationEventsPattern(catalog: readonly WorkflowSpec[] = CATALOG): Pattern {
  return { source: sourcesOf('organization', catalog) };
}

/** The pattern of each member's us-east-1 rule: the member-account triggers (a region the member enables). */
export function memberAccountEventsPattern(catalog: readonly WorkflowSpec[] = CATALOG): Pattern {
  const patterns = catalog.flatMap((w) => w.triggers.filter((t) => t.origin === 'member-account').map((t) => t.eventPattern as Pattern));
  return { source: union(patterns.flatMap((p) => p.source)), 'detail-type': union(patterns.flatMap((p) => p['detail-type'])) };
}

/** The hub bus's policy: any principal of the organization may put events on it (infra/constructs/workflow-triggers.ts deploys it, the simulator decides deliveries by it). */
export function hubBusPolicy(busArn: string, organizationId: string): { readonly Version: string; readonly Statement: readonly Record<string, unknown>[] } {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'OrganizationPutsEvents', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'events:PutEvents', Resource: busArn, Condition: { StringEquals: { 'aws:PrincipalOrgID': organizationId } } }],
  };
}

/** What a forwarding role may do: put events on the hub bus, nothing else (the member baseline's role). */
export function putOnHubBusStatement(busArn: string): { readonly Effect: 'Allow'; readonly Action: string; readonly Resource: string } {
  return { Effect: 'Allow', Action: 'events:PutEvents', Resource: busArn };
}
