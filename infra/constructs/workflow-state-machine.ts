import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { CATALOG, type WorkflowName, type WorkflowSpec } from '../../workflows/catalog';
import { ASL_DIR, placeholdersOf, readDefinition, taskStates } from '../../workflows/local/definition';
import { stateMachineName, taskOfPlaceholder, workflowOfPlaceholder } from '../../workflows/names';

export interface WorkflowStateMachineProps {
  readonly spec: WorkflowSpec;
  /** The task Lambdas, by task name. */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /** Encrypts the execution logs. */
  readonly logsKey: kms.IKey;
}

/**
 * One workflow's state machine: the ASL file inlined as it is (the offline runner runs the same
 * file), every placeholder substituted, events logged to a KMS-encrypted log group (ALL for a
 * Standard workflow; errors only for an Express one, whose page loop would log every page of every
 * account-region each day), X-Ray on.
 */
export class WorkflowStateMachine extends Construct {
  public readonly stateMachine: sfn.StateMachine;

  public constructor(scope: Construct, id: string, props: WorkflowStateMachineProps) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);
    const { spec } = props;
    const raw = readFileSync(resolve(ASL_DIR, spec.aslFile), 'utf8');
    const machineArn = (w: WorkflowName) => `arn:${partition}:states:${region}:${account}:stateMachine:${stateMachineName(w)}`;
    /** ARNs of a state machine's executions: `${name}:*` (started by name) or `${name}/*` (distributed Map items). */
    const executionsArn = (w: WorkflowName, separator: ':' | '/') =>
      `arn:${partition}:states:${region}:${account}:execution:${stateMachineName(w)}${separator}*`;
    const executionsFinding = (w: WorkflowName, separator: ':' | '/', kind = 'execution') =>
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${region}:${account}:${kind}:${stateMachineName(w)}${separator}*]`;
    const isExpress = (w: WorkflowName) => CATALOG.find((c) => c.name === w)?.type === 'EXPRESS';
    /** An Express execution's ARN has `express` where a Standard one has `execution`. */
    const expressExecutionsArn = (w: WorkflowName) => `arn:${partition}:states:${region}:${account}:express:${stateMachineName(w)}:*`;
    const role = new iam.Role(this, 'Role', {
      description: `Tributary workflow ${spec.name}`,
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': account } }),
    });

    const substitutions: Record<string, string> = {};
    const children: WorkflowName[] = [];
    for (const placeholder of placeholdersOf(raw)) {
      if (placeholder.endsWith('FunctionArn')) {
        const fn = props.functions[taskOfPlaceholder(placeholder)];
        if (!fn) throw new Error(`${spec.aslFile}: no task Lambda for \${${placeholder}}`);
        substitutions[placeholder] = fn.functionArn;
        // Step Functions invokes the unqualified ARN: no version or alias wildcard.
        role.addToPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }));
      } else {
        const child = workflowOfPlaceholder(placeholder);
        children.push(child);
        substitutions[placeholder] = machineArn(child);
      }
    }
    // startExecution.sync:2 follows its child and stops it if the parent stops; startExecution only starts it.
    const followed = [
      ...new Set(taskStates(readDefinition(spec.aslFile).definition).flatMap((s) => (s.target.kind === 'child-workflow' ? [s.target.workflow] : []))),
    ];
    if (children.length > 0) {
      role.addToPolicy(new iam.PolicyStatement({ sid: 'RunChildWorkflows', actions: ['states:StartExecution'], resources: children.map(machineArn) }));
    }
    if (followed.length > 0) {
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'FollowChildWorkflows',
          actions: ['states:DescribeExecution', 'states:StopExecution'],
          resources: followed.map((c) => (isExpress(c) ? expressExecutionsArn(c) : executionsArn(c, ':'))),
        }),
      );
      for (const child of followed) {
        Validations.of(role).acknowledge({
          id: isExpress(child) ? executionsFinding(child, ':', 'express') : executionsFinding(child, ':'),
          reason: 'Executions of a child workflow are named at start; following them needs every execution of that one state machine.',
        });
      }
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'ChildCompletionEvents',
          actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
          resources: [`arn:${partition}:events:${region}:${account}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule`],
        }),
      );
    }
    if (raw.includes('"DISTRIBUTED"')) {
      // A distributed Map runs each item as a child execution of this state machine.
      role.addToPolicy(new iam.PolicyStatement({ sid: 'RunMapItems', actions: ['states:StartExecution'], resources: [machineArn(spec.name)] }));
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'FollowMapItems',
          actions: ['states:DescribeExecution', 'states:StopExecution'],
          resources: [executionsArn(spec.name, '/')],
        }),
      );
      Validations.of(role).acknowledge({
        id: executionsFinding(spec.name, '/'),
        reason: "A distributed Map's item executions are named by Step Functions; following them needs every item execution of this state machine.",
      });
    }

    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${stateMachineName(spec.name)}`,
      encryptionKey: props.logsKey,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: stateMachineName(spec.name),
      definitionBody: sfn.DefinitionBody.fromString(raw),
      definitionSubstitutions: substitutions,
      role,
      stateMachineType: spec.type === 'EXPRESS' ? sfn.StateMachineType.EXPRESS : sfn.StateMachineType.STANDARD,
      logs: { destination: logGroup, level: spec.type === 'EXPRESS' ? sfn.LogLevel.ERROR : sfn.LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    if (spec.type === 'EXPRESS') {
      Validations.of(this.stateMachine).acknowledge({
        id: 'AwsSolutions-SF1',
        reason:
          "An Express page loop runs about a page a second in every account-region being reconciled: logging ALL of its events would cost more than the reconcile itself. Its errors are logged, and its parent (a Standard workflow) logs ALL of each run it starts, with the run's result.",
      });
    }
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Execution logging (logs:CreateLogDelivery and related) and X-Ray tracing accept no resource-level permission.',
    });
  }
}
