/**
 * Ensures Tributary's flow log on a batch of VPCs: one DescribeFlowLogs for the batch, a pure plan
 * per VPC, one CreateFlowLogs for every VPC that needs one. With destination `log-group`, the
 * member's flow-log group is created if missing and subscribed like any other.
 */
import { CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateFlowLogsCommand, DeleteFlowLogsCommand } from '@aws-sdk/client-ec2';
import { archiveBucketName } from '../../infra/names';
import { errorName, toTaskError } from './aws-errors';
import type { TaskContext } from './context';
import type { AccountId, LogGroupName, Region, VpcId } from './domain';
import { planFlowLog, type DesiredFlowLog } from './flow-log-plan';
import { flowLogsOf } from './listings';
import { FLOW_LOG_OWNER_TAG, FLOW_LOGS_LOG_GROUP, flowLogsRoleArn } from './ownership';
import { desiredFilter, ensureSubscriptionFilter } from './subscription-filter';

export interface FlowLogCounts {
  created: number;
  replaced: number;
  alreadyEnabled: number;
  failed: number;
}

export interface FlowLogsOutcome {
  readonly counts: FlowLogCounts;
  readonly failures: ReadonlyArray<{ readonly vpcId: string; readonly error: string }>;
}

export function desiredFlowLog(context: TaskContext, accountId: AccountId): DesiredFlowLog {
  const { flowLogs, accounts, homeRegion } = context.config;
  return flowLogs.destination === 'log-group'
    ? { TrafficType: flowLogs.trafficType, LogDestinationType: 'cloud-watch-logs', destination: FLOW_LOGS_LOG_GROUP, DeliverLogsPermissionArn: flowLogsRoleArn(accountId) }
    : { TrafficType: flowLogs.trafficType, LogDestinationType: 's3', destination: `arn:aws:s3:::${archiveBucketName(accounts.logging, homeRegion)}/flow-logs/` };
}

/** The member's flow-log group exists and carries Tributary's subscription filter. */
async function ensureFlowLogGroup(context: TaskContext, accountId: AccountId, region: Region): Promise<void> {
  const logs = await context.clients.logs(accountId, region);
  try {
    await logs.send(new CreateLogGroupCommand({ logGroupName: FLOW_LOGS_LOG_GROUP }));
  } catch (error) {
    if (errorName(error) !== 'ResourceAlreadyExistsException') throw toTaskError(error, `logs:CreateLogGroup ${FLOW_LOGS_LOG_GROUP}`);
  }
  await ensureSubscriptionFilter(logs, FLOW_LOGS_LOG_GROUP as LogGroupName, desiredFilter(context.config, accountId, region));
}

export async function ensureVpcFlowLogs(context: TaskContext, accountId: AccountId, region: Region, vpcIds: readonly VpcId[]): Promise<FlowLogsOutcome> {
  const counts: FlowLogCounts = { created: 0, replaced: 0, alreadyEnabled: 0, failed: 0 };
  const failures: Array<{ vpcId: string; error: string }> = [];
  if (vpcIds.length === 0) return { counts, failures };
  const ec2 = await context.clients.ec2(accountId, region);
  const desired = desiredFlowLog(context, accountId);
  if (desired.LogDestinationType === 'cloud-watch-logs') await ensureFlowLogGroup(context, accountId, region);

  const existing = await flowLogsOf(ec2, `${accountId} ${region}`, vpcIds);

  const toCreate = new Map<VpcId, 'create' | 'replace'>();
  const toDelete: string[] = [];
  for (const vpcId of vpcIds) {
    const plan = planFlowLog(existing.filter((f) => f.ResourceId === vpcId), desired);
    if (plan.kind === 'in-place') {
      counts.alreadyEnabled++;
      continue;
    }
    toDelete.push(...plan.deleteIds);
    if (plan.reason === 'dedupe') counts.alreadyEnabled++;
    else toCreate.set(vpcId, plan.reason);
  }
  try {
    if (toDelete.length > 0) await ec2.send(new DeleteFlowLogsCommand({ FlowLogIds: toDelete }));
    if (toCreate.size > 0) {
      const { Unsuccessful = [] } = await ec2.send(
        new CreateFlowLogsCommand({
          ResourceIds: [...toCreate.keys()],
          ResourceType: 'VPC',
          TrafficType: desired.TrafficType,
          LogDestinationType: desired.LogDestinationType,
          ...(desired.LogDestinationType === 'cloud-watch-logs' ? { LogGroupName: desired.destination, DeliverLogsPermissionArn: desired.DeliverLogsPermissionArn } : { LogDestination: desired.destination }),
          TagSpecifications: [{ ResourceType: 'vpc-flow-log', Tags: [{ ...FLOW_LOG_OWNER_TAG }] }],
        }),
      );
      for (const [vpcId, reason] of toCreate) {
        const failure = Unsuccessful.find((u) => u.ResourceId === vpcId);
        if (!failure) {
          if (reason === 'create') counts.created++;
          else counts.replaced++;
        } else if (failure.Error?.Code === 'FlowLogAlreadyExists') {
          // A flow log with the same configuration already exists (someone else's): the VPC is covered.
          counts.alreadyEnabled++;
        } else {
          counts.failed++;
          failures.push({ vpcId, error: `${failure.Error?.Code}: ${failure.Error?.Message}` });
        }
      }
    }
  } catch (error) {
    throw toTaskError(error, `ec2:CreateFlowLogs ${accountId} ${region}`);
  }
  return { counts, failures };
}
