/**
 * A foreign flow log identical to ours (same VPC, traffic and destination) makes EC2 refuse the
 * CreateFlowLogs call: as the exception FlowLogAlreadyExists (what moto's EC2 raises for the whole
 * call) or as an Unsuccessful item (what AWS's CloudFormation flow-log handler also handles). One
 * such VPC must not fail the page: the other VPCs get ours, and that VPC counts as covered.
 */
import { createOfflineEnvironment, type OfflineEnvironment } from '../../../sim/environment';
import type { AccountId } from '../../../tasks/lib/domain';
import { FLOW_LOGS_LOG_GROUP } from '../../../tasks/lib/ownership';
import { isOwnedFlowLog } from '../../../tasks/lib/flow-log-plan';

const ACCOUNT = '123456789012' as AccountId;
const REGION = 'eu-west-1';

function setUp(): { env: OfflineEnvironment; vpcs: string[] } {
  const env = createOfflineEnvironment();
  env.state.addAccount({ id: ACCOUNT, name: 'workload', regions: env.config.governedRegions });
  const vpcs = [0, 1, 2].map(() => env.state.createVpc(ACCOUNT, REGION).VpcId);
  // Another team's flow log into the same group, tagged like a resource of ours might be, but not with our tag.
  env.state.accountRegion(ACCOUNT, REGION).flowLogs.set('fl-0team00000000001', {
    FlowLogId: 'fl-0team00000000001',
    ResourceId: vpcs[1]!,
    TrafficType: 'ALL',
    LogDestinationType: 'cloud-watch-logs',
    LogGroupName: FLOW_LOGS_LOG_GROUP,
    DeliverLogsPermissionArn: `arn:aws:iam::${ACCOUNT}:role/network-team-flow-logs`,
    LogFormat: '${version} ${srcaddr}',
    Tags: [
      { Key: 'tributary:managed', Value: 'false' },
      { Key: 'team', Value: 'network' },
    ],
    CreationTime: 1,
  });
  return { env, vpcs };
}

describe('a foreign flow log identical to ours', () => {
  it('leaves it untouched, wires the other VPCs, and counts its VPC as covered', async () => {
    // Prepare
    const { env, vpcs } = setUp();

    // Act
    const execution = await env.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION });

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toMatchObject({ flowLogs: { totals: { failed: 0, created: 2, alreadyEnabled: 1 } } });
    const flowLogs = [...env.state.accountRegion(ACCOUNT, REGION).flowLogs.values()];
    expect(
      flowLogs
        .filter(isOwnedFlowLog)
        .map((f) => f.ResourceId)
        .sort(),
    ).toEqual([vpcs[0], vpcs[2]].sort());
    expect(flowLogs.find((f) => f.FlowLogId === 'fl-0team00000000001')).toMatchObject({
      ResourceId: vpcs[1],
      DeliverLogsPermissionArn: `arn:aws:iam::${ACCOUNT}:role/network-team-flow-logs`,
    });
  });
});
