/** What is Tributary's and what is not: filters by exact name and destination, log groups excluded by glob, dotfiles included. */
import * as ownership from '../../tasks/lib/ownership';
import { exclusionMatcher, isOurFilterName, ownsFilter, SUBSCRIPTION_FILTER_NAME } from '../../tasks/lib/ownership';
import type { AccountId, LogGroupName, Region } from '../../tasks/lib/domain';

const OURS = 'arn:aws:logs:eu-west-1:222222222222:destination:tributary-central-logging';

describe('ownsFilter', () => {
  it.each<[string, { filterName?: string; destinationArn?: string }, boolean]>([
    ['our name and destination', { filterName: SUBSCRIPTION_FILTER_NAME, destinationArn: OURS }, true],
    ['our name, another destination', { filterName: SUBSCRIPTION_FILTER_NAME, destinationArn: `${OURS}-copy` }, false],
    ['our destination, a name like ours', { filterName: `${SUBSCRIPTION_FILTER_NAME}-siem`, destinationArn: OURS }, false],
    ['our destination, no name', { destinationArn: OURS }, false],
    ['our name, no destination', { filterName: SUBSCRIPTION_FILTER_NAME }, false],
  ])('%s: %s', (_, filter, expected) => {
    expect(ownsFilter(filter, OURS)).toBe(expected);
  });

  it('takes only the exact name as ours', () => {
    expect(isOurFilterName(SUBSCRIPTION_FILTER_NAME)).toBe(true);
    expect(isOurFilterName(`${SUBSCRIPTION_FILTER_NAME} `)).toBe(false);
    expect(isOurFilterName(SUBSCRIPTION_FILTER_NAME.toUpperCase())).toBe(false);
  });
});

describe('exclusionMatcher', () => {
  // A fresh list each call: matchers are cached per list, and each test must see its own.
  const test = (account: string, name: string) =>
    exclusionMatcher({ logGroupExclusions: ['/aws/lambda/sandbox-*', '/dev/**'], accounts: { logging: '222222222222' } }, account)(name as LogGroupName);

  it.each<[string, string, string | undefined]>([
    ['a sandbox function', '/aws/lambda/sandbox-a', '/aws/lambda/sandbox-*'],
    ['a dotted name under /dev', '/dev/.hidden/app', '/dev/**'],
    ['a dotted sandbox function', '/aws/lambda/sandbox-.x', '/aws/lambda/sandbox-*'],
    ['an application', '/aws/lambda/orders', undefined],
    ['a group named like ours in a member account', '/aws/lambda/tributary-record-processor', undefined],
  ])('in a member account, %s (%s) is excluded by %s', (_, name, rule) => {
    expect(test('111111111111', name)).toEqual(rule ? { excluded: true, rule } : { excluded: false });
  });

  it("excludes the pipeline's own groups in the logging account only, before the config's globs", () => {
    expect(test('222222222222', '/aws/lambda/tributary-record-processor')).toEqual({ excluded: true, rule: '/aws/lambda/tributary-*' });
    expect(test('222222222222', '/aws/lambda/sandbox-a')).toEqual({ excluded: true, rule: '/aws/lambda/sandbox-*' });
    expect(test('222222222222', '/aws/lambda/orders')).toEqual({ excluded: false });
  });
});

describe('the names deployed resources carry', () => {
  // Every deployed account holds resources by these names: a change strands them (a new filter beside the old, roles no one assumes).
  it('names each resource as deployed', () => {
    expect({
      filter: ownership.SUBSCRIPTION_FILTER_NAME,
      accountPolicy: ownership.ACCOUNT_POLICY_NAME,
      destination: ownership.DESTINATION_NAME,
      logsDeliveryRole: ownership.LOGS_DELIVERY_ROLE_NAME,
      flowLogTag: ownership.FLOW_LOG_OWNER_TAG,
      flowLogGroup: ownership.FLOW_LOGS_LOG_GROUP,
      flowLogsRole: ownership.FLOW_LOGS_ROLE_NAME,
      trail: ownership.ORGANIZATION_TRAIL_NAME,
      rule: ownership.FORWARDING_RULE_NAME,
      target: ownership.FORWARDING_TARGET_ID,
      bus: ownership.HUB_BUS_NAME,
      forwardingRole: ownership.EVENT_FORWARDING_ROLE_NAME,
    }).toEqual({
      filter: 'tributary-central-logging',
      accountPolicy: 'tributary-central-logging',
      destination: 'tributary-central-logging',
      logsDeliveryRole: 'TributaryLogsDelivery',
      flowLogTag: { Key: 'tributary:managed', Value: 'true' },
      flowLogGroup: '/tributary/flow-logs',
      flowLogsRole: 'TributaryFlowLogsDelivery',
      trail: 'tributary-organization-trail',
      rule: 'tributary-forward-to-hub',
      target: 'tributary-hub-bus',
      bus: 'tributary-hub',
      forwardingRole: 'TributaryEventForwarding',
    });
  });

  it.each<[Region, string]>([
    ['eu-west-1' as Region, 'aws'],
    ['cn-north-1' as Region, 'aws-cn'],
    ['us-gov-west-1' as Region, 'aws-us-gov'],
  ])('builds every ARN in the partition of %s', (region, partition) => {
    const member = '111111111111' as AccountId;
    expect(ownership.flowLogsRoleArn(member, region)).toBe(`arn:${partition}:iam::111111111111:role/TributaryFlowLogsDelivery`);
    expect(ownership.hubBusArn('333333333333' as AccountId, region)).toBe(`arn:${partition}:events:${region}:333333333333:event-bus/tributary-hub`);
    expect(ownership.eventForwardingRoleArn(member, region)).toBe(`arn:${partition}:iam::111111111111:role/TributaryEventForwarding`);
    expect(ownership.destinationArn('222222222222' as AccountId, region)).toBe(
      `arn:${partition}:logs:${region}:222222222222:destination:tributary-central-logging`,
    );
    expect(ownership.logsDeliveryRoleArn(member, region)).toBe(`arn:${partition}:iam::111111111111:role/TributaryLogsDelivery`);
  });

  it("names each task's member role after the prefix and the task", () => {
    expect(ownership.memberRoleNameFor('TributaryMemberRole', 'SubscribeLogGroup')).toBe('TributaryMemberRole-SubscribeLogGroup');
  });
});
