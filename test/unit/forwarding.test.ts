/**
 * The forwarding rules, judged by what they match (the offline EventBridge matcher): member-region
 * triggers forwarded, tampering by anyone but Tributary forwarded, Tributary's own calls and failed
 * calls not; organization events from the management account only; the hub bus's policy.
 */
import { accountDepartedEvent, closeAccountEvent, createAccountResultEvent, createLogGroupEvent, createVpcEvent, regionOptInEvent } from '../../sim/events';
import { CATALOG } from '../../workflows/catalog';
import { matchesEventPattern } from '../../workflows/event-pattern';
import {
  departurePattern,
  hubBusPolicy,
  hubRulePattern,
  MEMBER_ACCOUNT_EVENTS_RULE_NAME,
  memberAccountEventsPattern,
  memberForwardingPattern,
  memberRegionTriggers,
  ORGANIZATION_EVENTS_REGION,
  ORGANIZATION_EVENTS_RULE_NAME,
  organizationEventsPattern,
  putOnHubBusStatement,
  tributaryCallerArns,
} from '../../workflows/forwarding';

const callers = { memberRoleName: 'TributaryMemberRole', partition: 'aws' as const };
const forwarding = memberForwardingPattern(callers);
const MANAGEMENT = '111111111111';

function filterCall(by: string | undefined, overrides: Record<string, unknown> = {}) {
  return {
    source: 'aws.logs',
    'detail-type': 'AWS API Call via CloudTrail',
    account: '123456789012',
    region: 'eu-west-1',
    detail: {
      eventSource: 'logs.amazonaws.com',
      eventName: 'DeleteSubscriptionFilter',
      ...(by ? { userIdentity: { arn: by } } : {}),
      requestParameters: { logGroupName: '/aws/lambda/orders', filterName: 'tributary-central-logging' },
      ...overrides,
    },
  };
}

describe('the member forwarding rule', () => {
  it.each([
    ['a CreateLogGroup', createLogGroupEvent('123456789012', 'eu-west-1', '/aws/lambda/orders'), true],
    ['a CreateVpc', createVpcEvent('123456789012', 'eu-west-1', 'vpc-0a1b2c3d4e5f60718'), true],
    ['a failed CreateLogGroup', createLogGroupEvent('123456789012', 'eu-west-1', '/x', { errorCode: 'AccessDenied' }), false],
    ['our filter deleted by a person', filterCall('arn:aws:sts::123456789012:assumed-role/Admin/alice'), true],
    ['our filter deleted by a user', filterCall('arn:aws:iam::123456789012:user/bob'), true],
    ['our filter deleted by a Tributary task role', filterCall('arn:aws:sts::123456789012:assumed-role/TributaryMemberRole-RemoveWiring/s'), false],
    ['our filter deleted by the StackSets execution role', filterCall('arn:aws:sts::123456789012:assumed-role/stacksets-exec-abc/s'), false],
    ['our filter deleted by a CDK deploy', filterCall('arn:aws:sts::123456789012:assumed-role/cdk-hnb659fds-cfn-exec-role-123456789012-eu-west-1/s'), false],
    ['our filter deleted by a role named like ours but for the prefix', filterCall('arn:aws:sts::123456789012:assumed-role/TributaryMemberRoleX/s'), true],
    ['our filter deleted with no caller (an AWS service)', filterCall(undefined), false],
    ['a failed delete of our filter', filterCall('arn:aws:sts::123456789012:assumed-role/Admin/alice', { errorCode: 'AccessDenied' }), false],
    [
      "a team's own filter deleted",
      filterCall('arn:aws:sts::123456789012:assumed-role/Admin/alice', { requestParameters: { logGroupName: '/x', filterName: 'team-filter' } }),
      false,
    ],
    ['an organization event', createAccountResultEvent('222222222222'), false],
  ])('%s: forwarded %s', (_, event, forwarded) => {
    expect(matchesEventPattern(forwarding, event)).toBe(forwarded);
  });

  it('names exactly the member-region triggers of the catalog', () => {
    const expected = CATALOG.flatMap((w) => w.triggers.filter((t) => t.origin === 'member-region').map((t) => t.id));
    expect(memberRegionTriggers()).toEqual(expected);
    expect(memberRegionTriggers()).toContain('CreateLogGroup');
    expect(memberRegionTriggers()).not.toContain('RegionOptIn');
  });

  it('refuses a catalog with no member-region trigger, and forwards no tampering when the catalog has none', () => {
    const organizationOnly = CATALOG.map((w) => ({ ...w, triggers: w.triggers.filter((t) => t.origin === 'organization') }));
    expect(() => memberForwardingPattern(callers, organizationOnly)).toThrow('the catalog has no member-region trigger to forward');
    const noTamper = CATALOG.map((w) => ({ ...w, triggers: w.triggers.filter((t) => !t.tamper) }));
    const pattern = memberForwardingPattern(callers, noTamper);
    expect(matchesEventPattern(pattern, createLogGroupEvent('123456789012', 'eu-west-1', '/x'))).toBe(true);
    expect(matchesEventPattern(pattern, filterCall('arn:aws:sts::123456789012:assumed-role/Admin/alice'))).toBe(false);
  });

  it("names Tributary's callers in the organization's partition", () => {
    expect(tributaryCallerArns({ memberRoleName: 'M', partition: 'aws-us-gov' })).toEqual([
      'arn:aws-us-gov:sts::*:assumed-role/M-*',
      'arn:aws-us-gov:sts::*:assumed-role/stacksets-exec-*',
      'arn:aws-us-gov:sts::*:assumed-role/cdk-*-cfn-exec-role-*',
    ]);
  });
});

describe('the hub and organization rules', () => {
  const deployment = { ...callers, managementAccount: MANAGEMENT };

  it('takes organization events from the management account only', () => {
    const trigger = CATALOG.flatMap((w) => w.triggers).find(
      (t) => t.origin === 'organization' && matchesEventPattern(t.eventPattern, createAccountResultEvent('222222222222')),
    )!;
    const pattern = hubRulePattern(trigger, deployment);
    expect(matchesEventPattern(pattern, { ...createAccountResultEvent('222222222222'), account: MANAGEMENT })).toBe(true);
    expect(matchesEventPattern(pattern, { ...createAccountResultEvent('222222222222'), account: '999999999999' })).toBe(false);
  });

  it("leaves Tributary's own tampering-shaped calls out of the hub's tamper rules, and does not pin member events to an account", () => {
    const tamper = CATALOG.flatMap((w) => w.triggers).find((t) => t.id === 'SubscriptionFilterTampered')!;
    const member = CATALOG.flatMap((w) => w.triggers).find((t) => t.id === 'CreateLogGroup')!;
    expect(matchesEventPattern(hubRulePattern(tamper, deployment), filterCall('arn:aws:sts::123456789012:assumed-role/Admin/alice'))).toBe(true);
    expect(matchesEventPattern(hubRulePattern(tamper, deployment), filterCall('arn:aws:sts::123456789012:assumed-role/TributaryMemberRole-X/s'))).toBe(false);
    expect(hubRulePattern(member, deployment)).toEqual(member.eventPattern);
  });

  it('forwards departures from the management account only', () => {
    const pattern = departurePattern(MANAGEMENT);
    for (const departure of [accountDepartedEvent('222222222222'), closeAccountEvent('222222222222')]) {
      expect(matchesEventPattern(pattern, { ...departure, account: MANAGEMENT })).toBe(true);
      expect(matchesEventPattern(pattern, { ...departure, account: '999999999999' })).toBe(false);
    }
    expect(matchesEventPattern(pattern, { ...createAccountResultEvent('222222222222'), account: MANAGEMENT })).toBe(false);
  });

  it("forwards the sources of the organization triggers, sorted and once each, and the member account's region opt-ins", () => {
    const sources = [
      ...new Set(CATALOG.flatMap((w) => w.triggers.filter((t) => t.origin === 'organization').flatMap((t) => (t.eventPattern as { source: string[] }).source))),
    ].sort();
    expect(organizationEventsPattern()).toEqual({ source: sources });
    expect(sources.length).toBeGreaterThan(1);
    expect(matchesEventPattern(memberAccountEventsPattern(), regionOptInEvent('222222222222', 'eu-central-1'))).toBe(true);
    expect(matchesEventPattern(memberAccountEventsPattern(), createLogGroupEvent('222222222222', 'us-east-1', '/x'))).toBe(false);
  });

  it('lets any principal of the organization, and only of it, put events on the hub bus', () => {
    const bus = 'arn:aws:events:us-east-1:333333333333:event-bus/tributary-hub';
    expect(hubBusPolicy(bus, 'o-exampleorg1')).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'OrganizationPutsEvents',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'events:PutEvents',
          Resource: bus,
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorg1' } },
        },
      ],
    });
    expect(putOnHubBusStatement(bus)).toEqual({ Effect: 'Allow', Action: 'events:PutEvents', Resource: bus });
  });
});

describe('the forwarding rules as deployed', () => {
  // Deployed rules are found by these names, and organization events arrive only in us-east-1.
  it('names the rules and the region of organization events', () => {
    expect([ORGANIZATION_EVENTS_REGION, ORGANIZATION_EVENTS_RULE_NAME, MEMBER_ACCOUNT_EVENTS_RULE_NAME]).toEqual([
      'us-east-1',
      'tributary-organization-events-to-hub',
      'tributary-account-events-to-hub',
    ]);
  });
});
