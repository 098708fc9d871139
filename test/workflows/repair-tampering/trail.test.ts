/**
 * Issue #18 item 2: every CloudTrail trigger depends on a trail. Where no trail logs an
 * account-region, EventBridge gets no "AWS API Call via CloudTrail" event there, and `plan` names
 * that region and the triggers that cannot fire; the organization trail stopped or changed in the
 * management account is reported to the SOC within minutes, naming the fix.
 */
import { PutEventSelectorsCommand, StopLoggingCommand, type AdvancedEventSelector } from '@aws-sdk/client-cloudtrail';
import { createOfflineEnvironment, type OfflineEnvironment } from '../../../sim/environment';
import { createLogGroupEvent } from '../../../sim/events';
import { deliverRecordedCalls, executionsStarted, routeEvents } from '../../../sim/simulation';
import { onboardedForTampering } from '../../../sim/tampering';
import type { AccountId, Region } from '../../../tasks/lib/domain';
import { ORGANIZATION_TRAIL_NAME } from '../../../tasks/lib/ownership';
import { planRegion } from '../../../tasks/lib/plan';
import { memberRegionTriggers } from '../../../workflows/forwarding';
import { TAMPER_EVENT_DETAIL_TYPE, TAMPER_METRICS } from '../../../tasks/lib/tampering';
import type { TributaryConfig } from '../../../tasks/lib/config';

const ACCOUNT = '123456789012' as AccountId;
const REGION = 'eu-west-1' as Region;

function withTrail(cloudTrail: TributaryConfig['cloudTrail']): Promise<OfflineEnvironment> {
  return onboardedForTampering({ config: { ...createOfflineEnvironment().config, cloudTrail }, account: ACCOUNT, region: REGION });
}

/** The organization's trail made a single-region trail of the home region: every other region goes unlogged. */
function narrowToHomeRegion(env: OfflineEnvironment): void {
  for (const trail of env.state.trails.values()) Object.assign(trail, { isMultiRegionTrail: false, homeRegion: env.config.homeRegion });
}

/** The existing organization trail's selectors replaced by `selectors`, by the management account, as its owner may. */
async function withAdvancedSelectors(selectors: AdvancedEventSelector[]): Promise<OfflineEnvironment> {
  const env = await withTrail('existing');
  const trail = [...env.state.trails.values()][0]!;
  await env.aws
    .directClient('CloudTrail', env.config.accounts.management, trail.homeRegion)
    .send(new PutEventSelectorsCommand({ TrailName: trail.name, AdvancedEventSelectors: selectors }));
  return env;
}

const MANAGEMENT_EVENTS = { Field: 'eventCategory', Equals: ['Management'] };

describe('the trail the triggers depend on', () => {
  it('plan names each account-region no trail logs, and the triggers that cannot fire there', async () => {
    // Prepare
    const env = await withTrail('existing');
    narrowToHomeRegion(env);

    // Act
    const home = await env.clock.run(() => planRegion(env.context, ACCOUNT, env.config.homeRegion));
    const other = await env.clock.run(() => planRegion(env.context, ACCOUNT, REGION));

    // Assess
    expect(home.filter((i) => i.kind === 'trail-missing')).toEqual([]);
    expect(other.filter((i) => i.kind === 'trail-missing')).toEqual([{ kind: 'trail-missing', triggers: memberRegionTriggers() }]);
    expect(memberRegionTriggers()).toEqual(expect.arrayContaining(['CreateLogGroup', 'CreateVpc', 'SubscriptionFilterTampered']));
  });

  it('a region no trail logs sends no CloudTrail event: a new log group there is never announced', async () => {
    // Prepare
    const env = await withTrail('existing');
    narrowToHomeRegion(env);

    // Act
    const { starts, lost } = await routeEvents(env, [createLogGroupEvent(ACCOUNT, REGION, '/aws/lambda/new')]);

    // Assess
    expect(starts).toEqual([]);
    expect(lost).toEqual([expect.stringContaining(`no CloudTrail trail logs management events of ${ACCOUNT} in ${REGION}`)]);
  });

  it('plan counts an organization trail whose advanced selectors keep every management event (no readOnly field)', async () => {
    // Prepare
    const env = await withAdvancedSelectors([{ Name: 'Management events', FieldSelectors: [MANAGEMENT_EVENTS] }]);

    // Act
    const items = await env.clock.run(() => planRegion(env.context, ACCOUNT, REGION));
    const { starts } = await routeEvents(env, [createLogGroupEvent(ACCOUNT, REGION, '/aws/lambda/new')]);

    // Assess
    expect(items.filter((i) => i.kind === 'trail-missing')).toEqual([]);
    expect(starts).toHaveLength(1);
  });

  it('plan names a region whose only trail keeps read-only management events through advanced selectors', async () => {
    // Prepare
    const env = await withAdvancedSelectors([{ Name: 'Reads', FieldSelectors: [MANAGEMENT_EVENTS, { Field: 'readOnly', Equals: ['true'] }] }]);

    // Act
    const items = await env.clock.run(() => planRegion(env.context, ACCOUNT, REGION));
    const { starts, lost } = await routeEvents(env, [createLogGroupEvent(ACCOUNT, REGION, '/aws/lambda/new')]);

    // Assess
    expect(items.filter((i) => i.kind === 'trail-missing')).toEqual([{ kind: 'trail-missing', triggers: memberRegionTriggers() }]);
    expect(starts).toEqual([]);
    expect(lost).toHaveLength(1);
  });

  it('CloudTrail refuses basic and advanced selectors in one request', async () => {
    // Prepare
    const env = await withTrail('existing');
    const trail = [...env.state.trails.values()][0]!;

    // Act
    const put = env.aws.directClient('CloudTrail', env.config.accounts.management, trail.homeRegion).send(
      new PutEventSelectorsCommand({
        TrailName: trail.name,
        EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }],
        AdvancedEventSelectors: [{ FieldSelectors: [MANAGEMENT_EVENTS] }],
      }),
    );

    // Assess
    await expect(put).rejects.toMatchObject({ name: 'InvalidEventSelectorsException' });
    expect(trail.managementEvents).toBe('All');
  });

  it('with cloudTrail "off" plan checks nothing', async () => {
    const env = await withTrail('off');
    expect((await env.clock.run(() => planRegion(env.context, ACCOUNT, REGION))).filter((i) => i.kind === 'trail-missing')).toEqual([]);
  });

  it('stopping the organization trail is itself recorded, reported within minutes naming who and the fix, and leaves every region unlogged', async () => {
    // Prepare
    const env = await withTrail('create');
    const management = env.config.accounts.management;
    const trailArn = [...env.state.trails.keys()][0]!;
    expect(trailArn).toBe(`arn:aws:cloudtrail:us-east-1:${management}:trail/${ORGANIZATION_TRAIL_NAME}`);

    // Act
    await env.aws.directClient('CloudTrail', management, 'us-east-1').send(new StopLoggingCommand({ Name: ORGANIZATION_TRAIL_NAME }));
    const deliveries = await deliverRecordedCalls(env);

    // Assess
    const [execution, ...more] = executionsStarted(deliveries);
    expect(more).toEqual([]);
    expect(execution).toMatchObject({ workflow: 'repair-tampering', status: 'FAILED', error: 'not-repairable' });
    expect(execution!.cause).toContain(`aws cloudtrail start-logging --name ${ORGANIZATION_TRAIL_NAME} --region us-east-1`);
    expect(execution!.stoppedAt - execution!.calledAt).toBeLessThanOrEqual(5 * 60_000);
    expect(env.state.busEvents.filter((e) => e.detailType === TAMPER_EVENT_DETAIL_TYPE).map((e) => e.detail)).toEqual([
      expect.objectContaining({
        kind: 'trail',
        accountId: management,
        principal: `arn:aws:sts::${management}:assumed-role/simulated-administrator/person`,
        resource: ORGANIZATION_TRAIL_NAME,
        outcome: 'not-repairable',
      }),
    ]);
    expect(env.metrics.map((m) => m.name)).toEqual([TAMPER_METRICS.detected, TAMPER_METRICS.leftUnrepaired]);
    expect((await env.clock.run(() => planRegion(env.context, ACCOUNT, REGION))).filter((i) => i.kind === 'trail-missing')).toHaveLength(1);
  });

  it('stopping some other trail of the management account is not tampering when Tributary created its own', async () => {
    // Prepare
    const env = await withTrail('create');
    const management = env.config.accounts.management;
    const other = `arn:aws:cloudtrail:us-east-1:${management}:trail/team-audit`;
    env.state.trails.set(other, {
      name: 'team-audit',
      arn: other,
      account: management,
      homeRegion: 'us-east-1',
      isOrganizationTrail: false,
      isMultiRegionTrail: false,
      logging: true,
      managementEvents: 'All',
    });

    // Act
    await env.aws.directClient('CloudTrail', management, 'us-east-1').send(new StopLoggingCommand({ Name: 'team-audit' }));
    const deliveries = await deliverRecordedCalls(env);

    // Assess
    expect(deliveries.flatMap((d) => d.records)).toEqual([
      expect.objectContaining({ status: 'SUCCEEDED', output: expect.objectContaining({ outcome: 'intact' }) }),
    ]);
    expect(env.state.busEvents).toEqual([]);
  });
});
