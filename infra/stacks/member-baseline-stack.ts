import { Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  DESTINATION_NAME,
  EVENT_FORWARDING_ROLE_NAME,
  FLOW_LOGS_LOG_GROUP,
  FLOW_LOGS_ROLE_NAME,
  HUB_BUS_NAME,
  LOGS_DELIVERY_ROLE_NAME,
} from '../../tasks/lib/ownership';
import { putOnHubBusStatement } from '../../workflows/forwarding';
import type { TributaryConfig } from '../../tasks/lib/config';
import { baselineRoles } from '../member-role-policy';

export interface MemberBaselineStackProps extends StackProps {
  readonly config: TributaryConfig;
}

/**
 * What every member account holds (deployed by the service-managed StackSet, never by hand):
 * the roles the orchestrator's tasks assume (one per task), the role CloudWatch Logs uses to deliver to the
 * organization-scoped destination, the role member rules use to put events on the hub bus, and
 * the role VPC Flow Logs uses to write the flow-log group. Each statement names the operations a
 * task performs.
 */
export class MemberBaselineStack extends Stack {
  public constructor(scope: Construct, id: string, props: MemberBaselineStackProps) {
    super(scope, id, props);
    const { config } = props;
    const account = this.account;
    const partition = this.partition;
    const logging = config.accounts.logging;
    const destinationArns = `arn:${partition}:logs:*:${logging}:destination:${DESTINATION_NAME}`;
    const ack = (construct: Construct, id: string, reason: string) => Validations.of(construct).acknowledge({ id, reason });

    // CloudWatch Logs delivers subscribed events to the central destination through this role.
    const logsDelivery = new iam.Role(this, 'LogsDelivery', {
      roleName: LOGS_DELIVERY_ROLE_NAME,
      description: 'Tributary: CloudWatch Logs delivers subscribed log events to the central destination',
      assumedBy: new iam.ServicePrincipal('logs.amazonaws.com').withConditions({ StringLike: { 'aws:SourceArn': `arn:${partition}:logs:*:${account}:*` } }),
      inlinePolicies: {
        Deliver: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['logs:PutLogEvents'], resources: [destinationArns] })] }),
      },
    });
    ack(
      logsDelivery,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:*:${logging}:destination:${DESTINATION_NAME}]`,
      "One destination of this name per governed region; the region is the log group's own.",
    );

    // Member rules forward Tributary's triggers to the hub bus through this role.
    new iam.Role(this, 'EventForwarding', {
      roleName: EVENT_FORWARDING_ROLE_NAME,
      description: "Tributary: this account's forwarding rules put events on the hub bus",
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': account } }),
      inlinePolicies: {
        PutOnHubBus: new iam.PolicyDocument({
          statements: [
            iam.PolicyStatement.fromJson(
              putOnHubBusStatement(`arn:${partition}:events:${config.homeRegion}:${config.accounts.orchestration}:event-bus/${HUB_BUS_NAME}`),
            ),
          ],
        }),
      },
    });

    // VPC Flow Logs writes the member's flow-log group (flow logs destination log-group).
    const flowLogsDelivery = new iam.Role(this, 'FlowLogsDelivery', {
      roleName: FLOW_LOGS_ROLE_NAME,
      description: "Tributary: VPC Flow Logs writes this account's flow-log group",
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': account } }),
      inlinePolicies: {
        WriteFlowLogGroup: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
              resources: [`arn:${partition}:logs:*:${account}:log-group:${FLOW_LOGS_LOG_GROUP}:*`],
            }),
          ],
        }),
      },
    });
    ack(
      flowLogsDelivery,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:*:<AWS::AccountId>:log-group:${FLOW_LOGS_LOG_GROUP}:*]`,
      'Log streams are created per network interface under the one flow-log group, in every governed region.',
    );

    // One role per task that works here, each trusted by that task's Lambda role only, with only
    // its statements, and the read-only plan role (infra/member-role-policy.ts; the simulator
    // enforces the same ones offline).
    const tokenised = new Map(
      baselineRoles(config, { partition: '<AWS::Partition>', account: '<AWS::AccountId>' }).map((role) => [role.id, role.grants] as const),
    );
    for (const { id, roleName, description, trust, grants } of baselineRoles(config, { partition, account })) {
      const role = new iam.Role(this, id, {
        roleName,
        description,
        assumedBy: new iam.ArnPrincipal(trust.principal).withConditions(trust.condition as Record<string, unknown>),
      });
      for (const { statement } of grants) {
        role.addToPolicy(
          new iam.PolicyStatement({
            sid: statement.Sid,
            actions: [...statement.Action],
            resources: [...statement.Resource],
            ...(statement.Condition ? { conditions: statement.Condition as Record<string, unknown> } : {}),
          }),
        );
      }
      // cdk-nag names a wildcard resource with the tokens as <AWS::Partition> and <AWS::AccountId>.
      for (const { statement, note } of tokenised.get(id)!) {
        for (const resource of statement.Resource.filter((r) => r.includes('*')))
          ack(role, `AwsSolutions-IAM5[Resource::${resource}]`, `${statement.Sid}: ${note ?? 'see docs/permissions.md'}`);
      }
    }
  }
}
