/** Every task by the name the ASL uses (`${<TaskName>FunctionArn}`). */
import { accountDriftTask } from './account-drift';
import { backfillLogGroups } from './backfill-log-groups';
import { acquireReconcileLeaseTask } from './acquire-reconcile-lease';
import { checkBaselineRole } from './check-baseline-role';
import { checkTamperBound } from './check-tamper-bound';
import { checkOutcome } from './check-outcome';
import { checkRegion } from './check-region';
import { describeMemberAccount } from './describe-member-account';
import { enableFlowLogs } from './enable-flow-logs';
import { ensureAccountPolicy } from './ensure-account-policy';
import { ensureDestinationAccess } from './ensure-destination-access';
import { ensureEventForwarding } from './ensure-event-forwarding';
import { ensureFlowLogsPage } from './ensure-flow-logs-page';
import { ensureGuardDuty } from './ensure-guard-duty';
import { findDepartedAccounts } from './find-departed-accounts';
import { governedRegions } from './governed-regions';
import { listActiveAccounts } from './list-active-accounts';
import type { Task } from './lib/context';
import { subscribeLogGroup } from './subscribe-log-group';
import { offboardRegion } from './offboard-region';
import { reconcileDestinationAccess } from './reconcile-destination-access';
import { releaseReconcileLeaseTask } from './release-reconcile-lease';
import { removeWiring } from './remove-wiring';
import { reportDrift } from './report-drift';
import { reportTampering } from './report-tampering';
import { subscribeLogGroupsPage } from './subscribe-log-groups-page';

/** Names of task Lambdas: the ASL refers to each as `${<TaskName>FunctionArn}`. */
export type TaskName =
  | 'SubscribeLogGroup'
  | 'DescribeMemberAccount'
  | 'CheckBaselineRole'
  | 'CheckRegion'
  | 'EnsureEventForwarding'
  | 'SubscribeLogGroupsPage'
  | 'EnsureDestinationAccess'
  | 'EnsureFlowLogsPage'
  | 'EnableFlowLogs'
  | 'EnsureGuardDuty'
  | 'GovernedRegions'
  | 'OffboardRegion'
  | 'EnsureAccountPolicy'
  | 'ListActiveAccounts'
  | 'AccountDrift'
  | 'ReportDrift'
  | 'CheckOutcome'
  | 'AcquireReconcileLease'
  | 'ReleaseReconcileLease'
  | 'ReconcileDestinationAccess'
  | 'RemoveWiring'
  | 'FindDepartedAccounts'
  | 'CheckTamperBound'
  | 'ReportTampering'
  | 'BackfillLogGroups';

export const TASKS: Readonly<Record<TaskName, Task>> = {
  SubscribeLogGroup: subscribeLogGroup,
  DescribeMemberAccount: describeMemberAccount,
  CheckBaselineRole: checkBaselineRole,
  CheckRegion: checkRegion,
  EnsureAccountPolicy: ensureAccountPolicy,
  EnsureDestinationAccess: ensureDestinationAccess,
  EnsureEventForwarding: ensureEventForwarding,
  EnsureFlowLogsPage: ensureFlowLogsPage,
  EnableFlowLogs: enableFlowLogs,
  EnsureGuardDuty: ensureGuardDuty,
  GovernedRegions: governedRegions,
  OffboardRegion: offboardRegion,
  ListActiveAccounts: listActiveAccounts,
  AccountDrift: accountDriftTask,
  ReportDrift: reportDrift,
  SubscribeLogGroupsPage: subscribeLogGroupsPage,
  CheckOutcome: checkOutcome,
  AcquireReconcileLease: acquireReconcileLeaseTask,
  ReleaseReconcileLease: releaseReconcileLeaseTask,
  ReconcileDestinationAccess: reconcileDestinationAccess,
  RemoveWiring: removeWiring,
  FindDepartedAccounts: findDepartedAccounts,
  CheckTamperBound: checkTamperBound,
  ReportTampering: reportTampering,
  BackfillLogGroups: backfillLogGroups,
};
