/**
 * EC2 VPCs and flow logs. EC2's SDK has no modeled exception classes: errors are
 * EC2ServiceException with the error code as their name, as here.
 */
import { EC2ServiceException } from '@aws-sdk/client-ec2';
import type { SimFlowLog } from '../state';
import { page, type CallContext, type OperationHandler } from './context';

export function ec2Error(code: string, message: string, fault: 'client' | 'server' = 'client'): EC2ServiceException {
  return new EC2ServiceException({ name: code, $fault: fault, $metadata: { httpStatusCode: fault === 'client' ? 400 : 503 }, message });
}

/** The default flow log format (version 2). */
const DEFAULT_FORMAT =
  '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}';

function region(ctx: CallContext) {
  return ctx.state.accountRegion(ctx.callerAccount, ctx.region);
}

function filterValues(input: Record<string, any>, name: string): string[] | undefined {
  const filter = (input.Filter ?? input.Filters ?? []).find((f: { Name: string }) => f.Name === name);
  return filter?.Values;
}

export const ec2: Record<string, OperationHandler> = {
  /**
   * `MaxResults` is 5 to 1,000 and cannot be given with `VpcIds`
   * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcs.html).
   */
  DescribeVpcs(input, ctx) {
    const wanted: string[] | undefined = input.VpcIds;
    if (input.MaxResults !== undefined && wanted)
      throw ec2Error('InvalidParameterCombination', 'The parameter vpcIds cannot be used with the parameter maxResults');
    if (input.MaxResults !== undefined && (!Number.isInteger(input.MaxResults) || input.MaxResults < 5 || input.MaxResults > 1000))
      throw ec2Error(
        'InvalidParameterValue',
        `Value ( ${String(input.MaxResults)} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`,
      );
    const all = [...region(ctx).vpcs.values()].sort((a, b) => a.VpcId.localeCompare(b.VpcId));
    if (wanted) {
      for (const id of wanted) {
        const vpc = region(ctx).vpcs.get(id);
        if (!vpc || vpc.hiddenReads > 0) {
          if (vpc) vpc.hiddenReads--;
          throw ec2Error('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`);
        }
      }
    }
    const visible = all.filter((v) => (wanted ? wanted.includes(v.VpcId) : v.hiddenReads === 0));
    const { items, nextToken } = page(visible, input.NextToken, input.MaxResults ?? 1000);
    return { Vpcs: items.map(({ hiddenReads: _hidden, ...vpc }) => vpc), NextToken: nextToken };
  },

  DescribeFlowLogs(input, ctx) {
    const resources = filterValues(input, 'resource-id');
    const all = [...region(ctx).flowLogs.values()].filter((f) => !resources || resources.includes(f.ResourceId));
    const { items, nextToken } = page(all, input.NextToken, Math.min(Number(input.MaxResults ?? 1000), 1000));
    return {
      FlowLogs: items.map((f) => ({ ...f, FlowLogStatus: 'ACTIVE', DeliverLogsStatus: 'SUCCESS', CreationTime: new Date(f.CreationTime) })),
      NextToken: nextToken,
    };
  },

  CreateFlowLogs(input, ctx) {
    const state = region(ctx);
    const FlowLogIds: string[] = [];
    const Unsuccessful: Array<{ ResourceId: string; Error: { Code: string; Message: string } }> = [];
    const destinationType = String(input.LogDestinationType ?? 'cloud-watch-logs');
    if (destinationType === 'cloud-watch-logs' && (!input.LogGroupName || !input.DeliverLogsPermissionArn)) {
      throw ec2Error('InvalidParameter', 'LogGroupName and DeliverLogsPermissionArn are required for a cloud-watch-logs destination');
    }
    const identical = (resourceId: string) =>
      [...state.flowLogs.values()].some(
        (f) =>
          f.ResourceId === resourceId &&
          f.TrafficType === input.TrafficType &&
          f.LogDestinationType === destinationType &&
          (f.LogGroupName ?? f.LogDestination) === (input.LogGroupName ?? input.LogDestination),
      );
    // FlowLogAlreadyExists is one of EC2's error codes
    // (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html). Whether EC2
    // reports it per resource in Unsuccessful or fails the whole call is not documented; AWS's
    // CloudFormation flow-log handler handles both, and moto's EC2 fails the whole call. The
    // stricter of the two: the call fails and creates nothing.
    if ((input.ResourceIds as string[]).some(identical))
      throw ec2Error('FlowLogAlreadyExists', 'Error. There is an existing Flow Log with the same configuration and log destination.');
    for (const resourceId of input.ResourceIds as string[]) {
      if (!state.vpcs.has(resourceId)) {
        Unsuccessful.push({ ResourceId: resourceId, Error: { Code: 'InvalidVpcID.NotFound', Message: `The vpc ID '${resourceId}' does not exist` } });
        continue;
      }
      const flowLog: SimFlowLog = {
        FlowLogId: ctx.state.nextId('fl-', 17),
        ResourceId: resourceId,
        TrafficType: String(input.TrafficType),
        LogDestinationType: destinationType,
        ...(input.LogGroupName ? { LogGroupName: input.LogGroupName } : {}),
        ...(input.LogDestination ? { LogDestination: input.LogDestination } : {}),
        ...(input.DeliverLogsPermissionArn ? { DeliverLogsPermissionArn: input.DeliverLogsPermissionArn } : {}),
        LogFormat: input.LogFormat ?? DEFAULT_FORMAT,
        Tags: (input.TagSpecifications ?? []).flatMap((t: { Tags: Array<{ Key: string; Value: string }> }) => t.Tags),
        CreationTime: ctx.state.tick(),
      };
      state.flowLogs.set(flowLog.FlowLogId, flowLog);
      FlowLogIds.push(flowLog.FlowLogId);
    }
    return { FlowLogIds, Unsuccessful };
  },

  DeleteFlowLogs(input, ctx) {
    const Unsuccessful = [];
    for (const id of input.FlowLogIds as string[]) {
      if (!region(ctx).flowLogs.delete(id))
        Unsuccessful.push({ ResourceId: id, Error: { Code: 'InvalidFlowLogId.NotFound', Message: `flow log ${id} does not exist` } });
    }
    return { Unsuccessful };
  },
};
