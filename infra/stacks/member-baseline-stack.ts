import { Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DESTINATION_NAME, EVENT_FORWARDING_ROLE_NAME, FLOW_LOGS_LOG_GROUP, FLOW_LOGS_ROLE_NAME, FORWARDING_RULE_NAME, HUB_BUS_NAME, LOGS_DELIVERY_ROLE_NAME } from '../../tasks/lib/ownership';
import type { TributaryConfig } from '../config/schema';

export interface MemberBaselineStackProps extends StackProps {
  readonly config: TributaryConfig;
}

/**
 * What every member account holds (deployed by the service-managed StackSet, never by hand):
 * the role the orchestrator's tasks assume, the role CloudWatch Logs uses to deliver to the
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
      inlinePolicies: { Deliver: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['logs:PutLogEvents'], resources: [destinationArns] })] }) },
    });
    ack(logsDelivery, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:*:${logging}:destination:${DESTINATION_NAME}]`, 'One destination of this name per governed region; the region is the log group\'s own.');

    // Member rules forward Tributary's triggers to the hub bus through this role.
    const eventForwarding = new iam.Role(this, 'EventForwarding', {
      roleName: EVENT_FORWARDING_ROLE_NAME,
      description: "Tributary: this account's forwarding rules put events on the hub bus",
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': account } }),
      inlinePolicies: {
        PutOnHubBus: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [`arn:${partition}:events:${config.homeRegion}:${config.accounts.orchestration}:event-bus/${HUB_BUS_NAME}`] })],
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
    ack(flowLogsDelivery, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:*:<AWS::AccountId>:log-group:${FLOW_LOGS_LOG_GROUP}:*]`, 'Log streams are created per network interface under the one flow-log group, in every governed region.');

    // The role the orchestrator's task Lambdas assume.
    const member = new iam.Role(this, 'Member', {
      roleName: config.memberRoleName,
      description: "Tributary: the orchestrator's tasks wire this account",
      assumedBy: new iam.ArnPrincipal(`arn:${partition}:iam::${config.accounts.orchestration}:root`).withConditions({
        ArnLike: { 'aws:PrincipalArn': `arn:${partition}:iam::${config.accounts.orchestration}:role/tributary-task-*` },
        StringEquals: { 'aws:PrincipalOrgID': config.organizationId },
      }),
    });
    const allow = (sid: string, actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
      member.addToPolicy(new iam.PolicyStatement({ sid, actions, resources, ...(conditions ? { conditions } : {}) }));
    const logGroups = `arn:${partition}:logs:*:${account}:log-group:*`;
    // SubscribeLogGroup, SubscribeLogGroupsPage, EnsureAccountPolicy, the flow-log group.
    allow('SubscriptionFilters', ['logs:DescribeLogGroups', 'logs:DescribeSubscriptionFilters', 'logs:PutSubscriptionFilter', 'logs:DeleteSubscriptionFilter', 'logs:CreateLogGroup'], [logGroups]);
    allow('SubscribeToCentralDestination', ['logs:PutSubscriptionFilter'], [destinationArns]);
    allow('AccountSubscriptionPolicy', ['logs:DescribeAccountPolicies', 'logs:PutAccountPolicy'], ['*']);
    // Only in the logging account: EnsureDestinationAccess and OffboardRegion keep the account list.
    allow('DestinationAccessList', ['logs:DescribeDestinations', 'logs:PutDestinationPolicy'], [destinationArns]);
    // EnsureFlowLogsPage, EnableFlowLogs.
    allow('FlowLogs', ['ec2:DescribeVpcs', 'ec2:DescribeFlowLogs', 'ec2:CreateFlowLogs', 'ec2:DeleteFlowLogs', 'ec2:CreateTags'], ['*']);
    // EnsureEventForwarding.
    allow('ForwardingRule', ['events:DescribeRule', 'events:PutRule', 'events:PutTargets', 'events:ListTargetsByRule'], [`arn:${partition}:events:*:${account}:rule/${FORWARDING_RULE_NAME}`]);
    // EnsureGuardDuty, OffboardRegion (in the administrator account for the member calls).
    allow(
      'GuardDutyMembership',
      ['guardduty:ListDetectors', 'guardduty:CreateDetector', 'guardduty:GetMembers', 'guardduty:CreateMembers', 'guardduty:InviteMembers', 'guardduty:ListInvitations', 'guardduty:AcceptAdministratorInvitation', 'guardduty:DescribeOrganizationConfiguration', 'guardduty:UpdateOrganizationConfiguration', 'guardduty:DisassociateMembers', 'guardduty:DeleteMembers'],
      ['*'],
    );
    allow('GuardDutyServiceLinkedRole', ['iam:CreateServiceLinkedRole'], [`arn:${partition}:iam::${account}:role/aws-service-role/guardduty.amazonaws.com/*`], { StringEquals: { 'iam:AWSServiceName': 'guardduty.amazonaws.com' } });
    // PutSubscriptionFilter and PutAccountPolicy name the delivery role; CreateFlowLogs the flow-logs role; PutTargets the forwarding role.
    allow('PassServiceRoles', ['iam:PassRole'], [logsDelivery.roleArn, flowLogsDelivery.roleArn, eventForwarding.roleArn], {
      StringEquals: { 'iam:PassedToService': ['logs.amazonaws.com', 'vpc-flow-logs.amazonaws.com', 'events.amazonaws.com'] },
    });
    ack(member, 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:*:<AWS::AccountId>:log-group:*]', 'Tributary subscribes every log group of the account that is not excluded; which ones is decided per group by the task.');
    ack(member, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:*:${logging}:destination:${DESTINATION_NAME}]`, 'One central destination of this name per governed region.');
    ack(member, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:events:*:<AWS::AccountId>:rule/${FORWARDING_RULE_NAME}]`, 'The one forwarding rule, in every governed region.');
    ack(member, 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/aws-service-role/guardduty.amazonaws.com/*]', 'GuardDuty creates its service-linked role on the first detector; the condition limits it to that service.');
    ack(member, 'AwsSolutions-IAM5[Resource::*]', 'Account policies, VPC and flow log reads and creation, and GuardDuty detectors and members accept no resource-level permission for these calls (or not before the resource exists).');
  }
}
