/**
 * Lets the hub's dashboard show the logging account's data-path metrics: CloudWatch's
 * cross-account cross-Region console reads another account's metrics through a role of exactly
 * this name in that account, trusted by the monitoring account
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Cross-Account-Cross-Region.html).
 * Only metric and alarm reads: the console's own template grants CloudWatchReadOnlyAccess, which
 * would also read every log of the logging account.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** The name the CloudWatch console assumes in a sharing account. */
export const METRICS_SHARING_ROLE_NAME = 'CloudWatch-CrossAccountSharingRole';

export interface MetricsSharingRoleProps {
  /** The account whose dashboard reads these metrics (the orchestration account). */
  readonly monitoringAccount: string;
}

export class MetricsSharingRole extends Construct {
  public readonly role: iam.Role;

  public constructor(scope: Construct, id: string, props: MetricsSharingRoleProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      roleName: METRICS_SHARING_ROLE_NAME,
      description: "Tributary: the orchestration account's dashboard reads the data path's metrics and alarms here",
      assumedBy: new iam.AccountPrincipal(props.monitoringAccount),
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadMetrics',
        actions: ['cloudwatch:GetMetricData', 'cloudwatch:GetMetricStatistics', 'cloudwatch:ListMetrics'],
        resources: ['*'],
      }),
    );
    const stack = Stack.of(this);
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadAlarms',
        actions: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'],
        resources: [`arn:${stack.partition}:cloudwatch:*:${stack.account}:alarm:*`],
      }),
    );
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudwatch:*:${stack.account}:alarm:*]`,
      reason: "The dashboard shows the data path's alarms of every governed region of this account; reads only.",
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'GetMetricData, GetMetricStatistics and ListMetrics name no resource for a metric read; alarms are limited to this account.',
    });
  }
}
