/**
 * Task `EnsureFlowLogsPage` (workflow `onboard-region`): Tributary's flow log on one page of an
 * account-region's VPCs; returns the next token and running totals, like SubscribeLogGroupsPage.
 */
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { toTaskError } from './lib/aws-errors';
import type { TaskContext } from './lib/context';
import { field, parseAccountId, parseRegion, type AccountId, type Region, type VpcId } from './lib/domain';
import { lambdaHandler } from './lib/lambda';
import { addCounts, MAX_LISTED, previousPage } from './lib/paging';
import { ensureVpcFlowLogs } from './lib/vpc-flow-logs';

const VPC_PAGE_SIZE = 50;

export interface FlowLogsTotals {
  readonly pages: number;
  readonly vpcs: number;
  readonly created: number;
  readonly replaced: number;
  readonly alreadyEnabled: number;
  readonly failed: number;
}

export interface FlowLogsPageResult {
  readonly accountId: AccountId;
  readonly region: Region;
  readonly status: 'Done' | 'Disabled';
  readonly nextToken?: string;
  readonly totals: FlowLogsTotals;
  readonly failures: ReadonlyArray<{ readonly vpcId: string; readonly error: string }>;
}

const EMPTY: FlowLogsTotals = { pages: 0, vpcs: 0, created: 0, replaced: 0, alreadyEnabled: 0, failed: 0 };

export async function ensureFlowLogsPage(input: unknown, context: TaskContext): Promise<FlowLogsPageResult> {
  const accountId = parseAccountId(field(input, 'accountId'));
  const region = parseRegion(field(input, 'region'));
  const before = previousPage<FlowLogsPageResult>(input);
  if (!context.config.flowLogs.enabled) return { accountId, region, status: 'Disabled', totals: EMPTY, failures: [] };

  const ec2 = await context.clients.ec2(accountId, region);
  let page;
  try {
    page = await ec2.send(new DescribeVpcsCommand({ MaxResults: VPC_PAGE_SIZE, ...(before.nextToken ? { NextToken: before.nextToken } : {}) }));
  } catch (error) {
    throw toTaskError(error, `ec2:DescribeVpcs ${accountId} ${region}`);
  }
  const vpcIds = (page.Vpcs ?? []).map((v) => v.VpcId as VpcId);
  const { counts, failures } = await ensureVpcFlowLogs(context, accountId, region, vpcIds);
  const totals = addCounts(EMPTY, before.totals, counts, { pages: 1, vpcs: vpcIds.length });
  return {
    accountId,
    region,
    status: 'Done',
    ...(page.NextToken ? { nextToken: page.NextToken } : {}),
    totals,
    failures: [...(before.failures ?? []), ...failures].slice(0, MAX_LISTED),
  };
}

export const handler = lambdaHandler(ensureFlowLogsPage);
