/** EventBridge rules and targets on an account-region's default bus (the member forwarding rule). */
import { EventBridgeServiceException, InvalidEventPatternException, LimitExceededException, ResourceNotFoundException } from '@aws-sdk/client-eventbridge';
import { compileEventPattern } from '../../workflows/event-pattern';
import { EVENT_PATTERN_MAX_CHARACTERS } from '../../workflows/forwarding';
import { HUB_BUS_NAME } from '../../tasks/lib/ownership';
import { type CallContext, type OperationHandler } from './context';

const meta = { $metadata: {} };
/** PutTargets accepts at most this many targets per rule. */
const MAX_TARGETS = 5;

function rules(ctx: CallContext) {
  return ctx.state.accountRegion(ctx.callerAccount, ctx.region).eventRules;
}

function rule(ctx: CallContext, name: unknown) {
  const found = rules(ctx).get(String(name));
  if (!found) throw new ResourceNotFoundException({ ...meta, message: `Rule ${String(name)} does not exist on EventBus default.` });
  return found;
}

export const eventBridge: Record<string, OperationHandler> = {
  PutRule(input, ctx) {
    const name = String(input.Name);
    const eventPattern = String(input.EventPattern ?? '');
    // The event pattern size quota (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html);
    // the error AWS answers with past it is not documented: modelled as an invalid pattern.
    if (eventPattern.length > EVENT_PATTERN_MAX_CHARACTERS) {
      throw new InvalidEventPatternException({
        ...meta,
        message: `Event pattern is not valid. Reason: it has ${eventPattern.length} characters, more than the ${EVENT_PATTERN_MAX_CHARACTERS} allowed`,
      });
    }
    try {
      compileEventPattern(JSON.parse(eventPattern));
    } catch (error) {
      throw new InvalidEventPatternException({ ...meta, message: `Event pattern is not valid. Reason: ${(error as Error).message}` });
    }
    const existing = rules(ctx).get(name);
    rules(ctx).set(name, {
      name,
      eventPattern,
      state: typeof input.State === 'string' ? input.State : 'ENABLED',
      ...(typeof input.Description === 'string' ? { description: input.Description } : {}),
      targets: existing?.targets ?? new Map(),
    });
    return { RuleArn: `arn:aws:events:${ctx.region}:${ctx.callerAccount}:rule/${name}` };
  },

  DescribeRule(input, ctx) {
    const found = rule(ctx, input.Name);
    return {
      Name: found.name,
      Arn: `arn:aws:events:${ctx.region}:${ctx.callerAccount}:rule/${found.name}`,
      EventPattern: found.eventPattern,
      State: found.state,
      Description: found.description,
      EventBusName: 'default',
    };
  },

  PutTargets(input, ctx) {
    const found = rule(ctx, input.Rule);
    const targets = (input.Targets ?? []) as Array<{ Id: string; Arn: string; RoleArn?: string }>;
    if (new Set([...found.targets.keys(), ...targets.map((t) => t.Id)]).size > MAX_TARGETS) {
      throw new LimitExceededException({ ...meta, message: `A rule can have at most ${MAX_TARGETS} targets.` });
    }
    for (const t of targets) found.targets.set(t.Id, { Id: t.Id, Arn: t.Arn, ...(t.RoleArn ? { RoleArn: t.RoleArn } : {}) });
    return { FailedEntryCount: 0, FailedEntries: [] };
  },

  /** A disabled rule matches nothing until enabled (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DisableRule.html). */
  DisableRule(input, ctx) {
    rule(ctx, input.Name).state = 'DISABLED';
    return {};
  },

  EnableRule(input, ctx) {
    rule(ctx, input.Name).state = 'ENABLED';
    return {};
  },

  /**
   * Custom events on a bus of the caller's account-region: the hub bus (where the SOC reads them),
   * or the default bus. A source starting with `aws.` is AWS's own and refused per entry
   * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html).
   */
  PutEvents(input, ctx) {
    const entries = (input.Entries ?? []) as Array<{ EventBusName?: string; Source?: string; DetailType?: string; Detail?: string }>;
    const results = entries.map((entry) => {
      const bus = String(entry.EventBusName ?? 'default').replace(/^arn:aws:events:[a-z0-9-]+:\d{12}:event-bus\//, '');
      if (String(entry.Source ?? '').startsWith('aws.'))
        return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
      if (bus !== 'default' && !(bus === HUB_BUS_NAME && ctx.state.hubBus?.account === ctx.callerAccount && ctx.state.hubBus.region === ctx.region)) {
        return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${bus} does not exist.` };
      }
      ctx.state.busEvents.push({
        account: ctx.callerAccount,
        region: ctx.region,
        bus,
        source: String(entry.Source),
        detailType: String(entry.DetailType),
        detail: JSON.parse(String(entry.Detail ?? '{}')),
        time: ctx.now,
      });
      return { EventId: `sim-${ctx.state.busEvents.length}` };
    });
    const failed = results.filter((r) => 'ErrorCode' in r).length;
    return { FailedEntryCount: failed, Entries: results };
  },

  ListTargetsByRule(input, ctx) {
    return { Targets: [...rule(ctx, input.Rule).targets.values()].map((t) => ({ ...t })) };
  },

  RemoveTargets(input, ctx) {
    const found = rule(ctx, input.Rule);
    for (const id of (input.Ids as string[] | undefined) ?? []) found.targets.delete(id);
    return { FailedEntryCount: 0, FailedEntries: [] };
  },

  /** "Before you can delete the rule, you must remove all targets" (DeleteRule API reference). */
  DeleteRule(input, ctx) {
    const found = rule(ctx, input.Name);
    if (found.targets.size > 0)
      throw new EventBridgeServiceException({
        name: 'ValidationException',
        $fault: 'client',
        $metadata: {},
        message: "Rule can't be deleted since it has targets.",
      });
    rules(ctx).delete(String(input.Name));
    return {};
  },
};
