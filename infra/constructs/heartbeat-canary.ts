import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HEARTBEAT_PERIOD_SECONDS } from '../../tasks/lib/data-path/heartbeat';
import { HEARTBEAT_LOG_GROUP } from '../../tasks/lib/data-path/log-source';
import { acknowledgePinnedRuntime, LAMBDA_RUNTIME } from './runtime';

export interface HeartbeatCanaryProps {
  /** The region's central stream. */
  readonly streamArn: string;
  /** The role CloudWatch Logs writes to the stream with (the destination's own). */
  readonly deliveryRoleArn: string;
  /** @default 'tributary-heartbeat' */
  readonly functionName?: string;
}

/**
 * The heartbeat's source in one region: a function whose only work is one log line a minute, into
 * HEARTBEAT_LOG_GROUP, subscribed to the central stream like a member's group. The line travels the
 * whole data path; the archive stack's monitor alarms when it stops arriving.
 */
export class HeartbeatCanary extends Construct {
  public readonly logGroup: logs.LogGroup;
  public readonly function: lambda.Function;

  public constructor(scope: Construct, id: string, props: HeartbeatCanaryProps) {
    super(scope, id);
    const { account } = Stack.of(this);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: HEARTBEAT_LOG_GROUP,
      retention: logs.RetentionDays.ONE_WEEK,
      // Beats, not evidence: the archive keeps them; a failed first deploy leaves nothing behind.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'Role', {
      description: 'Tributary heartbeat canary: writes its own log lines',
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': account } }),
    });
    role.addToPolicy(
      new iam.PolicyStatement({ sid: 'WriteHeartbeat', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }),
    );
    this.function = new lambda.Function(this, 'Function', {
      functionName: props.functionName ?? 'tributary-heartbeat',
      description: 'Writes one heartbeat line a minute through the Tributary data path',
      runtime: LAMBDA_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      // One console line is the whole job: no bundle, no SDK.
      code: lambda.Code.fromInline('exports.handler = async () => { console.log(JSON.stringify({ heartbeat: new Date().toISOString() })); };'),
      memorySize: 128,
      timeout: Duration.seconds(10),
      role,
      logGroup: this.logGroup,
    });
    acknowledgePinnedRuntime(this.function);
    new events.Rule(this, 'EveryMinute', {
      description: 'Tributary heartbeat',
      schedule: events.Schedule.rate(Duration.seconds(HEARTBEAT_PERIOD_SECONDS)),
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 0 })],
    });
    new logs.CfnSubscriptionFilter(this, 'Subscription', {
      logGroupName: this.logGroup.logGroupName,
      filterName: 'tributary-heartbeat',
      filterPattern: '',
      destinationArn: props.streamArn,
      roleArn: props.deliveryRoleArn,
    });
  }
}
