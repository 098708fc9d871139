/**
 * The tamper model's decisions (tasks/lib/tampering.ts) with data a member chooses: every field of
 * a tamper record is validated, the bound slides over the last hour, and a repair's result is read
 * for what it says was undone.
 */
import { parseTamperCall, repairsInWindow, repairVerdict, resourceHash, tamperRecordKey, withinBound, REPAIR_WINDOW_MS } from '../../tasks/lib/tampering';
import { tamperOutcome } from '../../tasks/report-tampering';
import { EventRouter } from '../../workflows/routing';

const call = (tamper: Record<string, unknown>, top: Record<string, unknown> = {}) => ({
  accountId: '123456789012',
  region: 'eu-west-1',
  ...top,
  tamper: {
    kind: 'subscription-filter',
    eventName: 'DeleteSubscriptionFilter',
    principal: 'arn:aws:sts::123456789012:assumed-role/admin/alice',
    eventTime: '2026-12-06T03:00:00Z',
    eventId: '0b9f2c1e-1111-4a4a-8a8a-123456789abc',
    resource: '/aws/lambda/app',
    ...tamper,
  },
});

describe('parseTamperCall', () => {
  it('accepts what CloudTrail sends', () => {
    expect(parseTamperCall(call({}))).toMatchObject({
      kind: 'subscription-filter',
      accountId: '123456789012',
      principal: 'arn:aws:sts::123456789012:assumed-role/admin/alice',
    });
  });

  it.each([
    ['tamper.kind', { kind: 'anything' }, {}],
    ['tamper.kind', { kind: '__proto__' }, {}],
    ['tamper.principal', { principal: 'arn:aws:iam::12345678901:user/x' }, {}],
    ['tamper.principal', { principal: 'arn:aws:sts::123456789012:assumed-role/a b' }, {}],
    ['tamper.principal', { principal: 'arn:aws:sts::123456789012:assumed-role/x\n{"forged":1}' }, {}],
    ['tamper.principal', { principal: 'arn:aws:sts::123456789012:assumed-role/x"},{"y' }, {}],
    ['tamper.eventName', { eventName: 'Delete"Filter' }, {}],
    ['tamper.eventId', { eventId: '../../etc' }, {}],
    ['tamper.eventTime', { eventTime: 'yesterday' }, {}],
    ['tamper.resource', { resource: '' }, {}],
    ['tamper.resource', { resource: 'x'.repeat(1025) }, {}],
    ['tamper.resource', { resource: 'line\nbreak' }, {}],
    ['accountId', {}, { accountId: '12345678901a' }],
    ['region', {}, { region: 'us-moon-1' }],
  ])('refuses a bad %s', (fieldName, tamper, top) => {
    expect(() => parseTamperCall(call(tamper, top))).toThrow(expect.objectContaining({ name: 'InvalidInput', message: expect.stringContaining(fieldName) }));
  });

  it('refuses an input without a tamper record', () => {
    expect(() => parseTamperCall({ accountId: '123456789012', region: 'eu-west-1' })).toThrow(expect.objectContaining({ name: 'InvalidInput' }));
  });
});

describe('the bound', () => {
  const now = Date.UTC(2026, 11, 6, 3, 30);

  it('counts repairs over the last hour, sliding across clock hours', () => {
    const times = [now - REPAIR_WINDOW_MS, now - REPAIR_WINDOW_MS + 1, now - 31 * 60_000, now - 1, now];
    expect(repairsInWindow(times, now)).toBe(4);
    expect(repairsInWindow([now + 1], now)).toBe(0);
  });

  it('allows a repair only below the bound', () => {
    expect(withinBound(4, 5)).toBe(true);
    expect(withinBound(5, 5)).toBe(false);
  });

  it('keys one resource of one kind in one account-region, whatever characters its name holds', () => {
    const a = tamperRecordKey(
      { accountId: '123456789012' as never, region: 'eu-west-1' as never, kind: 'subscription-filter', resource: '/a/b' },
      resourceHash,
    );
    const b = tamperRecordKey(
      { accountId: '123456789012' as never, region: 'eu-west-1' as never, kind: 'subscription-filter', resource: '/a/b#' },
      resourceHash,
    );
    const c = tamperRecordKey({ accountId: '123456789012' as never, region: 'eu-west-1' as never, kind: 'flow-logs', resource: '/a/b' }, resourceHash);
    expect(new Set([a, b, c]).size).toBe(3);
    expect(a).toMatch(/^tamper\/123456789012\/eu-west-1\/subscription-filter\/[0-9a-f]{32}$/);
  });
});

describe('what a repair says was undone', () => {
  it.each([
    ['subscription-filter', { status: 'Subscribed', changed: true }, 'repaired'],
    ['subscription-filter', { status: 'AlreadySubscribed', changed: false }, 'intact'],
    ['subscription-filter', { status: 'NoFilterSlot', changed: false }, 'failed'],
    ['flow-logs', { status: 'Done', totals: { created: 1, replaced: 0, failed: 0 } }, 'repaired'],
    ['flow-logs', { status: 'Done', totals: { created: 0, replaced: 1, failed: 0 } }, 'repaired'],
    ['flow-logs', { status: 'Done', totals: { created: 0, replaced: 0, failed: 0 } }, 'intact'],
    ['flow-logs', { status: 'Done', totals: { created: 1, replaced: 0, failed: 1 } }, 'failed'],
    ['guardduty', { status: 'Enabled', changed: true }, 'repaired'],
    ['guardduty', { status: 'Invited', changed: true }, 'failed'],
    ['forwarding-rule', { changed: true }, 'repaired'],
    ['account-policy', { changed: false }, 'intact'],
    ['account-policy', { error: 'Throttled', cause: '...' }, 'failed'],
    ['account-policy', null, 'failed'],
  ] as const)('%s %j: %s', (kind, result, verdict) => {
    expect(repairVerdict(kind, result)).toBe(verdict);
  });

  it('a destination outside the logging account is not ours; inside it, only its stack can restore it', () => {
    const logging = '222222222222';
    const config = { cloudTrail: 'existing' as const, accounts: { logging: logging as never } };
    const member = parseTamperCall(call({ kind: 'destination', resource: 'tributary-central-logging' }));
    const inLogging = parseTamperCall(call({ kind: 'destination', resource: 'tributary-central-logging' }, { accountId: logging }));
    expect(tamperOutcome(member, { repair: true }, { skipped: true }, config).outcome).toBe('intact');
    expect(tamperOutcome(inLogging, { repair: true }, { skipped: true }, config)).toEqual({
      outcome: 'not-repairable',
      detail: expect.stringContaining('TributaryPipeline-eu-west-1'),
    });
  });

  it('past the bound nothing is repaired, whatever the repair result says', () => {
    expect(
      tamperOutcome(parseTamperCall(call({})), { repair: false }, { changed: true }, { cloudTrail: 'existing', accounts: { logging: '222222222222' as never } })
        .outcome,
    ).toBe('left-unrepaired');
  });

  it.each([
    ['create', 'tributary-organization-trail', 'StopLogging', 'not-repairable', 'aws cloudtrail start-logging --name tributary-organization-trail'],
    [
      'create',
      'arn:aws:cloudtrail:us-east-1:111111111111:trail/tributary-organization-trail',
      'DeleteTrail',
      'not-repairable',
      'redeploy TributaryOrganizationEvents',
    ],
    ['create', 'someone-elses-trail', 'StopLogging', 'intact', 'not tributary-organization-trail'],
    ['create', 'x-tributary-organization-trail', 'StopLogging', 'intact', 'not tributary-organization-trail'],
    ['existing', 'aws-controltower-BaselineCloudTrail', 'PutEventSelectors', 'not-repairable', 'npx tributary plan'],
  ] as const)('a trail change (cloudTrail %s, %s, %s): %s', (mode, resource, eventName, outcome, detail) => {
    const trail = parseTamperCall(call({ kind: 'trail', resource, eventName }, { accountId: '111111111111', region: 'us-east-1' }));
    expect(tamperOutcome(trail, { repair: true }, { skipped: true }, { cloudTrail: mode, accounts: { logging: '222222222222' as never } })).toEqual({
      outcome,
      detail: expect.stringContaining(detail),
    });
  });
});

describe('which calls the hub takes for tampering', () => {
  const router = new EventRouter(undefined, { managementAccount: '111111111111', memberRoleName: 'TributaryMemberRole', partition: 'aws' });
  const deleteFilter = (arn: string | undefined) => ({
    version: '0',
    id: '1',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.logs',
    account: '123456789012',
    region: 'eu-west-1',
    time: '2026-12-06T03:00:00Z',
    resources: [],
    detail: {
      eventSource: 'logs.amazonaws.com',
      eventName: 'DeleteSubscriptionFilter',
      eventTime: '2026-12-06T03:00:00Z',
      eventID: '0b9f2c1e-1111-4a4a-8a8a-123456789abc',
      ...(arn ? { userIdentity: { arn } } : {}),
      requestParameters: { logGroupName: '/aws/lambda/app', filterName: 'tributary-central-logging' },
    },
  });

  it.each([
    ['a person', 'arn:aws:sts::123456789012:assumed-role/admin/alice', 'repair-tampering'],
    ['an IAM user', 'arn:aws:iam::123456789012:user/ci', 'repair-tampering'],
    ['the root user', 'arn:aws:iam::123456789012:root', 'repair-tampering'],
    [
      'a role named like ours under a path (its session ARN drops the path, so the name must differ)',
      'arn:aws:sts::123456789012:assumed-role/TributaryMemberRoleX/s',
      'repair-tampering',
    ],
    ["Tributary's member role", 'arn:aws:sts::123456789012:assumed-role/TributaryMemberRole-RemoveWiring/tributary', null],
    ['the StackSets execution role', 'arn:aws:sts::123456789012:assumed-role/stacksets-exec-0123abcd/x', null],
    ["the CDK's CloudFormation execution role", 'arn:aws:sts::123456789012:assumed-role/cdk-hnb659fds-cfn-exec-role-123456789012-eu-west-1/x', null],
    ['an AWS service, with no caller ARN', undefined, null],
  ])('%s: %s', (_who, arn, workflow) => {
    expect(router.route(deleteFilter(arn)).workflow).toBe(workflow);
  });

  it('another filter of the same group is not ours to defend', () => {
    const event = deleteFilter('arn:aws:sts::123456789012:assumed-role/admin/alice');
    (event.detail.requestParameters as { filterName: string }).filterName = 'tributary-central-logging-copy';
    expect(router.route(event).workflow).toBeNull();
  });
});
