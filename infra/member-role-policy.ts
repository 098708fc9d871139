/**
 * The member role (deployed in every account by the member baseline): who may assume it and what
 * it may do, statement by statement, each with the task operations that need it. One pure
 * function of the config, used by the stack (with CloudFormation tokens for partition and
 * account), by the simulator (which refuses any call this policy does not allow) and by the
 * generated permissions reference (docs/permissions.md).
 */
import type { TributaryConfig } from './config/schema';
import type { TaskName } from '../workflows/catalog';
import { DESTINATION_NAME, EVENT_FORWARDING_ROLE_NAME, FLOW_LOG_OWNER_TAG, FLOW_LOGS_LOG_GROUP, FLOW_LOGS_ROLE_NAME, FORWARDING_RULE_NAME, LOGS_DELIVERY_ROLE_NAME } from '../tasks/lib/ownership';
import { TASK_PERMISSIONS } from './task-permissions';

export type Condition = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

export interface StatementJson {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Condition;
}

export interface Grant {
  readonly statement: StatementJson;
  /** The task operations that make these calls. */
  readonly usedBy: readonly string[];
  /** Why the resource is `*` or the condition is what it is, where it is not obvious. */
  readonly note?: string;
}

export interface Where {
  readonly partition: string;
  /** The account the role is in. */
  readonly account: string;
}

/** Task roles that assume the member role: the tasks with the `assume-member-role` permission. */
export function memberRoleCallers(): TaskName[] {
  return (Object.keys(TASK_PERMISSIONS) as TaskName[]).filter((task) => TASK_PERMISSIONS[task].includes('assume-member-role')).sort();
}

/** The task role's name; the member role trusts exactly these ARNs. */
export function taskRoleName(task: TaskName): string {
  return `tributary-task-${task}`;
}

/** Trust: the orchestration account, and within it only these exact role ARNs, of this organization. */
export function memberRoleTrust(config: TributaryConfig, partition: string): { readonly principal: string; readonly condition: Condition } {
  const orchestration = config.accounts.orchestration;
  return {
    principal: `arn:${partition}:iam::${orchestration}:root`,
    condition: {
      ArnEquals: { 'aws:PrincipalArn': memberRoleCallers().map((task) => `arn:${partition}:iam::${orchestration}:role/${taskRoleName(task)}`) },
      StringEquals: { 'aws:PrincipalOrgID': config.organizationId },
    },
  };
}

/** The member role's trust policy document, as the baseline deploys it (the simulator decides AssumeRole by it). */
export function memberRoleTrustPolicy(config: TributaryConfig, partition: string): { readonly Version: string; readonly Statement: readonly unknown[] } {
  const { principal, condition } = memberRoleTrust(config, partition);
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole', Condition: condition }] };
}

export function memberRoleGrants(config: TributaryConfig, { partition, account }: Where): Grant[] {
  const logging = config.accounts.logging;
  const logGroups = `arn:${partition}:logs:*:${account}:log-group:*`;
  const destinations = `arn:${partition}:logs:*:${logging}:destination:${DESTINATION_NAME}`;
  const grant = (Sid: string, Action: string[], Resource: string[], usedBy: string[], extra: { Condition?: Condition; note?: string } = {}): Grant => ({
    statement: { Sid, Effect: 'Allow', Action, Resource, ...(extra.Condition ? { Condition: extra.Condition } : {}) },
    usedBy,
    ...(extra.note ? { note: extra.note } : {}),
  });
  const onlyIn = (accountId: string): Condition => ({ StringEquals: { 'aws:PrincipalAccount': accountId } });
  const grants: Grant[] = [
    grant('ListLogGroups', ['logs:DescribeLogGroups'], ['*'], ['SubscribeLogGroupsPage', 'EnsureAccountPolicy', 'RemoveWiring'], { note: 'DescribeLogGroups supports no resource type (Service Authorization Reference).' }),
    grant('SubscribeLogGroups', ['logs:DescribeSubscriptionFilters', 'logs:PutSubscriptionFilter'], [logGroups], ['SubscribeLogGroup', 'SubscribeLogGroupsPage', 'RemoveWiring'], { note: 'Any group of the account may be the one subscribed; exclusions are decided per group by the task. Only the filter of the exact name tributary-central-logging is ever written.' }),
    grant('SubscribeToCentralDestination', ['logs:PutSubscriptionFilter'], [destinations], ['SubscribeLogGroup', 'SubscribeLogGroupsPage'], { note: 'The destination side of PutSubscriptionFilter: only the central destinations.' }),
    grant('PassServiceRoles', ['iam:PassRole'], [LOGS_DELIVERY_ROLE_NAME, FLOW_LOGS_ROLE_NAME, EVENT_FORWARDING_ROLE_NAME].map((name) => `arn:${partition}:iam::${account}:role/${name}`), ['SubscribeLogGroup', 'SubscribeLogGroupsPage', 'EnsureAccountPolicy', 'EnsureFlowLogsPage', 'EnableFlowLogs', 'EnsureEventForwarding'], {
      Condition: { StringEquals: { 'iam:PassedToService': ['logs.amazonaws.com', 'vpc-flow-logs.amazonaws.com', 'events.amazonaws.com'] } },
    }),
    grant('ReadDestinations', ['logs:DescribeDestinations'], ['*'], ['EnsureDestinationAccess', 'OffboardRegion', 'ReconcileDestinationAccess', 'FindDepartedAccounts'], { Condition: onlyIn(logging), note: 'DescribeDestinations supports no resource type; the condition makes it usable in the logging account only.' }),
    grant('KeepDestinationAccountList', ['logs:PutDestinationPolicy'], [destinations], ['EnsureDestinationAccess', 'OffboardRegion', 'ReconcileDestinationAccess'], { note: 'Resolves to the logging account only (the ARN names it).' }),
  ];
  if (config.subscription.mode === 'account-policy') {
    grants.push(
      grant('AccountSubscriptionPolicy', ['logs:DescribeAccountPolicies', 'logs:PutAccountPolicy'], ['*'], ['EnsureAccountPolicy'], {
        note: 'Account policies support no resource type or condition key: granted only in subscription mode account-policy. Guard it with the SCP in docs/permissions.md.',
      }),
    );
  }
  if (config.flowLogs.enabled) {
    grants.push(
      grant('ReadNetwork', ['ec2:DescribeVpcs', 'ec2:DescribeFlowLogs'], ['*'], ['EnsureFlowLogsPage', 'EnableFlowLogs', 'RemoveWiring'], { note: 'Describe calls support no resource type.' }),
      grant('CreateFlowLogs', ['ec2:CreateFlowLogs'], [`arn:${partition}:ec2:*:${account}:vpc/*`, `arn:${partition}:ec2:*:${account}:vpc-flow-log/*`], ['EnsureFlowLogsPage', 'EnableFlowLogs']),
      grant('TagFlowLogsAtCreation', ['ec2:CreateTags'], [`arn:${partition}:ec2:*:${account}:vpc-flow-log/*`], ['EnsureFlowLogsPage', 'EnableFlowLogs'], { Condition: { StringEquals: { 'ec2:CreateAction': 'CreateFlowLogs' } }, note: 'Tags only as part of CreateFlowLogs: no other resource can be tagged.' }),
      grant('DeleteOwnFlowLogs', ['ec2:DeleteFlowLogs'], [`arn:${partition}:ec2:*:${account}:vpc-flow-log/*`], ['EnsureFlowLogsPage', 'EnableFlowLogs', 'RemoveWiring'], { Condition: { StringEquals: { [`aws:ResourceTag/${FLOW_LOG_OWNER_TAG.Key}`]: FLOW_LOG_OWNER_TAG.Value } }, note: 'Only flow logs tagged as Tributary\'s.' }),
    );
    if (config.flowLogs.destination === 'log-group') {
      grants.push(grant('CreateFlowLogGroup', ['logs:CreateLogGroup'], [`arn:${partition}:logs:*:${account}:log-group:${FLOW_LOGS_LOG_GROUP}`, `arn:${partition}:logs:*:${account}:log-group:${FLOW_LOGS_LOG_GROUP}:*`], ['EnsureFlowLogsPage', 'EnableFlowLogs']));
    }
  }
  grants.push(grant('ForwardingRule', ['events:DescribeRule', 'events:PutRule', 'events:PutTargets', 'events:ListTargetsByRule'], [`arn:${partition}:events:*:${account}:rule/${FORWARDING_RULE_NAME}`], ['EnsureEventForwarding', 'RemoveWiring']));
  // Offboarding with removeWiring: Tributary's own filters (exact name, our destination), rule and flow logs.
  grants.push(
    grant('RemoveOwnFilters', ['logs:DeleteSubscriptionFilter'], [logGroups], ['RemoveWiring'], { note: 'No condition key names the filter: the task deletes only the filter of the exact name tributary-central-logging that points at our destination.' }),
    grant('RemoveForwardingRule', ['events:RemoveTargets', 'events:DeleteRule'], [`arn:${partition}:events:*:${account}:rule/${FORWARDING_RULE_NAME}`], ['RemoveWiring']),
  );
  if (config.subscription.mode === 'account-policy') grants.push(grant('RemoveAccountPolicy', ['logs:DeleteAccountPolicy'], ['*'], ['RemoveWiring'], { note: 'Account policies support no resource type; the task deletes only tributary-central-logging pointing at our destination.' }));
  if (config.guardDuty.mode !== 'off') {
    const administrator = config.guardDuty.administratorAccount;
    grants.push(
      grant('GuardDutyMember', ['guardduty:ListDetectors', 'guardduty:CreateDetector', 'guardduty:ListInvitations', 'guardduty:AcceptAdministratorInvitation'], ['*'], ['EnsureGuardDuty', 'OffboardRegion', 'FindDepartedAccounts'], { note: 'GuardDuty supports no resource type for these calls.' }),
      grant(
        'GuardDutyAdministrator',
        ['guardduty:GetMembers', 'guardduty:ListMembers', 'guardduty:CreateMembers', 'guardduty:InviteMembers', 'guardduty:DescribeOrganizationConfiguration', 'guardduty:UpdateOrganizationConfiguration', 'guardduty:DisassociateMembers', 'guardduty:DeleteMembers'],
        ['*'],
        ['EnsureGuardDuty', 'OffboardRegion', 'FindDepartedAccounts'],
        { Condition: onlyIn(administrator), note: 'No resource type; the condition makes the administrator calls usable in the administrator account only.' },
      ),
      grant('GuardDutyServiceLinkedRole', ['iam:CreateServiceLinkedRole'], [`arn:${partition}:iam::${account}:role/aws-service-role/guardduty.amazonaws.com/*`], ['EnsureGuardDuty'], { Condition: { StringEquals: { 'iam:AWSServiceName': 'guardduty.amazonaws.com' } } }),
    );
  }
  return grants;
}
