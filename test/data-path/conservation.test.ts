/**
 * Conservation through re-ingestion: a fake Kinesis stream that enforces PutRecords' limits feeds
 * every re-ingested record back through the processor, batch after batch, until it is drained.
 * Every input event must come out exactly once (as its line, or as an invalid line), or its record
 * must be reported failed with a reason.
 */
import { gzipSync } from 'zlib';
import type { FirehoseTransformationEventRecord } from 'aws-lambda';
import { controlPayload, firehoseRecord, generatePayload, SeededRandom, type LogEvent } from '../../sim/log-payloads';
import { decodeRecord } from '../../tasks/lib/data-path/cloudwatch-logs-record';
import { eventProblem } from '../../tasks/lib/data-path/log-line';
import { RESPONSE_LIMIT_BYTES, transformRecords, type PutRecordsPort } from '../../tasks/lib/data-path/transform';
import { expectValidLines, linesOf } from './log-lines';

/** Kinesis PutRecords: 1 MiB per record (data and partition key), 5 MiB and 500 records per request (API reference). */
const RECORD_LIMIT = 2 ** 20;
const REQUEST_LIMIT = 5 * 2 ** 20;
const REQUEST_ENTRIES = 500;

class FakeStream {
  public readonly queue: FirehoseTransformationEventRecord[] = [];
  public requests = 0;
  public constructor(private readonly random: SeededRandom) {}
  public readonly put: PutRecordsPort = async (entries) => {
    this.requests++;
    const sizes = entries.map((e) => e.data.byteLength + Buffer.byteLength(e.partitionKey));
    if (entries.length > REQUEST_ENTRIES)
      throw Object.assign(new Error(`${entries.length} records, more than ${REQUEST_ENTRIES}`), { name: 'ValidationException' });
    if (sizes.some((s) => s > RECORD_LIMIT)) throw Object.assign(new Error('a record is larger than 1 MiB'), { name: 'ValidationException' });
    if (sizes.reduce((a, b) => a + b, 0) > REQUEST_LIMIT) throw Object.assign(new Error('request larger than 5 MiB'), { name: 'InvalidArgumentException' });
    return entries.map((entry) => {
      if (this.random.next() < 0.1) return 'ProvisionedThroughputExceededException';
      this.queue.push(firehoseRecord(Buffer.from(entry.data).toString('base64')));
      return undefined;
    });
  };
}

function payloadRecord(logGroup: string, logEvents: unknown[]): FirehoseTransformationEventRecord {
  return firehoseRecord(
    gzipSync(
      JSON.stringify({ messageType: 'DATA_MESSAGE', owner: '100000000009', logGroup, logStream: 'hostile', subscriptionFilters: [], logEvents }),
    ).toString('base64'),
  );
}

let nextId = 9_000_000;
const id = () => String(++nextId);

function hostileRecords(): FirehoseTransformationEventRecord[] {
  const T = Date.UTC(2026, 10, 23, 10);
  const bombMember = gzipSync(Buffer.alloc(10_000_000));
  return [
    payloadRecord('aws-cloudtrail-logs-org', [{ id: id(), timestamp: T, message: `{"x":\n{"account":"999999999999","id":"forged-1"}\n}` }]),
    payloadRecord('/tributary/flow-logs', [{ id: id(), timestamp: T, message: '2 100000000009 eni-1 10.0.0.1 10.0.0.2 49152 0443 6 1 40 1 2 ACCEPT OK' }]),
    payloadRecord('/ecs/app', [
      { id: id(), timestamp: T, message: 'good' },
      { id: id(), timestamp: T },
      null,
      { id: id(), timestamp: 1e20, message: 'x' },
      { id: id(), timestamp: 'abc', message: 'y' },
    ]),
    payloadRecord('/ecs/app', [{ id: id(), timestamp: T, message: '\u0000'.repeat(1_000_000) }]),
    firehoseRecord(Buffer.concat(Array.from({ length: 40 }, () => bombMember)).toString('base64')),
    firehoseRecord('not base64!'),
  ];
}

/** What each input record must yield: `valid:<id>` or `invalid:<event JSON>` per event; none for records that cannot decode. */
function expectedOutcomes(records: readonly FirehoseTransformationEventRecord[]): Map<string, string[]> {
  const expected = new Map<string, string[]>();
  for (const r of records) {
    const decoded = decodeRecord(r.data);
    if (!decoded.ok || decoded.payload.messageType !== 'DATA_MESSAGE') continue;
    expected.set(
      r.recordId,
      decoded.payload.logEvents.map((e) => (eventProblem(e) ? `invalid:${JSON.stringify(e)}` : `valid:${(e as LogEvent).id}`)),
    );
  }
  return expected;
}

describe('record processor conservation through re-ingestion', () => {
  it.each([11, 12])('seed %i: every event exactly once or its record failed with a reason, the stream drained', async (seed) => {
    // Prepare: realistic records, responses past 6 MB, control messages and every hostile case
    const random = new SeededRandom(seed);
    const input: FirehoseTransformationEventRecord[] = Array.from({ length: 150 }, () => firehoseRecord(generatePayload(random)));
    for (let i = 0; i < 3; i++) input.push(firehoseRecord(generatePayload(random, { kind: 'cloudtrail', events: random.int(3000, 6000) })));
    input.push(firehoseRecord(controlPayload()), ...hostileRecords());
    input.sort(() => random.next() - 0.5);
    const expected = expectedOutcomes(input);
    const stream = new FakeStream(random);

    // Act: Firehose hands the processor up to 500 records a batch; re-ingested records come back later
    const seen = new Map<string, number>();
    const failed: Array<{ recordId: string; reason: string }> = [];
    let pending = [...input];
    let batches = 0;
    while (pending.length > 0 && batches < 200) {
      const batch = pending.slice(0, 500);
      pending = pending.slice(500);
      batches++;
      const { records, report } = await transformRecords(batch, { putRecords: stream.put, sleep: async () => undefined });
      expect(Buffer.byteLength(JSON.stringify({ records }))).toBeLessThanOrEqual(RESPONSE_LIMIT_BYTES);
      expectValidLines(records);
      for (const r of records.filter((r) => r.result === 'Ok')) {
        for (const line of linesOf(r)) {
          const key = 'invalid' in line ? `invalid:${line.event as string}` : `valid:${line.id as string}`;
          seen.set(key, (seen.get(key) ?? 0) + 1);
        }
      }
      failed.push(...report.failed);
      pending.push(...stream.queue.splice(0));
    }

    // Assess: drained; the undecodable input records failed with reasons; everything else once
    expect(pending).toEqual([]);
    expect(failed.map((f) => f.reason).sort()).toEqual([`data decompresses to more than ${64 * 2 ** 20} bytes`, 'data is not base64']);
    const outcomes = [...expected.values()].flat();
    expect(new Set(outcomes).size).toBe(outcomes.length);
    const wrong = outcomes.filter((key) => seen.get(key) !== 1).map((key) => `${key.slice(0, 60)} seen ${seen.get(key) ?? 0} times`);
    expect(wrong).toEqual([]);
    expect(seen.size).toBe(outcomes.length);
    expect(stream.requests).toBeGreaterThan(0);
  });
});
