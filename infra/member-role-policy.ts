/**
 * The member roles (deployed in every account by the member baseline), one per task: who may assume
 * each and what it may do, statement by statement, each with the task operations that need it.
 * One pure function of the config, used by the stack (with CloudFormation tokens for partition and
 * account), by the simulator (which refuses any call this policy does not allow) and by the
 * generated permissions reference (docs/permissions.md).
 */
import type { TributaryConfig } from '../tasks/lib/config';
import type { TaskName } from '../tasks/registry';
import {
  DESTINATION_NAME,
  EVENT_FORWARDING_ROLE_NAME,
  FLOW_LOG_OWNER_TAG,
  FLOW_LOGS_LOG_GROUP,
  FLOW_LOGS_ROLE_NAME,
  FORWARDING_RULE_NAME,
  LOGS_DELIVERY_ROLE_NAME,
  memberRoleNameFor,
} from '../tasks/lib/ownership';
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

/** Tasks that assume a member role: the tasks with the `assume-member-role` permission. */
export function memberRoleCallers(): TaskName[] {
  return (Object.keys(TASK_PERMISSIONS) as TaskName[]).filter((task) => TASK_PERMISSIONS[task].includes('assume-member-role')).sort();
}

/** The task's own Lambda role; its member role trusts exactly this ARN. */
export function taskRoleName(task: TaskName): string {
  return `tributary-task-${task}`;
}

/** Trust: the orchestration account, and within it only `task`'s own role, of this organization. */
export function memberRoleTrust(config: TributaryConfig, partition: string, task: TaskName): { readonly principal: string; readonly condition: Condition } {
  const orchestration = config.accounts.orchestration;
  return {
    principal: `arn:${partition}:iam::${orchestration}:root`,
    condition: {
      ArnEquals: { 'aws:PrincipalArn': `arn:${partition}:iam::${orchestration}:role/${taskRoleName(task)}` },
      StringEquals: { 'aws:PrincipalOrgID': config.organizationId },
    },
  };
}

/** A trust as a policy document, as IAM holds it (the simulator decides AssumeRole by it). */
export function trustPolicyDocument({ principal, condition }: { readonly principal: string; readonly condition: Condition }): {
  readonly Version: string;
  readonly Statement: readonly unknown[];
} {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole', Condition: condition }] };
}

export interface MemberRole {
  readonly task: TaskName;
  /** `<memberRoleName>-<Task>`. */
  readonly roleName: string;
  /** The statements `task` needs, and no other: none for a task that only tests that the baseline is there. */
  readonly grants: readonly Grant[];
}

/** Every member role the baseline deploys: one per task that works in member accounts. */
export function memberRoles(config: TributaryConfig, where: Where): MemberRole[] {
  const grants = memberRoleGrants(config, where);
  return memberRoleCallers().map((task) => ({
    task,
    roleName: memberRoleNameFor(config.memberRoleName, task),
    grants: grants.filter((grant) => grant.usedBy.includes(task)),
  }));
}

/** Every statement a task might need in a member account, each with the tasks that need it. */
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
  const passRole = (Sid: string, roleName: string, service: string, usedBy: string[]): Grant =>
    grant(Sid, ['iam:PassRole'], [`arn:${partition}:iam::${account}:role/${roleName}`], usedBy, {
      Condition: { StringEquals: { 'iam:PassedToService': service } },
    });
  // The flow-log tasks subscribe the flow-log group they create (flow logs destination log-group).
  const flowLogGroupSubscribers = config.flowLogs.enabled && config.flowLogs.destination === 'log-group' ? ['EnsureFlowLogsPage', 'EnableFlowLogs'] : [];
  const flowLogGroup = `arn:${partition}:logs:*:${account}:log-group:${FLOW_LOGS_LOG_GROUP}`;
  // EnsureAccountPolicy runs in subscription mode account-policy only.
  const accountPolicyWriters = config.subscription.mode === 'account-policy' ? ['EnsureAccountPolicy'] : [];
  // The backfill reads history (config `backfill`); without it no role may read log events.
  const backfillers = config.backfill ? ['BackfillLogGroups'] : [];
  const grants: Grant[] = [
    ...(config.backfill
      ? [
          grant('ReadLogHistory', ['logs:FilterLogEvents'], [logGroups], backfillers, {
            note: 'The backfill archives the history of the groups Tributary subscribed, once (config backfill).',
          }),
        ]
      : []),
    grant(
      'ListLogGroups',
      ['logs:DescribeLogGroups'],
      ['*'],
      ['SubscribeLogGroup', 'SubscribeLogGroupsPage', ...accountPolicyWriters, 'RemoveWiring', ...backfillers],
      {
        note: 'DescribeLogGroups supports no resource type (Service Authorization Reference).',
      },
    ),
    grant(
      'ReadSubscriptionFilters',
      ['logs:DescribeSubscriptionFilters'],
      [logGroups],
      ['SubscribeLogGroup', 'SubscribeLogGroupsPage', ...accountPolicyWriters, 'RemoveWiring', ...backfillers],
      {
        note: 'Reading a subscription filter policy (DescribeAccountPolicies) needs it too (API_DescribeAccountPolicies).',
      },
    ),
    grant('SubscribeLogGroups', ['logs:PutSubscriptionFilter'], [logGroups], ['SubscribeLogGroup', 'SubscribeLogGroupsPage', ...accountPolicyWriters], {
      note: 'Any group of the account may be the one subscribed; exclusions are decided per group by the task. Only the filter of the exact name tributary-central-logging is ever written. Writing a subscription filter policy (PutAccountPolicy) needs it too (API_PutAccountPolicy).',
    }),
    grant(
      'SubscribeToCentralDestination',
      ['logs:PutSubscriptionFilter'],
      [destinations],
      ['SubscribeLogGroup', 'SubscribeLogGroupsPage', ...flowLogGroupSubscribers],
      { note: 'The destination side of PutSubscriptionFilter: only the central destinations.' },
    ),
    passRole('PassLogsDeliveryRole', LOGS_DELIVERY_ROLE_NAME, 'logs.amazonaws.com', [
      'SubscribeLogGroup',
      'SubscribeLogGroupsPage',
      ...accountPolicyWriters,
      ...flowLogGroupSubscribers,
    ]),
    passRole('PassEventForwardingRole', EVENT_FORWARDING_ROLE_NAME, 'events.amazonaws.com', ['EnsureEventForwarding']),
    grant('ReadDestinations', ['logs:DescribeDestinations'], ['*'], ['EnsureDestinationAccess', 'ReconcileDestinationAccess', 'FindDepartedAccounts'], {
      Condition: onlyIn(logging),
      note: 'DescribeDestinations supports no resource type; the condition makes it usable in the logging account only.',
    }),
    grant('KeepDestinationAccountList', ['logs:PutDestinationPolicy'], [destinations], ['EnsureDestinationAccess'], {
      note: 'The one destination writer. Resolves to the logging account only (the ARN names it).',
    }),
  ];
  if (config.subscription.mode === 'account-policy') {
    grants.push(
      grant('ReadAccountPolicies', ['logs:DescribeAccountPolicies'], ['*'], ['SubscribeLogGroup', 'EnsureAccountPolicy', 'RemoveWiring'], {
        note: 'Account policies support no resource type: granted only in subscription mode account-policy.',
      }),
      grant('AccountSubscriptionPolicy', ['logs:PutAccountPolicy'], ['*'], ['EnsureAccountPolicy', 'SubscribeLogGroup'], {
        note: 'Account policies support no resource type or condition key: granted only in subscription mode account-policy. Guard it with the SCP in docs/permissions.md.',
      }),
    );
  }
  if (config.flowLogs.enabled) {
    grants.push(
      grant('ReadNetwork', ['ec2:DescribeVpcs', 'ec2:DescribeFlowLogs'], ['*'], ['EnsureFlowLogsPage', 'EnableFlowLogs', 'RemoveWiring'], {
        note: 'Describe calls support no resource type.',
      }),
      passRole('PassFlowLogsRole', FLOW_LOGS_ROLE_NAME, 'vpc-flow-logs.amazonaws.com', ['EnsureFlowLogsPage', 'EnableFlowLogs']),
      grant(
        'CreateFlowLogs',
        ['ec2:CreateFlowLogs'],
        [`arn:${partition}:ec2:*:${account}:vpc/*`, `arn:${partition}:ec2:*:${account}:vpc-flow-log/*`],
        ['EnsureFlowLogsPage', 'EnableFlowLogs'],
      ),
      grant('TagFlowLogsAtCreation', ['ec2:CreateTags'], [`arn:${partition}:ec2:*:${account}:vpc-flow-log/*`], ['EnsureFlowLogsPage', 'EnableFlowLogs'], {
        Condition: { StringEquals: { 'ec2:CreateAction': 'CreateFlowLogs' } },
        note: 'Tags only as part of CreateFlowLogs: no other resource can be tagged.',
      }),
      grant(
        'DeleteOwnFlowLogs',
        ['ec2:DeleteFlowLogs'],
        [`arn:${partition}:ec2:*:${account}:vpc-flow-log/*`],
        ['EnsureFlowLogsPage', 'EnableFlowLogs', 'RemoveWiring'],
        {
          Condition: { StringEquals: { [`aws:ResourceTag/${FLOW_LOG_OWNER_TAG.Key}`]: FLOW_LOG_OWNER_TAG.Value } },
          note: "Only flow logs tagged as Tributary's.",
        },
      ),
    );
    if (config.flowLogs.destination === 's3') {
      grants.push(
        grant('FlowLogDelivery', ['logs:CreateLogDelivery', 'logs:DeleteLogDelivery'], ['*'], ['EnsureFlowLogsPage', 'EnableFlowLogs', 'RemoveWiring'], {
          note: 'A flow log to S3 is a log delivery, which its creator sets up and removes (VPC user guide, flow-logs-s3-iam); these actions support no resource type.',
        }),
      );
    }
    if (config.flowLogs.destination === 'log-group') {
      grants.push(
        grant('SubscribeFlowLogGroup', ['logs:DescribeSubscriptionFilters', 'logs:PutSubscriptionFilter'], [flowLogGroup], flowLogGroupSubscribers, {
          note: 'Only the flow-log group the task creates.',
        }),
      );
      grants.push(grant('CreateFlowLogGroup', ['logs:CreateLogGroup'], [flowLogGroup, `${flowLogGroup}:*`], ['EnsureFlowLogsPage', 'EnableFlowLogs']));
    }
  }
  const forwardingRule = [`arn:${partition}:events:*:${account}:rule/${FORWARDING_RULE_NAME}`];
  grants.push(
    grant('ReadForwardingRule', ['events:DescribeRule', 'events:ListTargetsByRule'], forwardingRule, ['EnsureEventForwarding', 'RemoveWiring']),
    grant('ForwardingRule', ['events:PutRule', 'events:PutTargets'], forwardingRule, ['EnsureEventForwarding']),
  );
  // Offboarding with removeWiring: Tributary's own filters (exact name, our destination), rule and flow logs.
  grants.push(
    grant('RemoveOwnFilters', ['logs:DeleteSubscriptionFilter'], [logGroups], ['RemoveWiring'], {
      note: 'No condition key names the filter: the task deletes only the filter of the exact name tributary-central-logging that points at our destination.',
    }),
    grant('RemoveForwardingRule', ['events:RemoveTargets', 'events:DeleteRule'], forwardingRule, ['RemoveWiring']),
  );
  if (config.subscription.mode === 'account-policy')
    grants.push(
      grant('RemoveAccountPolicy', ['logs:DeleteAccountPolicy'], ['*'], ['RemoveWiring'], {
        note: 'Account policies support no resource type; the task deletes only tributary-central-logging pointing at our destination.',
      }),
    );
  if (config.guardDuty.mode !== 'off') {
    const inAdministrator = {
      Condition: onlyIn(config.guardDuty.administratorAccount),
      note: 'No resource type; the condition makes the administrator calls usable in the administrator account only.',
    };
    grants.push(
      grant('ReadGuardDutyDetectors', ['guardduty:ListDetectors'], ['*'], ['EnsureGuardDuty', 'OffboardRegion', 'FindDepartedAccounts'], {
        note: 'GuardDuty supports no resource type for these calls.',
      }),
      grant(
        'GuardDutyMember',
        ['guardduty:CreateDetector', 'guardduty:ListInvitations', 'guardduty:AcceptAdministratorInvitation'],
        ['*'],
        ['EnsureGuardDuty'],
        { note: 'GuardDuty supports no resource type for these calls.' },
      ),
      grant(
        'ReadGuardDutyMembers',
        ['guardduty:GetMembers', 'guardduty:ListMembers', 'guardduty:DescribeOrganizationConfiguration'],
        ['*'],
        ['EnsureGuardDuty', 'OffboardRegion', 'FindDepartedAccounts'],
        inAdministrator,
      ),
      grant(
        'AddGuardDutyMembers',
        ['guardduty:CreateMembers', 'guardduty:InviteMembers', 'guardduty:UpdateOrganizationConfiguration'],
        ['*'],
        ['EnsureGuardDuty'],
        inAdministrator,
      ),
      grant('RemoveGuardDutyMembers', ['guardduty:DisassociateMembers', 'guardduty:DeleteMembers'], ['*'], ['OffboardRegion'], inAdministrator),
      grant(
        'GuardDutyServiceLinkedRole',
        ['iam:CreateServiceLinkedRole'],
        [`arn:${partition}:iam::${account}:role/aws-service-role/guardduty.amazonaws.com/*`],
        ['EnsureGuardDuty'],
        { Condition: { StringEquals: { 'iam:AWSServiceName': 'guardduty.amazonaws.com' } } },
      ),
    );
  }
  return grants;
}

/** The read-only role `tributary plan` assumes in every account: `<memberRoleName>-Plan`. */
export function planRoleName(config: Pick<TributaryConfig, 'memberRoleName'>): string {
  return memberRoleNameFor(config.memberRoleName, 'Plan');
}

/** Only reads: the verbs the Service Authorization Reference classes as List or Read for these services. */
const READ_ACTION = /^[a-z0-9-]+:(Describe|List|Get)[A-Za-z]*$/;

/**
 * The plan role's statements: every read the tasks make in member accounts (each task grant, its
 * write actions taken out), and the CloudTrail reads with which `plan` checks the trail. Nothing
 * that writes: a stolen plan credential can see, not change.
 */
export function planRoleGrants(config: TributaryConfig, where: Where): Grant[] {
  const reads = memberRoleGrants(config, where)
    .map((grant) => ({ ...grant, statement: { ...grant.statement, Action: grant.statement.Action.filter((a) => READ_ACTION.test(a)) }, usedBy: ['plan'] }))
    .filter((grant) => grant.statement.Action.length > 0)
    // iam:PassRole is authorization, not a read of anything.
    .filter((grant) => !grant.statement.Action.every((a) => a === 'iam:PassRole'));
  return [
    ...reads,
    {
      statement: { Sid: 'ListTrails', Effect: 'Allow', Action: ['cloudtrail:DescribeTrails'], Resource: ['*'] },
      usedBy: ['plan'],
      note: 'DescribeTrails supports no resource type.',
    },
    {
      statement: {
        Sid: 'ReadTrails',
        Effect: 'Allow',
        Action: ['cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors'],
        Resource: [`arn:${where.partition}:cloudtrail:*:*:trail/*`],
      },
      usedBy: ['plan'],
      note: "The organization trail is the management account's, seen here as a shadow trail.",
    },
  ];
}

/** Who may assume the plan role: `config.planRolePrincipal` (by default the orchestration account), inside the organization. */
export function planRoleTrust(config: TributaryConfig, partition: string): { readonly principal: string; readonly condition: Condition } {
  return {
    principal: config.planRolePrincipal ?? `arn:${partition}:iam::${config.accounts.orchestration}:root`,
    condition: { StringEquals: { 'aws:PrincipalOrgID': config.organizationId } },
  };
}

/** A role the baseline deploys for Tributary to assume in every account: one per task, and the plan role. */
export interface BaselineRole {
  /** Its construct id in the baseline template. */
  readonly id: string;
  readonly roleName: string;
  readonly description: string;
  readonly trust: { readonly principal: string; readonly condition: Condition };
  readonly grants: readonly Grant[];
}

/** Every role the baseline deploys for Tributary to assume: the stack deploys them, the simulator decides calls by them. */
export function baselineRoles(config: TributaryConfig, where: Where): BaselineRole[] {
  return [
    ...memberRoles(config, where).map((role) => ({
      id: `Member${role.task}`,
      roleName: role.roleName,
      description: `Tributary: the orchestrator's ${role.task} task in this account`,
      trust: memberRoleTrust(config, where.partition, role.task),
      grants: role.grants,
    })),
    {
      id: 'Plan',
      roleName: planRoleName(config),
      description: 'Tributary: tributary plan reads this account (read-only)',
      trust: planRoleTrust(config, where.partition),
      grants: planRoleGrants(config, where),
    },
  ];
}
