/**
 * What each task Lambda may do, justified by the calls it makes. Typed by TaskName, so a new task
 * does not compile until its permissions are stated here.
 */
import type { TaskName } from '../tasks/registry';
import type { TributaryConfig } from '../tasks/lib/config';
import type { StatementJson } from './member-role-policy';
import { ORGANIZATION_ACCOUNTS_KEY } from '../tasks/lib/organization-accounts';
import { HUB_BUS_NAME, memberRoleNameFor } from '../tasks/lib/ownership';
import { BACKFILL_KEY_PREFIX } from '../tasks/lib/backfill-records';
import { archiveBucketName } from '../tasks/lib/resource-names';
import { backfillWriterStatements } from './backfill-writer-policy';

export type TaskPermission =
  /** sts:AssumeRole on the task's own member role, in accounts of the organization only. */
  | 'assume-member-role'
  /** organizations:DescribeAccount (ACTIVE check, GuardDuty member email). */
  | 'describe-account'
  /** organizations:ListAccounts (reconcile). */
  | 'list-accounts'
  /** account:ListRegions for member accounts (governed regions they enabled). */
  | 'list-regions'
  /** The lease lock and intent items of account-list destination policies (keys under `destination-`). */
  | 'destination-lock'
  /** The reconcile lease and each run's per-account records (keys under `reconcile/`). */
  | 'reconcile-records'
  /** The record processor's list of the organization's accounts (key `organization-accounts`). */
  | 'organization-accounts'
  /** Repairs counted per tampered resource and hour (keys under `tamper/`). */
  | 'tamper-records'
  /** events:PutEvents on the hub bus: the SOC's `Tributary Tamper Detected` events. */
  | 'publish-tamper-events'
  /** Each log group's backfill cursor and each account's backfilled bytes (keys under `backfill/`). */
  | 'backfill-records'
  /** s3:PutObject of backfill objects into the archive bucket (logging account), each only if absent. */
  | 'write-backfill-objects';

export const TASK_PERMISSIONS: Readonly<Record<TaskName, readonly TaskPermission[]>> = {
  SubscribeLogGroup: ['assume-member-role'],
  DescribeMemberAccount: ['describe-account', 'list-regions'],
  CheckBaselineRole: ['assume-member-role'],
  CheckRegion: [],
  EnsureEventForwarding: ['assume-member-role'],
  SubscribeLogGroupsPage: ['assume-member-role'],
  EnsureDestinationAccess: ['assume-member-role', 'destination-lock', 'organization-accounts'],
  EnsureFlowLogsPage: ['assume-member-role'],
  EnableFlowLogs: ['assume-member-role'],
  EnsureGuardDuty: ['assume-member-role', 'describe-account'],
  GovernedRegions: ['describe-account'],
  OffboardRegion: ['assume-member-role'],
  EnsureAccountPolicy: ['assume-member-role'],
  ListActiveAccounts: ['list-accounts'],
  AccountDrift: ['reconcile-records'],
  ReportDrift: ['reconcile-records'],
  CheckOutcome: [],
  AcquireReconcileLease: ['reconcile-records'],
  ReleaseReconcileLease: ['reconcile-records'],
  ReconcileDestinationAccess: ['assume-member-role', 'destination-lock', 'list-accounts', 'organization-accounts'],
  RemoveWiring: ['assume-member-role'],
  FindDepartedAccounts: ['assume-member-role', 'list-accounts'],
  CheckTamperBound: ['tamper-records'],
  ReportTampering: ['tamper-records', 'publish-tamper-events'],
  BackfillLogGroups: ['assume-member-role', 'backfill-records', 'write-backfill-objects'],
};

type Where = { readonly partition: string; readonly lockTableArn: string };

/**
 * A task role's statements (its own log group aside): one pure function of the config, used by the
 * task construct and by the simulator, which refuses a task's hub call these do not allow.
 */
export function taskRoleStatements(task: TaskName, config: TributaryConfig, where: Where): StatementJson[] {
  return TASK_PERMISSIONS[task].flatMap((permission) => permissionStatements(task, permission, config, where));
}

/** What one permission grants `task`: none where the config leaves it nothing to do. */
export function permissionStatements(task: TaskName, permission: TaskPermission, config: TributaryConfig, where: Where): StatementJson[] {
  return [grant(task, permission, config, where)].flat();
}

function grant(task: TaskName, permission: TaskPermission, config: TributaryConfig, where: Where): StatementJson | StatementJson[] {
  const { partition, lockTableArn } = where;
  /** Items of the hub's lock table whose key matches `keys`: each task reaches only its own items. */
  const lockTableItems = (
    sid: string,
    actions: readonly string[],
    keys: readonly string[],
    match: 'StringLike' | 'StringEquals' = 'StringLike',
  ): StatementJson => ({
    Sid: sid,
    Effect: 'Allow',
    Action: actions.map((a) => `dynamodb:${a}`),
    Resource: [lockTableArn],
    Condition: { [`ForAllValues:${match}`]: { 'dynamodb:LeadingKeys': [...keys] } },
  });
  const management = config.accounts.management;
  const inOrganization = `${management}:account/${config.organizationId}/*`;
  switch (permission) {
    case 'assume-member-role':
      return {
        Sid: 'AssumeMemberRole',
        Effect: 'Allow',
        Action: ['sts:AssumeRole'],
        Resource: [`arn:${partition}:iam::*:role/${memberRoleNameFor(config.memberRoleName, task)}`],
        Condition: { StringEquals: { 'aws:ResourceOrgID': config.organizationId } },
      };
    case 'describe-account':
      return {
        Sid: 'DescribeMemberAccounts',
        Effect: 'Allow',
        Action: ['organizations:DescribeAccount'],
        Resource: [`arn:${partition}:organizations::${inOrganization}`],
      };
    case 'list-accounts':
      return { Sid: 'ListOrganizationAccounts', Effect: 'Allow', Action: ['organizations:ListAccounts'], Resource: ['*'] };
    case 'list-regions':
      return { Sid: 'ListMemberRegions', Effect: 'Allow', Action: ['account:ListRegions'], Resource: [`arn:${partition}:account::${inOrganization}`] };
    case 'destination-lock':
      return lockTableItems('DestinationPolicyLock', ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'], ['destination-policy/*', 'destination-access/*']);
    case 'organization-accounts':
      return lockTableItems('PublishOrganizationAccounts', ['GetItem', 'PutItem', 'UpdateItem'], [ORGANIZATION_ACCOUNTS_KEY], 'StringEquals');
    case 'tamper-records':
      return lockTableItems('TamperRecords', ['GetItem', 'UpdateItem'], ['tamper/*']);
    case 'publish-tamper-events':
      return {
        Sid: 'PublishTamperEvents',
        Effect: 'Allow',
        Action: ['events:PutEvents'],
        Resource: [`arn:${partition}:events:${config.homeRegion}:${config.accounts.orchestration}:event-bus/${HUB_BUS_NAME}`],
      };
    // Without config backfill the task has nothing to do: no grant.
    case 'backfill-records':
      if (!config.backfill) return [];
      return lockTableItems('BackfillRecords', ['GetItem', 'PutItem', 'UpdateItem'], [`${BACKFILL_KEY_PREFIX}*`]);
    case 'write-backfill-objects':
      if (!config.backfill) return [];
      return backfillWriterStatements(partition, archiveBucketName(config.accounts.logging, config.homeRegion));
    case 'reconcile-records':
      return lockTableItems('ReconcileRecords', ['GetItem', 'BatchGetItem', 'PutItem', 'DeleteItem'], ['reconcile/*']);
  }
}
