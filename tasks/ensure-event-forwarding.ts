/**
 * Task `EnsureEventForwarding` (workflow `onboard-region`): the member region's rule that
 * forwards Tributary's CloudTrail triggers (successful calls only) to the hub bus. Idempotent:
 * reads the rule and its targets, writes only what differs.
 */
import { DescribeRuleCommand, ListTargetsByRuleCommand, PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { errorName, toTaskError } from './lib/aws-errors';
import type { TaskContext } from './lib/context';
import { field, parseAccountId, parseRegion, type AccountId, type Region } from './lib/domain';
import { lambdaHandler } from './lib/lambda';
import { eventForwardingRoleArn, FORWARDING_RULE_NAME, FORWARDING_TARGET_ID, hubBusArn } from './lib/ownership';

export interface ForwardingResult {
  readonly accountId: AccountId;
  readonly region: Region;
  readonly changed: boolean;
  readonly actions: readonly string[];
}

/** Key order does not change a pattern's meaning; compare canonical forms. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface ForwardingTarget {
  readonly Id: string;
  readonly Arn: string;
  readonly RoleArn: string;
}

export type CurrentRule =
  { pattern?: string | undefined; state?: string | undefined; target?: { Arn?: string | undefined; RoleArn?: string | undefined } | undefined } | undefined;

/** Pure: what the forwarding rule needs (the plan command shows the same). */
export function planForwarding(
  current: CurrentRule,
  pattern: unknown,
  target: ForwardingTarget,
): { readonly rule?: 'create' | 'update'; readonly target: boolean } {
  const ruleStale = !current || current.state !== 'ENABLED' || !current.pattern || canonical(JSON.parse(current.pattern)) !== canonical(pattern);
  return {
    ...(ruleStale ? { rule: current ? ('update' as const) : ('create' as const) } : {}),
    target: current?.target?.Arn !== target.Arn || current.target.RoleArn !== target.RoleArn,
  };
}

export async function currentRule(events: EventBridgeClient): Promise<CurrentRule> {
  try {
    const rule = await events.send(new DescribeRuleCommand({ Name: FORWARDING_RULE_NAME }));
    const { Targets = [] } = await events.send(new ListTargetsByRuleCommand({ Rule: FORWARDING_RULE_NAME }));
    return { pattern: rule.EventPattern, state: rule.State, target: Targets.find((t) => t.Id === FORWARDING_TARGET_ID) };
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return undefined;
    throw toTaskError(error, `events:DescribeRule ${FORWARDING_RULE_NAME}`);
  }
}

export async function ensureEventForwarding(input: unknown, { config, clients, forwarding }: TaskContext): Promise<ForwardingResult> {
  const accountId = parseAccountId(field(input, 'accountId'));
  const region = parseRegion(field(input, 'region'));
  const events = await clients.events(accountId, region);
  const pattern = forwarding.pattern;
  const target = {
    Id: FORWARDING_TARGET_ID,
    Arn: hubBusArn(config.accounts.orchestration, config.homeRegion),
    RoleArn: eventForwardingRoleArn(accountId, region),
  };
  const plan = planForwarding(await currentRule(events), pattern, target);
  const actions: string[] = [];
  try {
    if (plan.rule) {
      await events.send(
        new PutRuleCommand({
          Name: FORWARDING_RULE_NAME,
          EventPattern: JSON.stringify(pattern),
          State: 'ENABLED',
          Description: "Tributary: forwards this region's CreateLogGroup and CreateVpc calls, and calls that undo Tributary's wiring, to the hub",
        }),
      );
      actions.push(`PutRule ${FORWARDING_RULE_NAME} (${plan.rule})`);
    }
    if (plan.target) {
      const { FailedEntryCount, FailedEntries } = await events.send(new PutTargetsCommand({ Rule: FORWARDING_RULE_NAME, Targets: [target] }));
      if (FailedEntryCount)
        throw Object.assign(new Error(`PutTargets failed: ${JSON.stringify(FailedEntries)}`), { name: FailedEntries?.[0]?.ErrorCode ?? 'PutTargetsFailed' });
      actions.push(`PutTargets ${FORWARDING_TARGET_ID}`);
    }
  } catch (error) {
    throw toTaskError(error, `events:PutRule/PutTargets ${FORWARDING_RULE_NAME} in ${accountId} ${region}`);
  }
  return { accountId, region, changed: actions.length > 0, actions };
}

export const handler = lambdaHandler(ensureEventForwarding);
