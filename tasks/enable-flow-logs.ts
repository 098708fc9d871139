/**
 * Task `EnableFlowLogs` (workflow `enable-flow-logs`): Tributary's flow log on one new VPC
 * (CloudTrail CreateVpc). Never a duplicate; foreign flow logs are left alone.
 */
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { errorName, toTaskError } from './lib/aws-errors';
import type { TaskContext } from './lib/context';
import { field, parseAccountId, parseRegion, parseVpcId, type AccountId, type Region, type VpcId } from './lib/domain';
import { RegionNotGovernedError, VpcNotVisibleYetError } from './lib/errors';
import { lambdaHandler } from './lib/lambda';
import { ensureVpcFlowLogs, type FlowLogCounts } from './lib/vpc-flow-logs';

export interface EnableFlowLogsResult {
  readonly accountId: AccountId;
  readonly region: Region;
  readonly vpcId: VpcId;
  readonly status: 'Created' | 'Replaced' | 'AlreadyEnabled' | 'Failed' | 'Disabled';
  readonly changed: boolean;
  readonly error?: string;
}

function statusOf(counts: FlowLogCounts): EnableFlowLogsResult['status'] {
  if (counts.created) return 'Created';
  if (counts.replaced) return 'Replaced';
  if (counts.failed) return 'Failed';
  return 'AlreadyEnabled';
}

export async function enableFlowLogs(input: unknown, context: TaskContext): Promise<EnableFlowLogsResult> {
  const accountId = parseAccountId(field(input, 'accountId'));
  const region = parseRegion(field(input, 'region'));
  const vpcId = parseVpcId(field(input, 'vpcId'));
  if (!context.config.governedRegions.includes(region)) throw new RegionNotGovernedError(`region ${region} is not governed`);
  if (!context.config.flowLogs.enabled) return { accountId, region, vpcId, status: 'Disabled', changed: false };

  try {
    await (await context.clients.ec2(accountId, region)).send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
  } catch (error) {
    if (errorName(error) === 'InvalidVpcID.NotFound') throw new VpcNotVisibleYetError(`VPC ${vpcId} is not visible yet`, { cause: error });
    throw toTaskError(error, `ec2:DescribeVpcs ${vpcId}`);
  }
  const { counts, failures } = await ensureVpcFlowLogs(context, accountId, region, [vpcId]);
  const status = statusOf(counts);
  return { accountId, region, vpcId, status, changed: status === 'Created' || status === 'Replaced', ...(failures[0] ? { error: failures[0].error } : {}) };
}

export const handler = lambdaHandler(enableFlowLogs);
