import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { join } from 'path';
import { HEARTBEAT_ENVIRONMENT } from '../../tasks/check-heartbeat';
import type { ArchivePartitioning } from '../../tasks/lib/data-path/archive-layout';
import { HEARTBEAT_ALARM_SECONDS, HEARTBEAT_METRIC } from '../../tasks/lib/data-path/heartbeat';
import type { AccountId, Region } from '../../tasks/lib/domain';
import { acknowledgePinnedRuntime, LAMBDA_RUNTIME } from './runtime';

export interface HeartbeatMonitorProps {
  readonly bucket: s3.IBucket;
  readonly regions: readonly Region[];
  readonly loggingAccount: AccountId;
  readonly partitioning: ArchivePartitioning;
  /** @default 'tributary-heartbeat-check' */
  readonly functionName?: string;
}

/**
 * Checks every 5 minutes that each governed region's heartbeat reached the archive, and alarms per
 * region when its newest heartbeat is older than HEARTBEAT_ALARM_SECONDS, or when no figure comes
 * at all (missing data breaches: a checker that stops is an outage too).
 */
export class HeartbeatMonitor extends Construct {
  public readonly alarms: readonly cloudwatch.Alarm[];

  public constructor(scope: Construct, id: string, props: HeartbeatMonitorProps) {
    super(scope, id);
    const { account } = Stack.of(this);
    const functionName = props.functionName ?? 'tributary-heartbeat-check';
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    const role = new iam.Role(this, 'Role', {
      description: 'Tributary heartbeat check: lists the heartbeat prefixes of the archive',
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': account } }),
    });
    role.addToPolicy(
      new iam.PolicyStatement({ sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListHeartbeatPrefixes',
        actions: ['s3:ListBucket'],
        resources: [props.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': props.regions.map((region) => `logs/region=${region}/account=${props.loggingAccount}/*`) } },
      }),
    );
    const checker = new nodejs.NodejsFunction(this, 'Function', {
      functionName,
      entry: join(__dirname, '..', '..', 'tasks', 'check-heartbeat.ts'),
      handler: 'handler',
      runtime: LAMBDA_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.minutes(1),
      role,
      logGroup,
      environment: {
        [HEARTBEAT_ENVIRONMENT.bucket]: props.bucket.bucketName,
        [HEARTBEAT_ENVIRONMENT.regions]: props.regions.join(','),
        [HEARTBEAT_ENVIRONMENT.loggingAccount]: props.loggingAccount,
        [HEARTBEAT_ENVIRONMENT.partitioning]: props.partitioning,
      },
      bundling: { minify: true, sourceMap: true, target: 'node22' },
    });
    acknowledgePinnedRuntime(checker);
    new events.Rule(this, 'EveryFiveMinutes', {
      description: 'Tributary heartbeat check',
      schedule: events.Schedule.rate(Duration.minutes(5)),
      targets: [new targets.LambdaFunction(checker, { retryAttempts: 2 })],
    });

    this.alarms = props.regions.map(
      (region) =>
        new cloudwatch.Alarm(this, `Silent-${region}`, {
          alarmDescription: `${region}: no heartbeat reached the archive for ${HEARTBEAT_ALARM_SECONDS / 60} minutes: the data path (destination, stream, Firehose, processor or S3) is not delivering, or the check stopped`,
          metric: new cloudwatch.Metric({
            namespace: HEARTBEAT_METRIC.namespace,
            metricName: HEARTBEAT_METRIC.name,
            dimensionsMap: { Region: region },
            statistic: 'Maximum',
            period: Duration.minutes(5),
          }),
          threshold: HEARTBEAT_ALARM_SECONDS,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        }),
    );
  }
}
