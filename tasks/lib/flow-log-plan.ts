/**
 * The decision behind Tributary's flow log on a VPC: existing flow logs + desired -> plan. Pure.
 * Flow logs cannot be modified, so a stale one of ours is replaced; foreign ones are never touched.
 */
import { FLOW_LOG_OWNER_TAG } from './ownership';

export interface ExistingFlowLog {
  readonly FlowLogId: string;
  readonly TrafficType?: string;
  readonly LogDestinationType?: string;
  readonly LogGroupName?: string;
  readonly LogDestination?: string;
  readonly DeliverLogsPermissionArn?: string;
  readonly Tags?: ReadonlyArray<{ Key?: string; Value?: string }>;
}

export interface DesiredFlowLog {
  readonly TrafficType: 'ALL' | 'ACCEPT' | 'REJECT';
  readonly LogDestinationType: 'cloud-watch-logs' | 's3';
  /** Log group name (cloud-watch-logs) or bucket ARN with prefix (s3). */
  readonly destination: string;
  readonly DeliverLogsPermissionArn?: string;
}

export type FlowLogPlan =
  | { readonly kind: 'in-place' }
  /** Delete these (our duplicates, or our stale one), then create ours when `create`. */
  | { readonly kind: 'change'; readonly deleteIds: readonly string[]; readonly create: boolean; readonly reason: 'create' | 'replace' | 'dedupe' };

export function isOwnedFlowLog(flowLog: ExistingFlowLog): boolean {
  return (flowLog.Tags ?? []).some((t) => t.Key === FLOW_LOG_OWNER_TAG.Key && t.Value === FLOW_LOG_OWNER_TAG.Value);
}

function matches(flowLog: ExistingFlowLog, desired: DesiredFlowLog): boolean {
  return (
    flowLog.TrafficType === desired.TrafficType &&
    flowLog.LogDestinationType === desired.LogDestinationType &&
    (flowLog.LogGroupName ?? flowLog.LogDestination) === desired.destination &&
    (desired.LogDestinationType === 's3' || flowLog.DeliverLogsPermissionArn === desired.DeliverLogsPermissionArn)
  );
}

export function planFlowLog(existing: readonly ExistingFlowLog[], desired: DesiredFlowLog): FlowLogPlan {
  const ours = existing.filter(isOwnedFlowLog);
  if (ours.length === 0) return { kind: 'change', deleteIds: [], create: true, reason: 'create' };
  const keep = ours.find((f) => matches(f, desired));
  if (!keep) return { kind: 'change', deleteIds: ours.map((f) => f.FlowLogId), create: true, reason: 'replace' };
  const extras = ours.filter((f) => f !== keep).map((f) => f.FlowLogId);
  return extras.length === 0 ? { kind: 'in-place' } : { kind: 'change', deleteIds: extras, create: false, reason: 'dedupe' };
}
