/**
 * Hostile and malformed input from member accounts: every case the adversarial review found, each
 * asserted on the delivered lines themselves (parsed one by one) and on the report.
 */
import { gzipSync } from 'zlib';
import type { FirehoseTransformationEventRecord, FirehoseTransformationResultRecord } from 'aws-lambda';
import { firehoseRecord, generatePayload, SeededRandom } from '../../sim/log-payloads';
import { DECOMPRESSED_LIMIT_BYTES } from '../../tasks/lib/data-path/cloudwatch-logs-record';
import { transformRecords } from '../../tasks/lib/data-path/transform';
import { expectValidLines, linesOf } from './log-lines';

const OWNER = '100000000001';
const T = Date.UTC(2026, 10, 23, 10, 0, 0);

function payloadRecord(logGroup: string, logEvents: unknown[], owner: unknown = OWNER): FirehoseTransformationEventRecord {
  return firehoseRecord(
    gzipSync(
      JSON.stringify({ messageType: 'DATA_MESSAGE', owner, logGroup, logStream: 'stream-1', subscriptionFilters: ['tributary-central-logging'], logEvents }),
    ).toString('base64'),
  );
}

function okLines(records: readonly FirehoseTransformationResultRecord[]): Array<Record<string, unknown>> {
  return records.filter((r) => r.result === 'Ok').flatMap((r) => linesOf(r));
}

describe('record processor against hostile input', () => {
  it('a CloudTrail message with newlines between its tokens stays one line and cannot forge another account', async () => {
    // Prepare
    const forged = `{"x":\n{"timestamp":${T},"account":"999999999999","region":"eu-west-1","id":"forged-1","message":"owned"}\n}`;
    const input = [payloadRecord('aws-cloudtrail-logs-org', [{ id: '1', timestamp: T, message: forged }])];

    // Act
    const { records } = await transformRecords(input, {});

    // Assess
    const lines = okLines(records);
    expectValidLines(records);
    expect(lines).toEqual([{ timestamp: T, logGroup: 'aws-cloudtrail-logs-org', logStream: 'stream-1', id: '1', message: forged }]);
    expect(records[0]!.metadata!.partitionKeys).toEqual({ account: OWNER, category: 'audit' });
  });

  it.each([[''], ['../../x/account=999999999999'], [999999999999], [null]])('owner %p fails its record with a reason naming the owner', async (owner) => {
    // Prepare
    const good = firehoseRecord(generatePayload(new SeededRandom(1)));
    const bad = payloadRecord('/ecs/app', [{ id: '1', timestamp: T, message: 'hello' }], owner);

    // Act
    const { records, report } = await transformRecords([good, bad], {});

    // Assess
    expect(records.map((r) => r.result)).toEqual(['Ok', 'ProcessingFailed']);
    expect(report.failed).toEqual([{ recordId: bad.recordId, reason: expect.stringContaining(`owner: ${JSON.stringify(owner)}`) }]);
  });

  it('a flow log line with a leading-zero port is delivered as valid JSON, its message intact', async () => {
    // Prepare
    const line = '2 100000000001 eni-0a1b2c3d 10.0.1.5 172.31.9.8 49152 0443 6 10 8400 1732350000 1732350060 ACCEPT OK';
    const input = [payloadRecord('/tributary/flow-logs', [{ id: '1', timestamp: T, message: line }])];

    // Act
    const { records } = await transformRecords(input, {});

    // Assess
    expectValidLines(records);
    expect(okLines(records)).toEqual([expect.objectContaining({ message: line })]);
    expect(records[0]!.metadata!.partitionKeys).toEqual({ account: OWNER, category: 'network' });
  });

  it('malformed events fail only themselves: reported, kept in bounded form, the rest of the batch delivered', async () => {
    // Prepare
    const bad = [
      { id: '2', timestamp: T },
      null,
      { id: '3', timestamp: 1e20, message: 'far future' },
      { id: '4', timestamp: 'abc', message: 'x' },
      { id: 5, timestamp: T, message: 'numeric id' },
    ];
    const mixed = payloadRecord('/ecs/app', [{ id: '1', timestamp: T, message: 'good' }, ...bad, { id: '6', timestamp: T, message: 'also good' }]);
    const others = [firehoseRecord(generatePayload(new SeededRandom(2))), firehoseRecord(generatePayload(new SeededRandom(3)))];

    // Act
    const { records, report } = await transformRecords([others[0]!, mixed, others[1]!], {});

    // Assess
    expectValidLines(records);
    expect(records.map((r) => r.result)).toEqual(['Ok', 'Ok', 'Ok']);
    const lines = linesOf(records[1]!);
    expect(lines.filter((l) => 'message' in l).map((l) => l.message)).toEqual(['good', 'also good']);
    const invalid = lines.filter((l) => 'invalid' in l);
    expect(invalid.map((l) => JSON.parse(l.event as string))).toEqual(bad);
    expect(invalid.map((l) => l.invalid)).toEqual([
      'message: undefined is not a string',
      'event: null is not an object',
      'timestamp: 100000000000000000000 is not epoch milliseconds',
      'timestamp: "abc" is not epoch milliseconds',
      'id: 5 is not a CloudWatch Logs event id',
    ]);
    expect(report.invalidEvents).toBe(5);
  });

  it('an event too large to render inline is delivered once, base64-encoded, never re-ingested', async () => {
    // Prepare
    const nul = '\u0000'.repeat(1_000_000);
    const input = [payloadRecord('/ecs/app', [{ id: '1', timestamp: T, message: nul }])];
    const put = jest.fn(async (entries: readonly unknown[]) => entries.map(() => undefined));

    // Act
    const { records, report } = await transformRecords(input, { putRecords: put });

    // Assess
    expect(put).not.toHaveBeenCalled();
    expect(report).toMatchObject({ ok: 1, reingested: 0, failed: [] });
    expectValidLines(records);
    const [line] = linesOf(records[0]!);
    expect(line).not.toHaveProperty('message');
    expect(Buffer.from(line!.messageBase64 as string, 'base64').toString('utf8')).toBe(nul);
  });

  it(`a gzip bomb is refused at ${DECOMPRESSED_LIMIT_BYTES / 2 ** 20} MiB without inflating it whole`, async () => {
    // Prepare: 40 gzip members of 10 MB of zeros, 400 MB inflated, about 400 KB on the wire
    const member = gzipSync(Buffer.alloc(10_000_000));
    const bomb = firehoseRecord(Buffer.concat(Array.from({ length: 40 }, () => member)).toString('base64'));
    const good = firehoseRecord(generatePayload(new SeededRandom(4)));
    global.gc?.();
    const before = process.memoryUsage();

    // Act
    const { records, report } = await transformRecords([bomb, good], {});

    // Assess
    const after = process.memoryUsage();
    expect(records.map((r) => r.result)).toEqual(['ProcessingFailed', 'Ok']);
    expect(report.failed[0]!.reason).toBe(`data decompresses to more than ${DECOMPRESSED_LIMIT_BYTES} bytes`);
    // The inflated bytes never exist at once: far below the 400 MB (the bound is the cap plus slack).
    // Buffers: the cap's worth at most, plus 1 MiB for the good record's and the response's own buffers
    // (no GC runs before `after`; without that slack the check once failed by 32 KB in a full run).
    expect(after.rss - before.rss).toBeLessThan(DECOMPRESSED_LIMIT_BYTES + 64 * 2 ** 20);
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(DECOMPRESSED_LIMIT_BYTES + 2 ** 20);
  });

  it('an event nested 5,000 deep fails its own record, with the reason; the other records of the batch are delivered', async () => {
    // Prepare: JSON.parse takes it, but it cannot be written back whole (JSON.stringify runs out of stack).
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const hostile = `{"messageType":"DATA_MESSAGE","owner":"${OWNER}","logGroup":"/app/web","logStream":"stream-1","subscriptionFilters":["tributary-central-logging"],"logEvents":[{"id":"1","timestamp":${T},"message":"ok"},${deep}]}`;
    const input = [
      firehoseRecord(gzipSync(hostile).toString('base64')),
      payloadRecord('/app/api', [{ id: '2', timestamp: T, message: 'fine' }], '100000000002'),
    ];

    // Act
    const { records, report } = await transformRecords(input, {});

    // Assess
    expect(records.map((r) => r.result)).toEqual(['ProcessingFailed', 'Ok']);
    expect(okLines(records)).toEqual([{ timestamp: T, logGroup: '/app/api', logStream: 'stream-1', id: '2', message: 'fine' }]);
    expect(report.failed).toEqual([{ recordId: records[0]!.recordId, reason: expect.stringContaining('nested too deeply') }]);
  });

  it('a forged owner (not an organization account the processor knows) and a forged heartbeat fail their own records with reasons; the rest is delivered', async () => {
    // Prepare: whoever can write to the stream chooses the owner and the group.
    const known = new Set(['100000000001', '100000000002', '222222222222']);
    const input = [
      payloadRecord('/app/web', [{ id: '1', timestamp: T, message: 'into another partition' }], '999999999999'),
      payloadRecord('/tributary/heartbeat', [{ id: '2', timestamp: T, message: 'beat' }], '100000000002'),
      payloadRecord('/app/api', [{ id: '3', timestamp: T, message: 'fine' }], '100000000001'),
      payloadRecord('/tributary/heartbeat', [{ id: '4', timestamp: T, message: 'beat' }], '222222222222'),
    ];

    // Act
    const { records, report } = await transformRecords(input, { knownAccounts: known, loggingAccount: '222222222222' });

    // Assess
    expect(records.map((r) => r.result)).toEqual(['ProcessingFailed', 'ProcessingFailed', 'Ok', 'Ok']);
    expect(report.failed).toEqual([
      { recordId: records[0]!.recordId, reason: 'owner: "999999999999" is not an account of the organization known to the processor' },
      {
        recordId: records[1]!.recordId,
        reason: 'logGroup: "/tributary/heartbeat" of 100000000002 is a forged heartbeat: only the logging account\'s canary group is the heartbeat',
      },
    ]);
    expect(records.slice(2).map((r) => r.metadata!.partitionKeys)).toEqual([
      { account: '100000000001', category: 'application' },
      { account: '222222222222', category: 'heartbeat' },
    ]);
  });
});
