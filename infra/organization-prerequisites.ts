/**
 * What the organization must grant before Tributary's stacks can work, as the exact commands an
 * administrator of the management account runs: trusted access and delegations, each derived from
 * the config and from what the tasks call (task-permissions.ts), so a new call needs a new grant here.
 */
import type { TributaryConfig } from '../tasks/lib/config';
import { partitionOf } from '../tasks/lib/domain';
import type { StatementJson } from './member-role-policy';
import { TASK_PERMISSIONS, taskRoleStatements } from './task-permissions';
import type { TaskName } from '../tasks/registry';

export interface Prerequisite {
  /** What it enables, in a few words. */
  readonly purpose: string;
  /** The AWS CLI command, run with the management account's credentials. */
  readonly command: string;
}

/** The account `tributary deploy` runs from; every bootstrap trusts it. */
export function deploymentAccount(config: TributaryConfig): string {
  return config.accounts.deployment ?? config.accounts.orchestration;
}

/**
 * The Organizations resource-based delegation policy: the organization reads the task Lambdas make
 * (organizations:DescribeAccount, ListAccounts) are allowed to the orchestration account
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_delegate_policies.html).
 */
export function organizationsDelegationPolicy(config: TributaryConfig): { Version: '2012-10-17'; Statement: StatementJson[] } {
  const partition = partitionOf(config.homeRegion);
  const statements = new Map<string, StatementJson>();
  for (const task of Object.keys(TASK_PERMISSIONS) as TaskName[]) {
    for (const statement of taskRoleStatements(task, config, { partition, lockTableArn: '' })) {
      if (!statement.Action.every((action) => action.startsWith('organizations:'))) continue;
      const { Condition: _condition, ...granted } = statement;
      statements.set(statement.Sid, { ...granted, Principal: { AWS: `arn:${partition}:iam::${config.accounts.orchestration}:root` } } as StatementJson);
    }
  }
  return { Version: '2012-10-17', Statement: [...statements.values()] };
}

export function prerequisites(config: TributaryConfig): Prerequisite[] {
  const orchestration = config.accounts.orchestration;
  const steps: Prerequisite[] = [
    {
      purpose: 'service-managed StackSets deploy the member baseline',
      command: 'aws organizations enable-aws-service-access --service-principal member.org.stacksets.cloudformation.amazonaws.com',
    },
    { purpose: 'StackSets may act in the organization', command: `aws cloudformation activate-organizations-access --region ${config.homeRegion}` },
    {
      purpose: "the tasks list a member account's regions (account:ListRegions --account-id)",
      command: 'aws organizations enable-aws-service-access --service-principal account.amazonaws.com',
    },
    {
      purpose: 'the orchestration account calls Account Management for members',
      command: `aws organizations register-delegated-administrator --account-id ${orchestration} --service-principal account.amazonaws.com`,
    },
    {
      purpose: 'the orchestration account reads accounts (DescribeAccount, ListAccounts)',
      command: `aws organizations put-resource-policy --content '${JSON.stringify(organizationsDelegationPolicy(config))}'`,
    },
  ];
  if (config.cloudTrail === 'create') {
    steps.push({ purpose: 'the organization trail', command: 'aws organizations enable-aws-service-access --service-principal cloudtrail.amazonaws.com' });
  }
  if (config.tamperRepair.serviceControlPolicy === 'deploy') {
    const roots = config.memberBaselineTargets.filter((target) => target.startsWith('r-'));
    // Targets that are OUs do not name the root: the command asks Organizations for it.
    for (const root of roots.length > 0 ? roots : ['"$(aws organizations list-roots --query \'Roots[0].Id\' --output text)"']) {
      steps.push({
        purpose: 'the tamper-prevention SCP can be attached',
        command: `aws organizations enable-policy-type --root-id ${root} --policy-type SERVICE_CONTROL_POLICY`,
      });
    }
  }
  if (config.guardDuty.mode === 'organization') {
    steps.push({
      purpose: 'GuardDuty in the organization',
      command: 'aws organizations enable-aws-service-access --service-principal guardduty.amazonaws.com',
    });
    // A GuardDuty delegation is regional (https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_organizations.html).
    for (const region of config.governedRegions) {
      steps.push({
        purpose: `GuardDuty's delegated administrator in ${region}`,
        command: `aws guardduty enable-organization-admin-account --admin-account-id ${config.guardDuty.administratorAccount} --region ${region}`,
      });
    }
  }
  return steps;
}
