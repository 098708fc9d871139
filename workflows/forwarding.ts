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
import type { TributaryConfig } from '../tasks/lib/config';
import type { MemberForwarding } from '../tasks/lib/context';
import { partitionOf, type Partition } from '../tasks/lib/domain';
import { CATALOG, type WorkflowSpec, type WorkflowTrigger } from './catalog';

type Pattern = Record<string, any>;

function union(values: unknown[]): unknown[] {
  const seen = new Map<string, unknown>();
  for (const v of values) seen.set(JSON.stringify(v), v);
  return [...seen.values()];
}

/**
 * Tributary's own callers as CloudTrail names them (`userIdentity.arn`), so that their calls are
 * never taken for tampering: the member roles' sessions, and deployment (the StackSets' execution
 * role, the CDK's CloudFormation execution role, which deploy the baseline, the destinations and
 * the trail). The SCP (infra/tamper-prevention-policy.ts) keeps anyone else from creating a role of
 * those names in a member account.
 */
export function tributaryCallerArns({ memberRoleName, partition }: TributaryCallers): string[] {
  return [
    `arn:${partition}:sts::*:assumed-role/${memberRoleName}-*`,
    `arn:${partition}:sts::*:assumed-role/stacksets-exec-*`,
    `arn:${partition}:sts::*:assumed-role/cdk-*-cfn-exec-role-*`,
  ];
}

/** What names Tributary's own callers: the member role name and the organization's partition. */
export interface TributaryCallers {
  readonly memberRoleName: string;
  readonly partition: Partition;
}

export function tributaryCallers(config: Pick<TributaryConfig, 'memberRoleName' | 'homeRegion'>): TributaryCallers {
  return { memberRoleName: config.memberRoleName, partition: partitionOf(config.homeRegion) };
}

/** A pattern's `detail` with its `$or` alternatives spread out: one object per alternative. */
function alternatives(detail: Pattern): Pattern[] {
  const { $or, ...common } = detail;
  return $or ? ($or as Pattern[]).map((branch) => ({ ...common, ...branch })) : [common];
}

/**
 * The pattern of the rule each member region keeps: the catalog's member-region triggers, so that
 * adding a trigger to the catalog is enough to have it forwarded. Workflow triggers are forwarded
 * as one union; tamper triggers as alternatives that leave out Tributary's own calls
 * (`anything-but` never matches a missing field, so a call without `userIdentity.arn`, an AWS
 * service's own, is not forwarded either:
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html).
 * The whole pattern must fit EventBridge's 2,048 characters (forwardingPatternWithinQuota).
 */
export function memberForwardingPattern(callers: TributaryCallers, catalog: readonly WorkflowSpec[] = CATALOG): Pattern {
  const triggers = catalog.flatMap((w) => w.triggers.filter((t) => t.origin === 'member-region'));
  const patterns = triggers.filter((t) => !t.tamper).map((t) => t.eventPattern as Pattern);
  if (patterns.length === 0) throw new Error('the catalog has no member-region trigger to forward');
  const workflows: Pattern = {
    source: union(patterns.flatMap((p) => p.source)),
    'detail-type': union(patterns.flatMap((p) => p['detail-type'])),
    detail: {
      eventSource: union(patterns.flatMap((p) => p.detail.eventSource)),
      eventName: union(patterns.flatMap((p) => p.detail.eventName)),
      // Only successful calls, as every member-region trigger requires.
      errorCode: [{ exists: false }],
    },
  };
  const tampering = triggers
    .filter((t) => t.tamper)
    .flatMap((t) => alternatives((t.eventPattern as Pattern).detail))
    .map(({ errorCode: _errorCode, ...detail }) => detail);
  if (tampering.length === 0) return workflows;
  return {
    $or: [
      workflows,
      {
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: { errorCode: [{ exists: false }], userIdentity: notTributary(callers), $or: tampering },
      },
    ],
  };
}

/** The CloudTrail triggers that fire in a member region: none of them without a trail logging it. */
export function memberRegionTriggers(catalog: readonly WorkflowSpec[] = CATALOG): string[] {
  return catalog.flatMap((w) => w.triggers.filter((t) => t.origin === 'member-region').map((t) => t.id));
}

/** What a task context carries of the forwarding rule (tasks/lib/context.ts). */
export function memberForwarding(callers: TributaryCallers): MemberForwarding {
  return { pattern: memberForwardingPattern(callers), triggers: memberRegionTriggers() };
}

/** EventBridge's default quota on a rule's event pattern (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html). */
export const EVENT_PATTERN_MAX_CHARACTERS = 2048;

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

/** What a hub rule's pattern depends on besides the catalog: where organization events come from, and Tributary's own callers. */
export interface HubDeployment extends TributaryCallers {
  readonly managementAccount: string;
}

/** Matches any caller but Tributary's member roles (a call with no caller ARN, an AWS service's own, does not match). */
function notTributary(callers: TributaryCallers): Pattern {
  return { arn: [{ 'anything-but': { wildcard: tributaryCallerArns(callers) } }] };
}

/**
 * A hub rule's pattern: the trigger's; for organization events, from the management account only,
 * the only account where AWS emits them (a member cannot start a workflow by putting a look-alike
 * event on the hub bus: its PutEvents carries its own account); for tampering, never Tributary's own
 * calls, as the member rule already forwards them.
 */
export function hubRulePattern(trigger: WorkflowTrigger, deployment: HubDeployment): Pattern {
  const pattern = trigger.eventPattern as Pattern;
  const pinned = trigger.origin === 'organization' ? { ...pattern, account: [deployment.managementAccount] } : pattern;
  return trigger.tamper ? { ...pinned, detail: { ...pinned.detail, userIdentity: notTributary(deployment) } } : pinned;
}

/** An account leaving the organization (offboard-account's triggers), from the management account only. */
export function departurePattern(managementAccount: string, catalog: readonly WorkflowSpec[] = CATALOG): Pattern {
  const triggers = catalog.find((w) => w.name === 'offboard-account')!.triggers.map((t) => ({ ...(t.eventPattern as Pattern), account: [managementAccount] }));
  return { $or: triggers };
}

/** The pattern of the management account's forwarding rule: the sources of the organization triggers. */
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
    Statement: [
      {
        Sid: 'OrganizationPutsEvents',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'events:PutEvents',
        Resource: busArn,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': organizationId } },
      },
    ],
  };
}

/** What a forwarding role may do: put events on the hub bus, nothing else (the member baseline's role). */
export function putOnHubBusStatement(busArn: string): { readonly Effect: 'Allow'; readonly Action: string; readonly Resource: string } {
  return { Effect: 'Allow', Action: 'events:PutEvents', Resource: busArn };
}
