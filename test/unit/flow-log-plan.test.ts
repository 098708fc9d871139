/** The flow-log decision for one VPC: ours created, kept, replaced or deduplicated; foreign ones (even tagged like ours) never touched. */
import { FLOW_LOG_OWNER_TAG } from '../../tasks/lib/ownership';
import { isOwnedFlowLog, planFlowLog, type DesiredFlowLog, type ExistingFlowLog } from '../../tasks/lib/flow-log-plan';

const ROLE = 'arn:aws:iam::111111111111:role/tributary-flow-logs';
const desired: DesiredFlowLog = {
  TrafficType: 'ALL',
  LogDestinationType: 'cloud-watch-logs',
  destination: '/tributary/flow-logs',
  DeliverLogsPermissionArn: ROLE,
};
const s3: DesiredFlowLog = { TrafficType: 'REJECT', LogDestinationType: 's3', destination: 'arn:aws:s3:::bucket/prefix/' };
const ours = (id: string, overrides: Partial<ExistingFlowLog> = {}): ExistingFlowLog => ({
  FlowLogId: id,
  TrafficType: 'ALL',
  LogDestinationType: 'cloud-watch-logs',
  LogGroupName: '/tributary/flow-logs',
  DeliverLogsPermissionArn: ROLE,
  Tags: [{ ...FLOW_LOG_OWNER_TAG }],
  ...overrides,
});

describe('isOwnedFlowLog', () => {
  it.each<[string, ExistingFlowLog['Tags'], boolean]>([
    ['our tag', [{ ...FLOW_LOG_OWNER_TAG }], true],
    ['our tag among others', [{ Key: 'team', Value: 'net' }, { ...FLOW_LOG_OWNER_TAG }], true],
    ['no tags', undefined, false],
    ['our key with another value', [{ Key: FLOW_LOG_OWNER_TAG.Key, Value: 'someone-else' }], false],
    ['our value under another key', [{ Key: 'owner', Value: FLOW_LOG_OWNER_TAG.Value }], false],
    ['a tag with neither', [{ Key: 'Name', Value: 'vpc-flow' }], false],
  ])('%s: %s', (_, Tags, expected) => {
    expect(isOwnedFlowLog({ FlowLogId: 'fl-1', ...(Tags ? { Tags } : {}) })).toBe(expected);
  });
});

describe('planFlowLog', () => {
  it('creates ours beside a foreign flow log, even one tagged and shaped like ours but for the owner value', () => {
    const foreign = ours('fl-foreign', { Tags: [{ Key: FLOW_LOG_OWNER_TAG.Key, Value: 'not-tributary' }] });
    expect(planFlowLog([foreign], desired)).toEqual({ kind: 'change', deleteIds: [], create: true, reason: 'create' });
  });

  it('keeps ours when it matches', () => {
    expect(planFlowLog([ours('fl-1')], desired)).toEqual({ kind: 'in-place' });
  });

  it.each<[string, Partial<ExistingFlowLog>]>([
    ['traffic type', { TrafficType: 'ACCEPT' }],
    ['destination type', { LogDestinationType: 's3' }],
    ['log group', { LogGroupName: '/tributary/flow-logs-old' }],
    ['delivery role', { DeliverLogsPermissionArn: 'arn:aws:iam::111111111111:role/other' }],
  ])('replaces ours when its %s differs (flow logs cannot be modified)', (_, change) => {
    expect(planFlowLog([ours('fl-stale', change)], desired)).toEqual({ kind: 'change', deleteIds: ['fl-stale'], create: true, reason: 'replace' });
  });

  it('matches an S3 flow log by its destination ARN and ignores the delivery role there', () => {
    const onS3 = ours('fl-s3', {
      TrafficType: 'REJECT',
      LogDestinationType: 's3',
      LogGroupName: undefined,
      LogDestination: s3.destination,
      DeliverLogsPermissionArn: undefined,
    });
    expect(planFlowLog([onS3], s3)).toEqual({ kind: 'in-place' });
    expect(planFlowLog([{ ...onS3, LogDestination: 'arn:aws:s3:::bucket/other/' }], s3)).toMatchObject({ reason: 'replace' });
    // A delivery role reported on an S3 flow log does not make it stale: S3 delivery uses none.
    expect(planFlowLog([{ ...onS3, DeliverLogsPermissionArn: ROLE }], s3)).toEqual({ kind: 'in-place' });
  });

  it('keeps the first matching one of ours and deletes our duplicates, never the foreign one', () => {
    // Prepare
    const foreign = { FlowLogId: 'fl-foreign', TrafficType: 'ALL' };

    // Act
    const plan = planFlowLog([ours('fl-stale', { TrafficType: 'REJECT' }), foreign, ours('fl-a'), ours('fl-b')], desired);

    // Assess
    expect(plan).toEqual({ kind: 'change', deleteIds: ['fl-stale', 'fl-b'], create: false, reason: 'dedupe' });
  });
});
