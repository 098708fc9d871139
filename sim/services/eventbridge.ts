/** EventBridge rules and targets on an account-region's default bus (the member forwarding rule). */
import { EventBridgeServiceException, InvalidEventPatternException, LimitExceededException, ResourceNotFoundException } from '@aws-sdk/client-eventbridge';
import { compileEventPattern } from '../../workflows/event-pattern';
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
    return { Name: found.name, Arn: `arn:aws:events:${ctx.region}:${ctx.callerAccount}:rule/${found.name}`, EventPattern: found.eventPattern, State: found.state, Description: found.description, EventBusName: 'default' };
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
    if (found.targets.size > 0) throw new EventBridgeServiceException({ name: 'ValidationException', $fault: 'client', $metadata: {}, message: 'Rule can\'t be deleted since it has targets.' });
    rules(ctx).delete(String(input.Name));
    return {};
  },
};
