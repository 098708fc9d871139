/**
 * The record processor never loses an event: conservation over seeded random batches with control
 * messages, corrupt records, records past 6 MB, and a source stream that throttles and fails.
 */
import { gzipSync } from 'zlib';
import { controlPayload, firehoseRecord, generatePayload, SeededRandom } from '../../sim/log-payloads';
import { decodeRecord } from '../../tasks/lib/data-path/cloudwatch-logs-record';
import { RESPONSE_LIMIT_BYTES, transformRecords, type PutRecordsPort, type ReingestEntry } from '../../tasks/lib/data-path/transform';
import type { FirehoseTransformationEventRecord } from 'aws-lambda';
import type { AccountId } from '../../tasks/lib/domain';
import type { LogEvent } from '../../sim/log-payloads';
import { HEARTBEAT_LOG_GROUP } from '../../tasks/lib/data-path/log-source';
import { expectValidLines, linesOf } from './log-lines';

const noSleep = async () => undefined;

/** A source stream that accepts entries, refusing some (seeded) as Kinesis does under load. */
function flakyStream(random: SeededRandom, failureRate: number, throwRate = 0): { put: PutRecordsPort; accepted: ReingestEntry[] } {
  const accepted: ReingestEntry[] = [];
  const put: PutRecordsPort = async (entries) => {
    if (random.next() < throwRate) throw Object.assign(new Error('Rate exceeded for stream'), { name: 'ProvisionedThroughputExceededException' });
    return entries.map((entry) => {
      if (random.next() < failureRate) return 'ProvisionedThroughputExceededException';
      accepted.push(entry);
      return undefined;
    });
  };
  return { put, accepted };
}

function eventIdsOf(records: readonly FirehoseTransformationEventRecord[]): Map<string, string[]> {
  const byRecord = new Map<string, string[]>();
  for (const r of records) {
    const decoded = decodeRecord(r.data);
    byRecord.set(r.recordId, decoded.ok && decoded.payload.messageType === 'DATA_MESSAGE' ? decoded.payload.logEvents.map((e) => (e as LogEvent).id) : []);
  }
  return byRecord;
}

function corrupt(random: SeededRandom): string {
  return random.pick([
    'not base64 at all!',
    Buffer.from('plain text, not gzip').toString('base64'),
    gzipSync('{"not":"cloudwatch logs"}').toString('base64'),
    gzipSync('not json').toString('base64'),
  ]);
}

function batch(random: SeededRandom, options: { huge: number }): FirehoseTransformationEventRecord[] {
  const records: FirehoseTransformationEventRecord[] = [];
  const count = random.int(20, 120);
  for (let i = 0; i < count; i++) {
    const roll = random.next();
    if (roll < 0.05) records.push(firehoseRecord(controlPayload()));
    else if (roll < 0.1) records.push(firehoseRecord(corrupt(random)));
    else records.push(firehoseRecord(generatePayload(random)));
  }
  // Records whose output alone, or together, passes the 6 MB response limit.
  for (let i = 0; i < options.huge; i++)
    records.splice(random.int(0, records.length), 0, firehoseRecord(generatePayload(random, { kind: 'cloudtrail', events: random.int(2500, 6000) })));
  return records;
}

describe('record processor conservation', () => {
  it.each([1, 2, 3])('seed %i: every event exactly once across delivered lines and re-ingested records, or its record failed with a reason', async (seed) => {
    // Prepare
    const random = new SeededRandom(seed);
    const input = batch(random, { huge: seed % 3 === 0 ? 3 : 1 });
    const stream = flakyStream(random, 0.2, 0.1);

    // Act
    const { records, report } = await transformRecords(input, { putRecords: stream.put, sleep: noSleep });

    // Assess: the response fits
    expect(Buffer.byteLength(JSON.stringify({ records }))).toBeLessThanOrEqual(RESPONSE_LIMIT_BYTES);
    expect(records.map((r) => r.recordId)).toEqual(input.map((r) => r.recordId));

    // Assess: conservation of events
    const seen = new Map<string, number>();
    const count = (id: string) => seen.set(id, (seen.get(id) ?? 0) + 1);
    expectValidLines(records);
    for (const r of records.filter((r) => r.result === 'Ok')) for (const line of linesOf(r)) count(line.id as string);
    for (const entry of stream.accepted) {
      const decoded = decodeRecord(Buffer.from(entry.data).toString('base64'));
      if (!decoded.ok) throw new Error('re-ingested data must be a CloudWatch Logs payload');
      decoded.payload.logEvents.forEach((e) => count((e as LogEvent).id));
    }
    const failed = new Map(report.failed.map((f) => [f.recordId, f.reason]));
    for (const [recordId, ids] of eventIdsOf(input)) {
      if (failed.has(recordId)) {
        expect(failed.get(recordId)).toMatch(/\w+/);
        expect(records.find((r) => r.recordId === recordId)!.result).toBe('ProcessingFailed');
      } else {
        for (const id of ids) expect({ id, times: seen.get(id) ?? 0 }).toEqual({ id, times: 1 });
      }
    }
    expect(report.reingested).toBeGreaterThan(0);
  });

  it('drops control messages and fails corrupt records with their reason, without failing the batch', async () => {
    // Prepare
    const good = firehoseRecord(generatePayload(new SeededRandom(9), { kind: 'vpcflow', events: 3 }));
    const input = [
      firehoseRecord(controlPayload()),
      firehoseRecord('%%%'),
      firehoseRecord(Buffer.from('hello').toString('base64')),
      firehoseRecord(gzipSync('[1,2]').toString('base64')),
      good,
    ];

    // Act
    const { records, report } = await transformRecords(input, {});

    // Assess
    expect(records.map((r) => r.result)).toEqual(['Dropped', 'ProcessingFailed', 'ProcessingFailed', 'ProcessingFailed', 'Ok']);
    expect(report.failed.map((f) => f.reason)).toEqual([
      'data is not base64',
      expect.stringContaining('data is not gzip'),
      expect.stringContaining('not a CloudWatch Logs subscription payload'),
    ]);
  });

  it('never marks a record Dropped whose data did not make it back to the stream', async () => {
    // Prepare: a stream that refuses everything
    const input = [
      firehoseRecord(generatePayload(new SeededRandom(3), { kind: 'cloudtrail', events: 4000 })),
      firehoseRecord(generatePayload(new SeededRandom(4), { kind: 'cloudtrail', events: 4000 })),
    ];
    let calls = 0;
    const refuseAll: PutRecordsPort = async (entries) => (calls++, entries.map(() => 'InternalFailure'));

    // Act
    const { records, report } = await transformRecords(input, { putRecords: refuseAll, sleep: noSleep, reingestAttempts: 4 });

    // Assess
    const notOk = records.filter((r) => r.result !== 'Ok');
    expect(notOk.length).toBeGreaterThan(0);
    expect(notOk.every((r) => r.result === 'ProcessingFailed')).toBe(true);
    expect(report.failed[0]!.reason).toContain('after 4 attempts: InternalFailure');
    expect(calls).toBe(4);
  });

  it('retries only the entries PutRecords refused, keeping the original partition key', async () => {
    // Prepare
    const huge = firehoseRecord(generatePayload(new SeededRandom(5), { kind: 'cloudtrail', events: 9000 }));
    const attempts: ReingestEntry[][] = [];
    const failFirst: PutRecordsPort = async (entries) => (
      attempts.push([...entries]),
      entries.map((_, i) => (attempts.length === 1 && i === 0 ? 'ProvisionedThroughputExceededException' : undefined))
    );

    // Act
    const { records, report } = await transformRecords([huge], { putRecords: failFirst, sleep: noSleep });

    // Assess: too large alone, so split in two halves; the refused half alone is sent again
    expect(records[0]!.result).toBe('Dropped');
    expect(report.split).toBe(1);
    expect(attempts.map((a) => a.length)).toEqual([2, 1]);
    expect(attempts.flat().every((e) => e.partitionKey === huge.kinesisRecordMetadata!.partitionKey)).toBe(true);
  });

  it('writes one line per event: group, stream, id, time and the raw message; account and category go to the object key', async () => {
    // Prepare
    const random = new SeededRandom(2);
    const trail = generatePayload(random, { kind: 'cloudtrail', events: 2 });
    const flow = generatePayload(random, { kind: 'vpcflow', events: 1 });

    // Act
    const { records } = await transformRecords([firehoseRecord(trail), firehoseRecord(flow)], {});

    // Assess
    expectValidLines(records);
    const lines = records.map((r) => linesOf(r));
    const [first] = trail.logEvents as LogEvent[];
    expect(lines[0]).toHaveLength(2);
    expect(lines[0]![0]).toEqual({ timestamp: first!.timestamp, logGroup: trail.logGroup, logStream: trail.logStream, id: first!.id, message: first!.message });
    expect(lines[1]![0]).toMatchObject({ logGroup: flow.logGroup, message: (flow.logEvents[0] as LogEvent).message });
    expect(records.map((r) => r.metadata!.partitionKeys)).toEqual([
      { account: trail.owner, category: 'audit' },
      { account: flow.owner, category: 'network' },
    ]);
  });

  it('names the heartbeat only for the canary group of the logging account; the same group of a member fails its record', async () => {
    // Prepare
    const canary = {
      messageType: 'DATA_MESSAGE' as const,
      owner: '222222222222' as AccountId,
      logGroup: HEARTBEAT_LOG_GROUP,
      logStream: 's',
      subscriptionFilters: [],
      logEvents: [{ id: '1', timestamp: 1, message: 'beat' }],
    };
    const impostor = { ...canary, owner: '100000000001' as AccountId };

    // Act
    const { records } = await transformRecords([firehoseRecord(canary), firehoseRecord(impostor)], { loggingAccount: '222222222222' });

    // Assess
    expect(records.map((r) => r.result)).toEqual(['Ok', 'ProcessingFailed']);
    expect(records[0]!.metadata!.partitionKeys).toEqual({ account: '222222222222', category: 'heartbeat' });
  });
});
