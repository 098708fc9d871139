/**
 * Ensures Tributary's flow log on a batch of VPCs: one DescribeFlowLogs for the batch, a pure plan
 * per VPC, one CreateFlowLogs for every VPC that needs one. With destination `log-group`, the
 * member's flow-log group is created if missing and subscribed like any other.
 */
import { CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateFlowLogsCommand, DeleteFlowLogsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { archiveBucketName } from './resource-names';
import { errorName, toTaskError } from './aws-errors';
import type { TaskContext } from './context';
import { partitionOf, type AccountId, type LogGroupName, type Region, type VpcId } from './domain';
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
    ? {
        TrafficType: flowLogs.trafficType,
        LogDestinationType: 'cloud-watch-logs',
        destination: FLOW_LOGS_LOG_GROUP,
        DeliverLogsPermissionArn: flowLogsRoleArn(accountId, homeRegion),
      }
    : {
        TrafficType: flowLogs.trafficType,
        LogDestinationType: 's3',
        destination: `arn:${partitionOf(homeRegion)}:s3:::${archiveBucketName(accounts.logging, homeRegion)}/flow-logs/`,
      };
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
    const plan = planFlowLog(
      existing.filter((f) => f.ResourceId === vpcId),
      desired,
    );
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
    const results = await createFlowLogs(ec2, [...toCreate.keys()], desired);
    for (const [vpcId, reason] of toCreate) {
      const result = results.get(vpcId);
      if (result === 'created') {
        if (reason === 'create') counts.created++;
        else counts.replaced++;
      } else if (result === 'identical') {
        // Someone else's flow log of the same configuration and destination: the VPC is covered.
        counts.alreadyEnabled++;
      } else {
        counts.failed++;
        failures.push({ vpcId, error: result?.error ?? 'no result' });
      }
    }
  } catch (error) {
    throw toTaskError(error, `ec2:CreateFlowLogs ${accountId} ${region}`);
  }
  return { counts, failures };
}

/** EC2's error code for a flow log identical to an existing one (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html). */
const IDENTICAL = 'FlowLogAlreadyExists';

type CreateResult = 'created' | 'identical' | { readonly error: string };

/**
 * Creates our flow log on each VPC. EC2 reports an identical existing flow log as
 * FlowLogAlreadyExists either per VPC in Unsuccessful or, for the whole call, as an exception
 * (both handled by AWS's own CloudFormation flow-log handler): after the exception, each VPC is
 * tried alone, so one such VPC never fails the others.
 */
async function createFlowLogs(ec2: EC2Client, vpcIds: readonly VpcId[], desired: DesiredFlowLog): Promise<Map<VpcId, CreateResult>> {
  const results = new Map<VpcId, CreateResult>();
  if (vpcIds.length === 0) return results;
  const create = (ResourceIds: VpcId[]) =>
    ec2.send(
      new CreateFlowLogsCommand({
        ResourceIds,
        ResourceType: 'VPC',
        TrafficType: desired.TrafficType,
        LogDestinationType: desired.LogDestinationType,
        ...(desired.LogDestinationType === 'cloud-watch-logs'
          ? { LogGroupName: desired.destination, DeliverLogsPermissionArn: desired.DeliverLogsPermissionArn }
          : { LogDestination: desired.destination }),
        TagSpecifications: [{ ResourceType: 'vpc-flow-log', Tags: [{ ...FLOW_LOG_OWNER_TAG }] }],
      }),
    );
  const record = (batch: readonly VpcId[], unsuccessful: ReadonlyArray<{ ResourceId?: string; Error?: { Code?: string; Message?: string } }>) => {
    for (const vpcId of batch) {
      const failure = unsuccessful.find((u) => u.ResourceId === vpcId);
      results.set(
        vpcId,
        !failure ? 'created' : failure.Error?.Code === IDENTICAL ? 'identical' : { error: `${failure.Error?.Code}: ${failure.Error?.Message}` },
      );
    }
  };
  try {
    record(vpcIds, (await create([...vpcIds])).Unsuccessful ?? []);
  } catch (error) {
    if (errorName(error) !== IDENTICAL) throw error;
    for (const vpcId of vpcIds) {
      try {
        record([vpcId], (await create([vpcId])).Unsuccessful ?? []);
      } catch (alone) {
        if (errorName(alone) !== IDENTICAL) throw alone;
        results.set(vpcId, 'identical');
      }
    }
  }
  return results;
}
