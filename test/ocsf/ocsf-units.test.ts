/**
 * The OCSF mapping field by field, without the schema: what each source's event becomes, exactly,
 * and what a member's hostile message (odd types, look-alike values, inherited property names)
 * becomes instead. The schema suite (ocsf-mapping.test.ts) checks these shapes are valid OCSF;
 * this one checks they say what the log said.
 */
import { apiActivity, toOcsf } from '../../tasks/lib/data-path/ocsf';
import { at, CLOUDTRAIL_IDENTITY, cloudTrail, TIMESTAMP } from './samples';

const json = (o: Record<string, unknown>): string => JSON.stringify(o);

function envelope(message: string, product: string, classUid: number, activityId: number, time: number, profiles = ['cloud']) {
  return {
    class_uid: classUid,
    category_uid: Math.floor(classUid / 1000),
    activity_id: activityId,
    type_uid: classUid * 100 + activityId,
    severity_id: 1,
    time,
    metadata: {
      version: '1.1.0',
      product: { name: product, vendor_name: 'AWS' },
      profiles,
      log_name: '/aws/any',
      log_provider: 'Amazon CloudWatch Logs',
      uid: '37716512352535342233417452384736271264838849267492810000',
      original_time: '2026-12-06T10:00:00.000Z',
    },
    cloud: { provider: 'AWS', region: 'eu-west-1', account: { uid: '123456789012' } },
    raw_data: message,
  };
}

const baseEvent = (message: string) => envelope(message, 'Amazon CloudWatch Logs', 0, 99, TIMESTAMP);

describe('the Base Event', () => {
  it.each([
    ['an application line', 'ERROR boom'],
    ['JSON of no known source', '{"level":"info"}'],
    ['a CloudTrail record after a space: CloudTrail writes none', ' {"eventVersion":"1.10","eventSource":"iam.amazonaws.com","eventName":"GetRole"}'],
    ['a JSON number', '5'],
    ['a JSON array', '[{"eventVersion":"1","eventSource":"s","eventName":"GetRole"}]'],
    ['a JSON string', '"{}"'],
    ['JSON null', 'null'],
    ['a broken object', '{"eventVersion":"1"'],
  ])('%s is a Base Event with the message in raw_data only', (_name, message) => {
    expect(toOcsf(at(message))).toEqual(baseEvent(message));
  });
});

describe('CloudTrail', () => {
  const record = (overrides: Record<string, unknown> = {}) =>
    cloudTrail({ userIdentity: { ...CLOUDTRAIL_IDENTITY, userName: 'alice-user', sessionContext: { sessionIssuer: { userName: 'Admin' } } }, ...overrides });

  it('a successful write is API Activity Create, every field in its place', () => {
    const message = record();
    expect(toOcsf(at(message))).toEqual({
      ...envelope(message, 'CloudTrail', 6003, 1, Date.UTC(2026, 11, 6, 9, 59, 58)),
      api: { operation: 'PutRolePolicy', service: { name: 'iam.amazonaws.com' }, request: { uid: 'req-1' }, version: '1.10' },
      actor: {
        user: { uid: 'AROAEXAMPLE:alice', name: 'Admin', type: 'AssumedRole', account: { uid: '123456789012' }, credential_uid: 'ASIAEXAMPLE' },
      },
      src_endpoint: { ip: '198.51.100.7' },
      status_id: 1,
      status: 'Success',
    });
  });

  it('a refused call is a failure with its code and message', () => {
    const ocsf = toOcsf(at(record({ eventName: 'DeleteTrail', errorCode: 'AccessDenied', errorMessage: 'not authorized' })));
    expect(ocsf).toMatchObject({
      activity_id: 4,
      type_uid: 600304,
      status_id: 2,
      status: 'Failure',
      status_code: 'AccessDenied',
      status_detail: 'not authorized',
    });
  });

  it('an empty error code is no error', () => {
    expect(toOcsf(at(record({ errorCode: '' })))).toMatchObject({ status_id: 1, status: 'Success' });
  });

  it('a service calling on its own is named by the service, and has no address', () => {
    const ocsf = toOcsf(at(record({ userIdentity: { type: 'AWSService', invokedBy: 'logs.amazonaws.com' }, sourceIPAddress: undefined, requestID: '' })));
    expect(ocsf).toMatchObject({
      actor: { user: { name: 'logs.amazonaws.com', type: 'AWSService' }, invoked_by: 'logs.amazonaws.com' },
      src_endpoint: { svc_name: 'unknown' },
      api: { operation: 'PutRolePolicy', service: { name: 'iam.amazonaws.com' }, version: '1.10' },
    });
    expect((ocsf.api as object) ?? {}).not.toHaveProperty('request');
    expect(ocsf.actor).toEqual({ user: { name: 'logs.amazonaws.com', type: 'AWSService' }, invoked_by: 'logs.amazonaws.com' });
  });

  it.each([
    ['the session issuer', { userName: 'u', arn: 'a', invokedBy: 'i', sessionContext: { sessionIssuer: { userName: 'issuer' } } }, 'issuer'],
    ['the user name', { userName: 'u', arn: 'a', invokedBy: 'i' }, 'u'],
    ['the ARN', { arn: 'a', invokedBy: 'i' }, 'a'],
    ['the invoking service', { invokedBy: 'i', userName: '' }, 'i'],
    ['nobody', { userName: 7, sessionContext: 'x' }, 'unknown'],
  ])('the actor is named by %s when that is the first there', (_what, userIdentity, name) => {
    expect((toOcsf(at(record({ userIdentity }))).actor as { user: { name: string } }).user.name).toBe(name);
  });

  it('a time CloudTrail did not write as a date is the time CloudWatch Logs stamped', () => {
    expect(toOcsf(at(record({ eventTime: 2026 }))).time).toBe(TIMESTAMP);
    expect(toOcsf(at(record({ eventTime: 'yesterday' }))).time).toBe(TIMESTAMP);
  });

  it('a successful console login with MFA is Authentication Logon, success', () => {
    const message = record({
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      responseElements: { ConsoleLogin: 'Success' },
      additionalEventData: { MFAUsed: 'Yes' },
    });
    expect(toOcsf(at(message))).toEqual({
      ...envelope(message, 'CloudTrail', 3002, 1, Date.UTC(2026, 11, 6, 9, 59, 58)),
      user: { uid: 'AROAEXAMPLE:alice', name: 'Admin', type: 'AssumedRole', account: { uid: '123456789012' }, credential_uid: 'ASIAEXAMPLE' },
      service: { name: 'signin.amazonaws.com' },
      src_endpoint: { ip: '198.51.100.7' },
      is_mfa: true,
      status_id: 1,
      status: 'Success',
    });
  });

  it.each([
    ['the outcome says so', { responseElements: { ConsoleLogin: 'Failure' } }, 'Failure'],
    ['an error code says so', { responseElements: { ConsoleLogin: 'Success' }, errorCode: 'Denied' }, 'Success'],
    ['an error message is there', { responseElements: { ConsoleLogin: 'Failure' }, errorMessage: 'Failed authentication' }, 'Failed authentication'],
  ])('a console login failed when %s', (_when, overrides, detail) => {
    const ocsf = toOcsf(at(record({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', additionalEventData: { MFAUsed: 'No' }, ...overrides })));
    expect(ocsf).toMatchObject({ class_uid: 3002, status_id: 2, status: 'Failure', status_detail: detail, is_mfa: false });
  });

  it('a record without an event version, source or name is not CloudTrail', () => {
    for (const message of [
      json({ eventSource: 'iam.amazonaws.com', eventName: 'GetRole' }),
      json({ eventVersion: '1', eventName: 'GetRole' }),
      json({ eventVersion: '1', eventSource: 'iam.amazonaws.com', eventName: '' }),
    ])
      expect(toOcsf(at(message))).toEqual(baseEvent(message));
  });
});

describe('the CRUD activity of an API name', () => {
  it.each([
    ['CreateUser', 1],
    ['GetObject', 2],
    ['BatchGetItem', 2],
    ['UpdateTrail', 3],
    ['TagResource', 3],
    ['DeleteTrail', 4],
    // Only the start of a name counts: these contain another verb later on.
    ['DescribeAddresses', 2],
    ['DeleteListener', 4],
    ['DeleteTagging', 4],
    ['StopLogging', 3],
    ['FooDelete', 99],
    ['Frobnicate', 99],
  ])('%s is activity %d', (operation, activity) => {
    expect(apiActivity(operation)).toBe(activity);
  });
});

describe('EKS audit', () => {
  const audit = (overrides: Record<string, unknown> = {}) =>
    json({
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      auditID: 'a-1',
      verb: 'delete',
      user: { username: 'system:admin', uid: '1' },
      sourceIPs: [7, '10.0.3.4'],
      objectRef: { resource: 'secrets', namespace: 'payments', name: 'db' },
      responseStatus: { code: 200 },
      requestReceivedTimestamp: '2026-12-06T10:00:00.123Z',
      ...overrides,
    });

  it('a delete is API Activity Delete, every field in its place', () => {
    const message = audit();
    expect(toOcsf(at(message))).toEqual({
      ...envelope(message, 'Amazon EKS', 6003, 4, Date.UTC(2026, 11, 6, 10, 0, 0, 123)),
      api: { operation: 'delete', request: { uid: 'a-1' }, version: 'audit.k8s.io/v1' },
      actor: { user: { name: 'system:admin', uid: '1' } },
      src_endpoint: { ip: '10.0.3.4' },
      resources: [{ name: 'db', type: 'secrets', namespace: 'payments' }],
      status_id: 1,
      status_code: '200',
    });
  });

  it.each([
    ['create', 1],
    ['get', 2],
    ['list', 2],
    ['watch', 2],
    ['update', 3],
    ['patch', 3],
    ['delete', 4],
    ['deletecollection', 4],
    ['impersonate', 99],
    ['', 99],
  ])('verb %j is activity %d', (verb, activity) => {
    expect(toOcsf(at(audit({ verb })))).toMatchObject({ activity_id: activity, type_uid: 600300 + activity });
  });

  it('an event with no verb, user, address or object says unknown, not nothing', () => {
    const ocsf = toOcsf(
      at(audit({ verb: undefined, auditID: undefined, user: undefined, sourceIPs: undefined, objectRef: undefined, responseStatus: undefined })),
    );
    expect(ocsf).toMatchObject({
      api: { operation: 'unknown', version: 'audit.k8s.io/v1' },
      actor: { user: { name: 'unknown' } },
      src_endpoint: { svc_name: 'unknown' },
      status_id: 0,
    });
    expect(Object.keys(ocsf)).not.toEqual(expect.arrayContaining(['resources']));
    expect(Object.keys(ocsf)).not.toEqual(expect.arrayContaining(['status_code']));
    expect(ocsf.api).toEqual({ operation: 'unknown', version: 'audit.k8s.io/v1' });
  });

  it('addresses that are not strings are skipped', () => {
    expect(toOcsf(at(audit({ sourceIPs: [1, null, { ip: 'x' }] }))).src_endpoint).toEqual({ svc_name: 'unknown' });
    expect(toOcsf(at(audit({ sourceIPs: '10.0.0.1' }))).src_endpoint).toEqual({ svc_name: 'unknown' });
  });

  it('an object named only by its resource, or only by its name', () => {
    expect(toOcsf(at(audit({ objectRef: { resource: 'pods' } }))).resources).toEqual([{ name: 'pods', type: 'pods' }]);
    expect(toOcsf(at(audit({ objectRef: { name: 'db' } }))).resources).toEqual([{ name: 'db' }]);
  });

  it.each([
    [399, 1, '399'],
    [400, 2, '400'],
    ['403', 2, '403'],
    ['403 ', 0, undefined],
    [' 403', 0, undefined],
    ['', 0, undefined],
    [['403'], 0, undefined],
    ['1e3', 0, undefined],
    ['-1', 1, '-1'],
    ['1234567890123456', 0, undefined],
  ])('a response code %j is status %d', (code, statusId, statusCode) => {
    const ocsf = toOcsf(at(audit({ responseStatus: { code } })));
    expect(ocsf.status_id).toBe(statusId);
    expect(ocsf.status_code).toBe(statusCode);
  });

  it('a record of another kind or API group is not EKS audit', () => {
    for (const message of [audit({ kind: 'List' }), audit({ apiVersion: 'v1' }), audit({ apiVersion: 'x/audit.k8s.io/v1' }), audit({ apiVersion: undefined })])
      expect(toOcsf(at(message)).class_uid).toBe(0);
  });
});

describe('Route 53 Resolver', () => {
  const query = (overrides: Record<string, unknown> = {}) =>
    json({
      version: '1.100000',
      query_timestamp: '2026-12-06T09:00:00Z',
      query_name: 'example.com.',
      query_type: 'A',
      query_class: 'IN',
      rcode: 'NOERROR',
      answers: [{ Rdata: '93.184.216.34', Type: 'A', Class: 'IN' }, { Type: 'CNAME' }, 'junk'],
      srcaddr: '10.0.1.5',
      srcport: '53211',
      ...overrides,
    });

  it('a query is DNS Activity Query, every field in its place', () => {
    const message = query();
    expect(toOcsf(at(message))).toEqual({
      ...envelope(message, 'Route 53 Resolver', 4003, 2, Date.UTC(2026, 11, 6, 9)),
      query: { hostname: 'example.com.', type: 'A', class: 'IN' },
      answers: [{ rdata: '93.184.216.34', type: 'A', class: 'IN' }],
      rcode_id: 0,
      rcode: 'NOERROR',
      src_endpoint: { ip: '10.0.1.5', port: 53211 },
    });
  });

  it.each([
    ['NOERROR', 0],
    ['FORMERR', 1],
    ['SERVFAIL', 2],
    ['NXDOMAIN', 3],
    ['NOTIMP', 4],
    ['REFUSED', 5],
    ['BADVERS', 99],
    // Names every object inherits are not rcodes.
    ['constructor', 99],
    ['toString', 99],
    ['__proto__', 99],
  ])('rcode %s is %d', (rcode, id) => {
    expect(toOcsf(at(query({ rcode }))).rcode_id).toBe(id);
  });

  it('a query with no answers, rcode or address has none, and says other and unknown', () => {
    const ocsf = toOcsf(at(query({ answers: 'none', rcode: undefined, srcaddr: undefined })));
    expect(ocsf).toMatchObject({ rcode_id: 99, src_endpoint: { svc_name: 'unknown' } });
    expect(Object.keys(ocsf)).not.toEqual(expect.arrayContaining(['answers']));
    expect(Object.keys(ocsf)).not.toEqual(expect.arrayContaining(['rcode']));
    expect(toOcsf(at(query({ answers: [] })))).not.toHaveProperty('answers');
  });

  it('a record without a name or a time is not a query', () => {
    for (const message of [query({ query_name: '' }), query({ query_timestamp: undefined })]) expect(toOcsf(at(message)).class_uid).toBe(0);
  });
});

describe('VPC flow logs', () => {
  const V2 = '2 123456789012 eni-0a1b2c3d 10.0.1.5 172.31.16.139 49152 443 6 12 6200 1765015200 1765015260 ACCEPT OK';
  const V5 =
    '5 123456789012 eni-0a1b vpc-0a1b subnet-0a1b i-0a1b 10.0.1.5 10.0.2.9 53 34567 17 1 76 1765015200 1765015260 REJECT OK 2 IPv4 10.0.1.5 10.0.2.9 eu-west-1 euw1-az2 - - egress 1';
  const flow = (message: string) => toOcsf(at(message));

  it('the default format is Network Activity Traffic, every field in its place', () => {
    expect(flow(V2)).toEqual({
      ...envelope(V2, 'Amazon VPC', 4001, 6, 1765015200_000, ['cloud', 'security_control']),
      start_time: 1765015200_000,
      end_time: 1765015260_000,
      src_endpoint: { ip: '10.0.1.5', port: 49152, interface_uid: 'eni-0a1b2c3d' },
      dst_endpoint: { ip: '172.31.16.139', port: 443 },
      connection_info: { protocol_num: 6, direction_id: 0 },
      traffic: { packets: 12, bytes: 6200 },
      action_id: 1,
      action: 'ACCEPT',
      status_id: 1,
    });
  });

  it('a custom v5 format keeps the VPC, subnet, instance, flags and direction', () => {
    expect(flow(V5)).toEqual({
      ...envelope(V5, 'Amazon VPC', 4001, 6, 1765015200_000, ['cloud', 'security_control']),
      start_time: 1765015200_000,
      end_time: 1765015260_000,
      src_endpoint: { ip: '10.0.1.5', port: 53, interface_uid: 'eni-0a1b', vpc_uid: 'vpc-0a1b', subnet_uid: 'subnet-0a1b', instance_uid: 'i-0a1b' },
      dst_endpoint: { ip: '10.0.2.9', port: 34567 },
      connection_info: { protocol_num: 17, direction_id: 2, tcp_flags: 2 },
      traffic: { packets: 1, bytes: 76 },
      action_id: 2,
      action: 'REJECT',
      status_id: 1,
    });
  });

  it('versions 3 and 4 read as v5; version 6 and a wrong field count do not', () => {
    expect(flow(V5.replace(/^5/, '3')).class_uid).toBe(4001);
    expect(flow(V5.replace(/^5/, '4')).class_uid).toBe(4001);
    expect(flow(V5.replace(/^5/, '6')).class_uid).toBe(0);
    expect(flow(V5.replace(/^5/, '2')).class_uid).toBe(0);
    expect(flow(V2.replace(/^2/, '3')).class_uid).toBe(0);
    expect(flow(`${V2} extra`).class_uid).toBe(0);
    // The v5 positions of the addresses, in a line of another length.
    expect(flow('3 123456789012 eni-1 vpc-1 subnet-1 i-1 10.0.1.5 10.0.2.9').class_uid).toBe(0);
  });

  it('spaces around and between fields are one separator', () => {
    expect(flow(`  ${V2.replaceAll(' ', '  ')}\t`)).toMatchObject({ class_uid: 4001, src_endpoint: { ip: '10.0.1.5', port: 49152 } });
  });

  it('a field written as - is absent, and a time absent falls back to when CloudWatch Logs stamped it', () => {
    const ocsf = flow('5 123456789012 - - - - 10.0.1.5 10.0.2.9 - - - - - - - - NODATA - - - - - - - - ingress -');
    expect(ocsf).toEqual({
      ...envelope(ocsf.raw_data as string, 'Amazon VPC', 4001, 6, Math.floor(TIMESTAMP / 1000) * 1000, ['cloud', 'security_control']),
      src_endpoint: { ip: '10.0.1.5' },
      dst_endpoint: { ip: '10.0.2.9' },
      connection_info: { direction_id: 1 },
      traffic: {},
      action_id: 0,
      status_id: 0,
    });
    expect(flow(`2 1 eni-1 10.0.1.5 10.0.2.9 1 2 6 1 1 - 1765015260 ACCEPT OK`).time).toBe(TIMESTAMP);
  });

  it('a timestamp not on a whole second falls back to the second it is in', () => {
    const ocsf = toOcsf({ ...at('2 1 eni-1 10.0.1.5 10.0.2.9 1 2 6 1 1 - - ACCEPT OK'), timestamp: TIMESTAMP + 999 });
    expect(ocsf.time).toBe(TIMESTAMP);
  });

  it.each([
    ['a source that is not an address', '2 1 eni-1 a10.0.1.5 10.0.2.9 1 2 6 1 1 1 2 ACCEPT OK'],
    ['a source with a suffix', '2 1 eni-1 10.0.1.5a 10.0.2.9 1 2 6 1 1 1 2 ACCEPT OK'],
    ['a destination that is not an address', '2 1 eni-1 10.0.1.5 host 1 2 6 1 1 1 2 ACCEPT OK'],
    ['no source', '2 1 eni-1 - 10.0.2.9 1 2 6 1 1 1 2 ACCEPT OK'],
    ['no destination', '2 1 eni-1 10.0.1.5 - 1 2 6 1 1 1 2 ACCEPT OK'],
  ])('%s is a Base Event', (_name, message) => {
    expect(flow(message)).toEqual(baseEvent(message));
  });

  it('an IPv6 address is an address', () => {
    expect(flow('2 1 eni-1 2001:db8::1 2001:db8::2 1 2 6 1 1 1 2 ACCEPT OK').dst_endpoint).toEqual({ ip: '2001:db8::2', port: 2 });
  });

  it('ports that are not decimal integers are absent', () => {
    expect(flow('2 1 eni-1 10.0.1.5 10.0.2.9 0x1bb 1e3 6 1 1 1 2 ACCEPT OK')).toMatchObject({
      src_endpoint: { ip: '10.0.1.5' },
      dst_endpoint: { ip: '10.0.2.9' },
    });
    expect(flow('2 1 eni-1 10.0.1.5 10.0.2.9 0x1bb 1e3 6 1 1 1 2 ACCEPT OK').dst_endpoint).toEqual({ ip: '10.0.2.9' });
  });
});
