/**
 * OCSF mapping, validated against the official OCSF 1.1.0 schema sources: every line of the mixed
 * and realistic corpora and of real-shaped samples of each source; a mapping never throws and
 * always keeps the message byte for byte in raw_data. Skipped, with the reason in its title, where
 * ../shared/fixtures/ocsf-schema-1.1.0 is absent (TRIBUTARY_OCSF_SCHEMA points elsewhere).
 */
import { realisticPayload } from '../../bench/realistic-payloads';
import { generatePayload, SeededRandom } from '../../sim/log-payloads';
import { toOcsf, type ArchivedEvent } from '../../tasks/lib/data-path/ocsf';
import { OCSF_SCHEMA_DIR, ocsfSchemaPresent, OcsfSchema } from './ocsf-schema';
import { at, cloudTrail } from './samples';

const SAMPLES: ReadonlyArray<[string, ArchivedEvent, number]> = [
  ['a CloudTrail write', at(cloudTrail(), 'aws-cloudtrail-logs'), 6003],
  ['a refused CloudTrail call', at(cloudTrail({ eventName: 'DeleteTrail', errorCode: 'AccessDenied', errorMessage: 'not authorized' })), 6003],
  [
    'a console login',
    at(
      cloudTrail({
        eventSource: 'signin.amazonaws.com',
        eventName: 'ConsoleLogin',
        responseElements: { ConsoleLogin: 'Success' },
        additionalEventData: { MFAUsed: 'Yes' },
      }),
    ),
    3002,
  ],
  [
    'a failed console login',
    at(
      cloudTrail({
        eventSource: 'signin.amazonaws.com',
        eventName: 'ConsoleLogin',
        responseElements: { ConsoleLogin: 'Failure' },
        errorMessage: 'Failed authentication',
      }),
    ),
    3002,
  ],
  [
    'a call by an AWS service',
    at(cloudTrail({ userIdentity: { type: 'AWSService', invokedBy: 'logs.amazonaws.com' }, sourceIPAddress: 'logs.amazonaws.com' })),
    6003,
  ],
  [
    'a flow log, default format',
    at('2 123456789012 eni-0a1b2c3d 10.0.1.5 172.31.16.139 49152 443 6 12 6200 1765015200 1765015260 ACCEPT OK', '/tributary/flow-logs'),
    4001,
  ],
  [
    'a flow log, custom v5 format',
    at(
      '5 123456789012 eni-0a1b vpc-0a1b subnet-0a1b i-0a1b 10.0.1.5 10.0.2.9 53 34567 17 1 76 1765015200 1765015260 REJECT OK 0 IPv4 10.0.1.5 10.0.2.9 eu-west-1 euw1-az2 - - ingress 1',
    ),
    4001,
  ],
  ['a flow log with no data', at('2 123456789012 eni-0a1b - - - - - - - 1765015200 1765015260 - NODATA'), 0],
  [
    'a Route 53 Resolver query',
    at(
      JSON.stringify({
        version: '1.100000',
        account_id: '123456789012',
        region: 'eu-west-1',
        vpc_id: 'vpc-1',
        query_timestamp: '2026-12-06T10:00:00Z',
        query_name: 'xn--caf-dma.example.com.',
        query_type: 'A',
        query_class: 'IN',
        rcode: 'NXDOMAIN',
        answers: [],
        srcaddr: '10.0.1.5',
        srcport: '53211',
        transport: 'UDP',
      }),
    ),
    4003,
  ],
  [
    'an EKS audit event',
    at(
      JSON.stringify({
        kind: 'Event',
        apiVersion: 'audit.k8s.io/v1',
        auditID: 'a-1',
        verb: 'delete',
        user: { username: 'system:admin', uid: '1' },
        sourceIPs: ['10.0.3.4'],
        objectRef: { resource: 'secrets', namespace: 'payments', name: 'db' },
        responseStatus: { code: 200 },
        requestReceivedTimestamp: '2026-12-06T10:00:00.123456Z',
      }),
    ),
    6003,
  ],
  ['an application line with a stack trace', at('2026-12-06T10:00:00Z\t\u001b[31mERROR\u001b[0m boom\n    at handler (/var/task/index.js:1:1)'), 0],
  ['JSON of no known source', at('{"level":"info","msg":"café ✓"}'), 0],
];

const hostile = [
  '',
  ' ',
  '{',
  '{"eventSource":"x","eventName":"y"}',
  '{"eventVersion":null,"eventSource":{},"eventName":[]}',
  '{"eventVersion":"1","eventSource":"s3.amazonaws.com","eventName":"GetObject","userIdentity":"not an object","sourceIPAddress":42,"eventTime":"yesterday"}',
  '{"kind":"Event","apiVersion":"audit.k8s.io/v1","sourceIPs":[1,null],"responseStatus":{"code":"999999999999999999999"}}',
  '{"query_name":"","query_timestamp":null,"answers":"none"}',
  '2 x y z w v u t s r q p o n',
  '5 ' + 'a '.repeat(26),
  '"just a string"',
  '[1,2,3]',
  'null',
  '\u0000\u0001\u2028\u2029\ud83d\ude80 "quotes" \\ back',
  'x'.repeat(70_000),
];

(ocsfSchemaPresent ? describe : describe.skip)(
  ocsfSchemaPresent ? 'OCSF 1.1.0 mapping' : `OCSF 1.1.0 mapping: SKIPPED, schema not found at ${OCSF_SCHEMA_DIR} (set TRIBUTARY_OCSF_SCHEMA)`,
  () => {
    const schema = ocsfSchemaPresent ? new OcsfSchema() : (undefined as never);

    it.each(SAMPLES)('maps %s to its class, valid against the schema, keeping the raw message and our fields', (_name, event, classUid) => {
      const ocsf = toOcsf(event);
      expect(schema.validate(ocsf)).toEqual([]);
      expect(ocsf.class_uid).toBe(classUid);
      expect(ocsf.raw_data).toBe(event.message);
      expect(ocsf.cloud).toEqual({ provider: 'AWS', region: event.region, account: { uid: event.account } });
      expect(ocsf.metadata).toMatchObject({ version: '1.1.0', log_name: event.logGroup, uid: event.id });
    });

    it('maps every line of the seeded and the realistic corpora to a valid event', () => {
      const random = new SeededRandom(7);
      const problems: string[] = [];
      const classes = new Map<unknown, number>();
      for (let i = 0; i < 120; i++) {
        const payload = i % 2 === 0 ? realisticPayload(random) : generatePayload(random);
        for (const logEvent of payload.logEvents.slice(0, 25)) {
          const ocsf = toOcsf({
            account: payload.owner,
            region: 'eu-west-1',
            logGroup: payload.logGroup,
            logStream: payload.logStream,
            ...(logEvent as { id: string; timestamp: number; message: string }),
          });
          classes.set(ocsf.class_uid, (classes.get(ocsf.class_uid) ?? 0) + 1);
          for (const problem of schema.validate(ocsf)) problems.push(`${payload.logGroup}: ${problem}`);
        }
      }
      expect(problems.slice(0, 20)).toEqual([]);
      expect([...classes.keys()].sort()).toEqual([0, 3002, 4001, 4003, 6003]);
    });

    it.each(hostile.map((message) => [message.slice(0, 40), message]))('never throws and keeps raw_data byte for byte: %j', (_label, message) => {
      const ocsf = toOcsf(at(message));
      expect(ocsf.raw_data).toBe(message);
      expect(schema.validate(ocsf)).toEqual([]);
    });

    it('the validator refuses what the schema refuses: a missing required attribute, an unknown one, a bad enum, a wrong type, uids that do not add up', () => {
      const valid = toOcsf(SAMPLES[0]![1]);
      const broken = {
        ...valid,
        type_uid: 600399,
        severity_id: 7,
        time: '2026-12-06',
        shoe_size: 44,
        api: { service: { name: 'iam' } },
        metadata: { ...(valid.metadata as object), profiles: ['cloud'], product: { vendor_name: 'AWS' } },
      };
      expect(schema.validate(broken).sort()).toEqual(
        [
          'type_uid: 600399 is not class_uid x 100 + activity_id',
          "severity_id: 7 is not a value of severity_id's enum",
          'time: "2026-12-06" is not a timestamp_t',
          'shoe_size: not an attribute of api_activity',
          'api.operation: required by api and missing',
          'metadata.product: needs at least one of name, uid',
        ].sort(),
      );
      const { cloud: _cloud, ...withoutCloud } = valid;
      expect(schema.validate(withoutCloud)).toEqual(['cloud: required by api_activity and missing']);
    });

    it('a refused call is a failure with its error code; a read is activity Read', () => {
      const refused = toOcsf(at(cloudTrail({ eventName: 'DeleteTrail', errorCode: 'AccessDenied' })));
      expect(refused).toMatchObject({ activity_id: 4, type_uid: 600304, status_id: 2, status_code: 'AccessDenied' });
      expect(toOcsf(at(cloudTrail({ eventName: 'GetObject' })))).toMatchObject({ activity_id: 2, status_id: 1 });
      expect(
        toOcsf(at(cloudTrail({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', responseElements: { ConsoleLogin: 'Failure' } }))),
      ).toMatchObject({
        class_uid: 3002,
        status_id: 2,
      });
    });
  },
);
