import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { LOCK_TABLE_NAME } from '../../tasks/lib/lease-lock';
import { ORGANIZATION_ACCOUNTS_KEY } from '../../tasks/lib/organization-accounts';
import { FAILED_ACCOUNTS_METRIC } from '../../tasks/report-drift';
import { METRIC_DIMENSIONS, METRIC_NAMESPACE } from '../../tasks/lib/metrics';
import { TAMPER_METRICS } from '../../tasks/lib/tampering';
import type { TaskName } from '../../tasks/registry';
import { CATALOG, TASK_TIMEOUT_SECONDS, type WorkflowName } from '../../workflows/catalog';
import type { TributaryConfig } from '../../tasks/lib/config';
import { processorRoleName, siemProcessorRoleName } from '../../tasks/lib/resource-names';
import { dataPathMetrics } from '../constructs/data-path-metrics';
import { tributaryKey } from '../constructs/key-policy';
import { TaskFunction } from '../constructs/task-function';
import { WorkflowStateMachine } from '../constructs/workflow-state-machine';
import { WorkflowTriggers } from '../constructs/workflow-triggers';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { departurePattern, tributaryCallers } from '../../workflows/forwarding';

export interface OrchestrationStackProps extends StackProps {
  readonly config: TributaryConfig;
}

/** Tasks that walk a page of resources get more time than the default minute. */
/**
 * The hub (orchestration account, home region), built from the workflow catalog: a state machine
 * per ASL file, a Lambda per task, the hub bus and a rule per trigger, the lock table, alarms and
 * a dashboard.
 */
export class OrchestrationStack extends Stack {
  public readonly stateMachines: Readonly<Record<WorkflowName, sfn.StateMachine>>;
  public readonly functions: Readonly<Record<TaskName, lambda.IFunction>>;
  public readonly triggers: WorkflowTriggers;
  private readonly config: TributaryConfig;

  public constructor(scope: Construct, id: string, props: OrchestrationStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.config = config;

    const locks = new dynamodb.TableV2(this, 'Locks', {
      tableName: LOCK_TABLE_NAME,
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      // Reconcile records and leases expire by themselves.
      timeToLiveAttribute: 'ttl',
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.DESTROY,
      // The record processors (logging account) read the organization's accounts, that item alone
      // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/access-control-resource-based.html).
      resourcePolicy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'RecordProcessorsReadOrganizationAccounts',
            principals: config.governedRegions.flatMap((region) =>
              [processorRoleName(region), ...(config.siem ? [siemProcessorRoleName(region)] : [])].map(
                (role) => new iam.ArnPrincipal(`arn:${this.partition}:iam::${config.accounts.logging}:role/${role}`),
              ),
            ),
            actions: ['dynamodb:GetItem'],
            resources: ['*'],
            conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [ORGANIZATION_ACCOUNTS_KEY] } },
          }),
        ],
      }),
    });

    const logsKey = tributaryKey(this, 'ExecutionLogsKey', 'Tributary: encrypts state machine execution logs', [
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsEncryptsExecutionLogs',
        principals: [new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: [
          'kms:Encrypt',
          'kms:Decrypt',
          'kms:ReEncryptFrom',
          'kms:ReEncryptTo',
          'kms:GenerateDataKey',
          'kms:GenerateDataKeyWithoutPlaintext',
          'kms:Describe*',
        ],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${this.partition}:logs:${this.region}:${this.account}:log-group:/aws/vendedlogs/states/tributary-*`,
          },
        },
      }),
    ]);

    const functions = {} as Record<TaskName, lambda.IFunction>;
    for (const task of [...new Set(CATALOG.flatMap((w) => w.tasks))]) {
      functions[task] = new TaskFunction(this, task, {
        task,
        config,
        lockTableArn: locks.tableArn,
        timeout: Duration.seconds(TASK_TIMEOUT_SECONDS[task]),
      }).function;
    }
    this.functions = functions;

    const stateMachines = {} as Record<WorkflowName, sfn.StateMachine>;
    for (const spec of CATALOG) stateMachines[spec.name] = new WorkflowStateMachine(this, spec.name, { spec, functions, logsKey }).stateMachine;
    this.stateMachines = stateMachines;

    this.triggers = new WorkflowTriggers(this, 'Triggers', {
      catalog: CATALOG,
      stateMachines,
      organizationId: config.organizationId,
      deployment: { managementAccount: config.accounts.management, ...tributaryCallers(config) },
    });
    // The archive (logging account, home region) writes a signed departure manifest for each account that leaves.
    const forwardDepartures = new iam.Role(this, 'ForwardDeparturesRole', {
      description: 'Tributary: forwards account departures to the logging account, for their archive manifests',
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': this.account } }),
    });
    new events.Rule(this, 'ForwardDepartures', {
      eventBus: this.triggers.bus,
      ruleName: 'tributary-forward-departures-to-archive',
      description: 'An account left the organization: the archive writes its departure manifest',
      eventPattern: departurePattern(config.accounts.management) as events.EventPattern,
      targets: [
        new targets.EventBus(
          events.EventBus.fromEventBusArn(
            this,
            'LoggingDefaultBus',
            `arn:${this.partition}:events:${config.homeRegion}:${config.accounts.logging}:event-bus/default`,
          ),
          { role: forwardDepartures, deadLetterQueue: this.triggers.deadLetters },
        ),
      ],
    });
    this.addAlarmsAndDashboard();
  }

  /** Failed and timed-out executions, task throttles, rule target failures, dead letters. */
  private addAlarmsAndDashboard(): void {
    const alarm = (id: string, metric: cloudwatch.IMetric, description: string) =>
      new cloudwatch.Alarm(this, id, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: 'Tributary' });
    for (const [workflow, machine] of Object.entries(this.stateMachines)) {
      const failed = machine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' });
      const timedOut = machine.metricTimedOut({ period: Duration.minutes(5), statistic: 'Sum' });
      alarm(`${workflow}-failed`, failed, `${workflow}: executions failed`);
      alarm(`${workflow}-timed-out`, timedOut, `${workflow}: executions timed out`);
      dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: `${workflow} executions`,
          left: [machine.metricSucceeded({ period: Duration.minutes(5), statistic: 'Sum' }), failed, timedOut],
          width: 8,
        }),
      );
    }
    // Alarms take plain metrics; the dashboard shows the same metrics labelled.
    const throttles = Object.entries(this.functions).map(([task, fn]) => {
      const metric = fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' });
      alarm(`${task}-throttles`, metric, `task ${task}: Lambda throttled`);
      return metric.with({ label: task });
    });
    const targetFailures = Object.entries(this.triggers.rules).map(([id, rule]) => {
      const metric = new cloudwatch.Metric({
        namespace: 'AWS/Events',
        metricName: 'FailedInvocations',
        dimensionsMap: { RuleName: rule.ruleName },
        period: Duration.minutes(5),
        statistic: 'Sum',
      });
      alarm(`${id}-target-failures`, metric, `rule ${id}: target invocations failed`);
      return metric.with({ label: id });
    });
    // A reconcile tolerates failed accounts and reports them; its task publishes how many.
    const reconcileFailures = new cloudwatch.Metric({
      namespace: METRIC_NAMESPACE,
      metricName: FAILED_ACCOUNTS_METRIC,
      dimensionsMap: { ...METRIC_DIMENSIONS },
      period: Duration.hours(1),
      statistic: 'Maximum',
    });
    alarm('reconcile-failed-accounts', reconcileFailures, 'reconcile: accounts it could not onboard (named in the ReportDrift output and logs)');
    // Tampering: every call that undid Tributary's wiring, and those left unrepaired (the bound, or not repairable).
    const tampering = Object.values(TAMPER_METRICS).map((name) => {
      const metric = new cloudwatch.Metric({
        namespace: METRIC_NAMESPACE,
        metricName: name,
        dimensionsMap: { ...METRIC_DIMENSIONS },
        period: Duration.minutes(5),
        statistic: 'Sum',
      });
      alarm(
        `tamper-${name}`,
        metric,
        name === TAMPER_METRICS.detected
          ? "Tributary's wiring was undone by someone (the Tributary Tamper Detected event on the hub bus names who and what)"
          : 'tampering left unrepaired: a tug of war past tamperRepair.maxRepairsPerHour, or a change only a redeploy repairs',
      );
      return metric.with({ label: name });
    });
    const deadLetters = this.triggers.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' });
    alarm('trigger-dead-letters', deadLetters, 'events that could not start a workflow wait in the dead-letter queue');
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Task throttles', left: throttles, width: 12 }),
      new cloudwatch.GraphWidget({ title: 'Rule target failures and dead letters', left: targetFailures, right: [deadLetters], width: 12 }),
      new cloudwatch.GraphWidget({ title: 'Reconcile: failed accounts', left: [reconcileFailures], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'Tampering', left: tampering, width: 8 }),
    );
    // The data path lives in the logging account: its metrics are shown here across accounts and regions.
    for (const region of this.config.governedRegions) {
      const m = dataPathMetrics(region, this.config.accounts.logging);
      dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: `Data path ${region}: delivery and processing success`,
          left: [m.deliverySuccess, m.processingSuccess],
          right: [m.processorErrors],
          width: 8,
        }),
        new cloudwatch.GraphWidget({ title: `Data path ${region}: data freshness (s)`, left: [m.dataFreshness], width: 8 }),
        new cloudwatch.GraphWidget({ title: `Data path ${region}: stream iterator age (ms)`, left: [m.iteratorAge], width: 8 }),
      );
    }
  }
}
