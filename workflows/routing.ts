/**
 * Offline event routing: which workflow an EventBridge event starts, with which input, or why
 * none. Uses the catalog's patterns and mappings, exactly as the deployed rules do.
 */
import { InvalidInputError } from '../tasks/lib/errors';
import { parseAccountId, parseLogGroupName, parseRegion, parseVpcId } from '../tasks/lib/domain';
import { CATALOG, type WorkflowName, type WorkflowSpec, type WorkflowTrigger } from './catalog';
import { compileEventPattern, flattenEvent, matchesFlatEvent, type CompiledPattern } from './event-pattern';
import { hubRulePattern, type HubDeployment } from './forwarding';
import { applyInputMapping } from './input-mapping';

export type RouteResult =
  { readonly workflow: WorkflowName; readonly trigger: string; readonly input: Record<string, unknown> } | { readonly workflow: null; readonly reason: string };

/** Fields every EventBridge event carries (https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html). */
const ENVELOPE_FIELDS = ['source', 'detail-type', 'account', 'region'] as const;

/** Workflow input fields that have a domain type, validated before anything starts. */
const INPUT_VALIDATORS: Record<string, (value: unknown, field: string) => unknown> = {
  accountId: parseAccountId,
  region: parseRegion,
  logGroupName: parseLogGroupName,
  vpcId: parseVpcId,
};

function validateEnvelope(event: unknown): Record<string, unknown> {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new InvalidInputError('event', event, 'must be a JSON object (an EventBridge event)');
  }
  const record = event as Record<string, unknown>;
  for (const name of ENVELOPE_FIELDS) {
    if (typeof record[name] !== 'string' || record[name] === '') {
      throw new InvalidInputError(`event.${name}`, record[name], 'is required in an EventBridge event');
    }
  }
  if (record.detail !== undefined && (typeof record.detail !== 'object' || record.detail === null || Array.isArray(record.detail))) {
    throw new InvalidInputError('event.detail', record.detail, 'must be a JSON object');
  }
  parseAccountId(record.account, 'event.account');
  return record;
}

export class EventRouter {
  private readonly rules: ReadonlyArray<{ spec: WorkflowSpec; trigger: WorkflowTrigger; pattern: CompiledPattern }>;

  /** With a `deployment`, events are matched as the deployed hub rules match them (organization events from the management account only, tampering by anyone but Tributary). */
  public constructor(catalog: readonly WorkflowSpec[] = CATALOG, deployment?: HubDeployment) {
    this.rules = catalog.flatMap((spec) =>
      spec.triggers.map((trigger) => ({
        spec,
        trigger,
        pattern: compileEventPattern(deployment ? hubRulePattern(trigger, deployment) : trigger.eventPattern),
      })),
    );
  }

  /** Throws InvalidInputError for a malformed event or a matched event whose input is invalid. */
  public route(event: unknown): RouteResult {
    const envelope = validateEnvelope(event);
    const flat = flattenEvent(envelope);
    const matched = this.rules.filter((rule) => matchesFlatEvent(rule.pattern, flat));
    if (matched.length === 0) return { workflow: null, reason: whyNoRoute(envelope) };
    if (matched.length > 1) {
      throw new Error(`catalog error: triggers ${matched.map((r) => r.trigger.id).join(', ')} all match one event`);
    }
    const { spec, trigger } = matched[0]!;
    const { input, missing } = applyInputMapping(trigger.input, envelope);
    if (missing.length > 0) {
      throw new InvalidInputError(`event (trigger ${trigger.id})`, missing, 'missing from the event');
    }
    for (const [name, validate] of Object.entries(INPUT_VALIDATORS)) {
      if (name in input) validate(input[name], `${name} (from trigger ${trigger.id})`);
    }
    return { workflow: spec.name, trigger: trigger.id, input };
  }
}

function whyNoRoute(event: Record<string, unknown>): string {
  const detail = (event.detail ?? {}) as Record<string, unknown>;
  const what = [event.source, event['detail-type'], detail.eventName].filter((v) => typeof v === 'string').join(' / ');
  if (typeof detail.errorCode === 'string') {
    return `the API call failed (errorCode ${detail.errorCode}); failed calls start no workflow [${what}]`;
  }
  return `no workflow trigger matches this event [${what}]`;
}
