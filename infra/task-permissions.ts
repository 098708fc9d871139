/**
 * What each task Lambda may do, justified by the calls it makes. Typed by TaskName, so a new task
 * does not compile until its permissions are stated here.
 */
import type { TaskName } from '../workflows/catalog';

export type TaskPermission =
  /** sts:AssumeRole on the member role, in accounts of the organization only. */
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
  | 'reconcile-records';

export const TASK_PERMISSIONS: Readonly<Record<TaskName, readonly TaskPermission[]>> = {
  SubscribeLogGroup: ['assume-member-role'],
  DescribeMemberAccount: ['describe-account', 'list-regions'],
  CheckBaselineRole: ['assume-member-role'],
  CheckRegion: [],
  EnsureEventForwarding: ['assume-member-role'],
  SubscribeLogGroupsPage: ['assume-member-role'],
  EnsureDestinationAccess: ['assume-member-role', 'destination-lock'],
  EnsureFlowLogsPage: ['assume-member-role'],
  EnableFlowLogs: ['assume-member-role'],
  EnsureGuardDuty: ['assume-member-role', 'describe-account'],
  GovernedRegions: [],
  OffboardRegion: ['assume-member-role', 'destination-lock'],
  EnsureAccountPolicy: ['assume-member-role'],
  ListActiveAccounts: ['list-accounts'],
  AccountDrift: ['reconcile-records'],
  ReportDrift: ['reconcile-records'],
  CheckOutcome: [],
  AcquireReconcileLease: ['reconcile-records'],
  ReleaseReconcileLease: ['reconcile-records'],
  ReconcileDestinationAccess: ['assume-member-role', 'destination-lock', 'list-accounts'],
  RemoveWiring: ['assume-member-role'],
};
