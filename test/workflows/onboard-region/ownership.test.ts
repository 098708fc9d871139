/**
 * Ownership by exact name: a team's filters named like ours stay byte for byte, and the pipeline's
 * own log-group names are excluded in the logging account only.
 */
import { createOfflineEnvironment } from '../../../sim/environment';
import { memberAccountId } from '../../../sim/scenario';
import type { SimLogGroup } from '../../../sim/state';
import type { AccountId, Region } from '../../../tasks/lib/domain';
import { destinationArn, SUBSCRIPTION_FILTER_NAME } from '../../../tasks/lib/ownership';

const REGION = 'eu-west-1' as Region;

function teamFilter(group: SimLogGroup, filterName: string, destination: string): void {
  group.filters.set(filterName, {
    filterName,
    logGroupName: group.logGroupName,
    filterPattern: '{ $.level = "AUDIT" }',
    destinationArn: destination,
    distribution: 'Random',
    creationTime: 1,
  });
}

describe('ownership by exact name', () => {
  it('a team’s tributary-audit and tributary-siem-copy filters stay byte for byte; ours goes beside them where a slot is free', async () => {
    // Prepare: one group with the team's audit filter to their own destination; another with their
    // SIEM copy pointing at our destination, and ours already in place
    const env = createOfflineEnvironment();
    const member = memberAccountId(0);
    env.state.addAccount({ id: member, name: 'team', regions: [REGION] });
    const ourDestination = destinationArn(env.config.accounts.logging, REGION);
    const audited = env.state.createLogGroup(member, REGION, '/app/audited');
    teamFilter(audited, 'tributary-audit', `arn:aws:logs:${REGION}:555555555555:destination:team-audit`);
    const copied = env.state.createLogGroup(member, REGION, '/app/copied');
    teamFilter(copied, 'tributary-siem-copy', ourDestination);
    const before = JSON.stringify([audited.filters.get('tributary-audit'), copied.filters.get('tributary-siem-copy')]);

    // Act
    const execution = await env.runner.start('onboard-region', { accountId: member, region: REGION });

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.stringify([audited.filters.get('tributary-audit'), copied.filters.get('tributary-siem-copy')])).toBe(before);
    expect(audited.filters.get(SUBSCRIPTION_FILTER_NAME)?.destinationArn).toBe(ourDestination);
    expect(copied.filters.get(SUBSCRIPTION_FILTER_NAME)?.destinationArn).toBe(ourDestination);
  });

  it('a group named like a pipeline group is subscribed in a member account and excluded only in the logging account', async () => {
    // Prepare
    const env = createOfflineEnvironment();
    const member = memberAccountId(0);
    const logging = env.config.accounts.logging as AccountId;
    env.state.addAccount({ id: member, name: 'team', regions: [REGION] });
    const name = '/aws/lambda/tributary-record-processor';
    const inMember = env.state.createLogGroup(member, REGION, name);
    const inLogging = env.state.createLogGroup(logging, REGION, name);

    // Act
    const [memberRun, loggingRun] = await Promise.all([
      env.runner.start('onboard-region', { accountId: member, region: REGION }),
      env.runner.start('onboard-region', { accountId: logging, region: REGION }),
    ]);

    // Assess
    expect([memberRun.status, loggingRun.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(inMember.filters.has(SUBSCRIPTION_FILTER_NAME)).toBe(true);
    expect(inLogging.filters.size).toBe(0);
  });
});
