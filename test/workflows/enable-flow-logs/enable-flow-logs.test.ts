/** enable-flow-logs end to end: a CreateVpc event ends with exactly one Tributary flow log on that VPC. */
import { createOfflineEnvironment, type OfflineEnvironment } from '../../../sim/environment';
import { createVpcEvent } from '../../../sim/events';
import type { SimFlowLog } from '../../../sim/state';
import { EXAMPLE_CONFIG_PATH, loadConfig } from '../../../tasks/lib/config';
import type { AccountId } from '../../../tasks/lib/domain';
import { FLOW_LOGS_LOG_GROUP, SUBSCRIPTION_FILTER_NAME } from '../../../tasks/lib/ownership';

const ACCOUNT = '123456789012' as AccountId;
const REGION = 'eu-west-1';

function setUp(destination: 'log-group' | 's3' = 'log-group'): OfflineEnvironment {
  const example = loadConfig(EXAMPLE_CONFIG_PATH);
  const env = createOfflineEnvironment({ config: { ...example, flowLogs: { ...example.flowLogs, destination } } });
  env.state.addAccount({ id: ACCOUNT, name: 'workload', regions: env.config.governedRegions });
  return env;
}

async function fire(env: OfflineEnvironment, vpcId: string) {
  const route = env.router.route(createVpcEvent(ACCOUNT, REGION, vpcId));
  if (route.workflow === null) throw new Error(route.reason);
  return env.runner.start(route.workflow, route.input);
}

const flowLogsOf = (env: OfflineEnvironment, vpcId: string): SimFlowLog[] =>
  [...env.state.accountRegion(ACCOUNT, REGION).flowLogs.values()].filter((f) => f.ResourceId === vpcId);

describe('enable-flow-logs workflow', () => {
  it.each([
    [
      'the member flow-log group, and subscribes that group',
      'log-group',
      {
        TrafficType: 'ALL',
        LogDestinationType: 'cloud-watch-logs',
        LogGroupName: FLOW_LOGS_LOG_GROUP,
        DeliverLogsPermissionArn: `arn:aws:iam::${ACCOUNT}:role/TributaryFlowLogsDelivery`,
      },
    ],
    // The member role may set the delivery up: AWS asks logs:CreateLogDelivery of a flow log to S3.
    ['the archive (flow logs to S3)', 's3', { LogDestinationType: 's3', LogDestination: expect.stringMatching(/^arn:aws:s3:::.+\/flow-logs\/$/) }],
  ] as const)('creates one tagged flow log to %s', async (_to, destination, expected) => {
    // Prepare
    const env = setUp(destination);
    const vpc = env.state.createVpc(ACCOUNT, REGION);

    // Act
    const execution = await fire(env, vpc.VpcId);

    // Assess
    expect(execution.output).toMatchObject({ status: 'Created', changed: true, vpcId: vpc.VpcId });
    expect(flowLogsOf(env, vpc.VpcId)).toEqual([expect.objectContaining({ ...expected, Tags: [{ Key: 'tributary:managed', Value: 'true' }] })]);
    const flowLogGroup = env.state.accountRegion(ACCOUNT, REGION).logGroups.get(FLOW_LOGS_LOG_GROUP);
    expect(flowLogGroup?.filters.has(SUBSCRIPTION_FILTER_NAME)).toBe(destination === 'log-group' ? true : undefined);
  });

  it('offboarding with removeWiring deletes a flow log to S3, which the member role may do (logs:DeleteLogDelivery)', async () => {
    // Prepare
    const env = setUp('s3');
    const vpc = env.state.createVpc(ACCOUNT, REGION);
    await fire(env, vpc.VpcId);
    expect(flowLogsOf(env, vpc.VpcId)).toHaveLength(1);

    // Act
    const execution = await env.runner.start('offboard-account', { accountId: ACCOUNT, trigger: 'manual', removeWiring: true, force: true });

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(flowLogsOf(env, vpc.VpcId)).toEqual([]);
  });

  it('never duplicates: the same event again makes zero writes', async () => {
    const env = setUp();
    const vpc = env.state.createVpc(ACCOUNT, REGION);
    await fire(env, vpc.VpcId);
    const writes = env.aws.ledger.writes;
    const again = await fire(env, vpc.VpcId);
    expect(again.output).toMatchObject({ status: 'AlreadyEnabled', changed: false });
    expect(flowLogsOf(env, vpc.VpcId)).toHaveLength(1);
    expect(env.aws.ledger.writes).toBe(writes);
  });

  it('leaves a foreign flow log intact and adds its own beside it', async () => {
    // Prepare
    const env = setUp();
    const vpc = env.state.createVpc(ACCOUNT, REGION);
    const foreign: SimFlowLog = {
      FlowLogId: 'fl-foreign0000000001',
      ResourceId: vpc.VpcId,
      TrafficType: 'REJECT',
      LogDestinationType: 's3',
      LogDestination: 'arn:aws:s3:::network-team-logs',
      LogFormat: '${version}',
      Tags: [],
      CreationTime: 1,
    };
    env.state.accountRegion(ACCOUNT, REGION).flowLogs.set(foreign.FlowLogId, foreign);

    // Act
    await fire(env, vpc.VpcId);

    // Assess
    expect(env.state.accountRegion(ACCOUNT, REGION).flowLogs.get(foreign.FlowLogId)).toEqual(foreign);
    expect(flowLogsOf(env, vpc.VpcId)).toHaveLength(2);
  });

  it('replaces a stale flow log of its own (flow logs cannot be modified)', async () => {
    const env = setUp();
    const vpc = env.state.createVpc(ACCOUNT, REGION);
    env.state.accountRegion(ACCOUNT, REGION).flowLogs.set('fl-old', {
      FlowLogId: 'fl-old',
      ResourceId: vpc.VpcId,
      TrafficType: 'REJECT',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: FLOW_LOGS_LOG_GROUP,
      LogFormat: '',
      Tags: [{ Key: 'tributary:managed', Value: 'true' }],
      CreationTime: 1,
    });
    const execution = await fire(env, vpc.VpcId);
    expect(execution.output).toMatchObject({ status: 'Replaced' });
    expect(flowLogsOf(env, vpc.VpcId).map((f) => f.TrafficType)).toEqual(['ALL']);
  });

  it('retries until a VPC that is not visible yet shows up', async () => {
    const env = setUp();
    const vpc = env.state.createVpc(ACCOUNT, REGION, { hiddenReads: 3 });
    const execution = await fire(env, vpc.VpcId);
    expect(execution.output).toMatchObject({ status: 'Created' });
    expect(execution.stateTransitions).toBeGreaterThan(1);
  });

  it('starts nothing for a failed CreateVpc call, and rejects a malformed VPC id', () => {
    const env = setUp();
    expect(env.router.route(createVpcEvent(ACCOUNT, REGION, 'vpc-0123456789abcdef0', { errorCode: 'VpcLimitExceeded' }))).toEqual({
      workflow: null,
      reason: expect.stringContaining('VpcLimitExceeded'),
    });
    expect(() => env.router.route(createVpcEvent(ACCOUNT, REGION, 'vpc-XYZ'))).toThrow('vpcId (from trigger CreateVpc): "vpc-XYZ" is not a VPC id');
  });
});
