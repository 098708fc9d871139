import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { WorkflowName, WorkflowSpec } from '../../workflows/catalog';
import { isEventPath, type InputMapping } from '../../workflows/input-mapping';
import { HUB_BUS_NAME } from '../../tasks/lib/ownership';
import { hubBusPolicy, hubRulePattern, type HubDeployment } from '../../workflows/forwarding';

export interface WorkflowTriggersProps {
  readonly catalog: readonly WorkflowSpec[];
  readonly stateMachines: Readonly<Record<WorkflowName, sfn.IStateMachine>>;
  readonly organizationId: string;
  /** Organization events are accepted from the management account only; Tributary's own calls are never tampering. */
  readonly deployment: HubDeployment;
}

/** The catalog's input mapping as an EventBridge input transformer (the offline router applies the same object). */
export function ruleInput(mapping: InputMapping): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(mapping).map(([name, spec]) => [
      name,
      typeof spec === 'string' ? (isEventPath(spec) ? events.EventField.fromPath(spec) : spec) : ruleInput(spec),
    ]),
  );
}

/**
 * The hub bus, open to the organization only, and one rule per catalog trigger with the
 * catalog's pattern and input mapping; every target retries and has a dead-letter queue.
 */
export class WorkflowTriggers extends Construct {
  public readonly bus: events.EventBus;
  public readonly deadLetters: sqs.Queue;
  public readonly rules: Readonly<Record<string, events.Rule>>;

  public constructor(scope: Construct, id: string, props: WorkflowTriggersProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', { eventBusName: HUB_BUS_NAME });
    for (const statement of hubBusPolicy(this.bus.eventBusArn, props.organizationId).Statement)
      this.bus.addToResourcePolicy(iam.PolicyStatement.fromJson(statement));
    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      queueName: 'tributary-trigger-dead-letters',
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This queue is itself the dead-letter queue of every rule target.' });

    const rules: Record<string, events.Rule> = {};
    // One role per workflow for its rules to start it, trusted by EventBridge for this account only
    // (the role CDK would create trusts events.amazonaws.com without a condition).
    const { account } = Stack.of(this);
    const roles = new Map<WorkflowName, iam.Role>();
    const startRole = (workflow: WorkflowName) => {
      let role = roles.get(workflow);
      if (!role) {
        role = new iam.Role(this, `Start-${workflow}`, {
          description: `Tributary: hub rules start ${workflow}`,
          assumedBy: new iam.ServicePrincipal('events.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': account } }),
        });
        props.stateMachines[workflow].grantStartExecution(role);
        roles.set(workflow, role);
      }
      return role;
    };
    const target = (workflow: WorkflowName, mapping?: InputMapping) =>
      new targets.SfnStateMachine(props.stateMachines[workflow], {
        role: startRole(workflow),
        ...(mapping ? { input: events.RuleTargetInput.fromObject(ruleInput(mapping)) } : { input: events.RuleTargetInput.fromObject({ trigger: 'schedule' }) }),
        deadLetterQueue: this.deadLetters,
        retryAttempts: 8,
        maxEventAge: Duration.hours(24),
      });
    for (const spec of props.catalog) {
      for (const trigger of spec.triggers) {
        rules[trigger.id] = new events.Rule(this, trigger.id, {
          eventBus: this.bus,
          ruleName: `tributary-${trigger.id}`,
          description: trigger.description,
          eventPattern: hubRulePattern(trigger, props.deployment) as events.EventPattern,
          targets: [target(spec.name, trigger.input)],
        });
      }
      if (spec.schedule) {
        rules[`${spec.name}-schedule`] = new events.Rule(this, `${spec.name}-schedule`, {
          ruleName: `tributary-${spec.name}-schedule`,
          description: `Starts ${spec.name} on a schedule`,
          schedule: events.Schedule.expression(spec.schedule),
          targets: [target(spec.name)],
        });
      }
    }
    this.rules = rules;
  }
}
