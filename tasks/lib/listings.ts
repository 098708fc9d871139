/**
 * Whole listings of an account-region, page after page, for the tasks that need all of it at once
 * (plan, account-level policy, removal). Each page is fetched once its items are used, as a loop
 * would; a failed page is a task error naming the call and where.
 */
import { DescribeLogGroupsCommand, type CloudWatchLogsClient, type LogGroup } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeFlowLogsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { toTaskError } from './aws-errors';
import type { ExistingFlowLog } from './flow-log-plan';

/** DescribeLogGroups' largest page. */
const LOG_GROUP_PAGE = 50;

export async function* logGroupsOf(logs: CloudWatchLogsClient, where: string): AsyncGenerator<LogGroup> {
  let nextToken: string | undefined;
  do {
    const page = await logs.send(new DescribeLogGroupsCommand({ limit: LOG_GROUP_PAGE, ...(nextToken ? { nextToken } : {}) })).catch((error: unknown) => {
      throw toTaskError(error, `logs:DescribeLogGroups ${where}`);
    });
    yield* page.logGroups ?? [];
    nextToken = page.nextToken;
  } while (nextToken);
}

export type ListedFlowLog = ExistingFlowLog & { readonly ResourceId?: string };

/** The flow logs of `vpcIds`, or of every resource when absent. */
export async function flowLogsOf(ec2: EC2Client, where: string, vpcIds?: readonly string[]): Promise<ListedFlowLog[]> {
  const flowLogs: ListedFlowLog[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ec2
      .send(new DescribeFlowLogsCommand({ ...(vpcIds ? { Filter: [{ Name: 'resource-id', Values: [...vpcIds] }] } : {}), NextToken }))
      .catch((error: unknown) => {
        throw toTaskError(error, `ec2:DescribeFlowLogs ${where}`);
      });
    flowLogs.push(...(page.FlowLogs ?? []).map((f) => ({ ...f, FlowLogId: f.FlowLogId ?? '' })));
    NextToken = page.NextToken;
  } while (NextToken);
  return flowLogs;
}
