/**
 * The record processor's decisions one at a time, with exact figures: the response budget to the
 * byte, when a record is rendered, put back whole, halved or failed, how re-ingestion retries and
 * batches, and what the report counts. The seeded conservation runs are record-processor.test.ts.
 */
import type { FirehoseTransformationEventRecord, FirehoseTransformationResultRecord } from 'aws-lambda';
import { createHash } from 'crypto';
import { controlPayload, firehoseRecord } from '../../sim/log-payloads';
import { decodeRecord, type DataMessage } from '../../tasks/lib/data-path/cloudwatch-logs-record';
import { dataMessage } from './data-message';
import {
  putRecordsBatches,
  putRecordsEntryBytes,
  transformRecords,
  type PutRecordsPort,
  type ReingestEntry,
  type TransformOptions,
} from '../../tasks/lib/data-path/transform';

let sequence = 0;

function payload(messages: readonly string[], extra: Partial<DataMessage> = {}): DataMessage {
  const logEvents = messages.map((message) => ({ id: String(++sequence).padStart(56, '0'), timestamp: 1_765_015_200_000, message }));
  return dataMessage(logEvents, { logStream: 'stream "1"', ...extra });
}

/** A stream that accepts everything and keeps what it was given, request by request. */
function stream(): { put: PutRecordsPort; requests: ReingestEntry[][] } {
  const requests: ReingestEntry[][] = [];
  return { put: async (entries) => (requests.push([...entries]), entries.map(() => undefined)), requests };
}

const EMPTY_RESPONSE = Buffer.byteLength('{"records":[]}');
/** What the budget reserves for a record that does not end Ok: its largest entry without data, and a comma. */
const reserved = (recordId: string): number => Buffer.byteLength(JSON.stringify({ recordId, result: 'ProcessingFailed' })) + 1;
const entrySize = (entry: FirehoseTransformationResultRecord): number => Buffer.byteLength(JSON.stringify(entry)) + 1;

/** The response limit at which exactly these records end as `outcome` says: Ok entries in full, every other record its reservation. */
function exactLimit(records: readonly FirehoseTransformationResultRecord[]): number {
  return EMPTY_RESPONSE + records.reduce((sum, r) => sum + (r.result === 'Ok' ? entrySize(r) : reserved(r.recordId)), 0);
}

async function run(records: readonly FirehoseTransformationEventRecord[], options: TransformOptions = {}) {
  const source = stream();
  const result = await transformRecords(records, { putRecords: source.put, sleep: async () => undefined, ...options });
  return { ...result, requests: source.requests };
}

const results = (records: readonly FirehoseTransformationResultRecord[]) => records.map((r) => r.result);

describe('the response budget', () => {
  it('uses every byte it can: at the exact size every record is Ok, one byte less the last is put back', async () => {
    // Prepare: a control message (Dropped) between two records that render.
    const records = [firehoseRecord(payload(['first'])), firehoseRecord(controlPayload()), firehoseRecord(payload(['second', 'third']))];
    const { records: unlimited } = await run(records);
    const limit = exactLimit(unlimited);

    // Act
    const atLimit = await run(records, { responseLimitBytes: limit });
    const below = await run(records, { responseLimitBytes: limit - 1 });

    // Assess
    expect(results(atLimit.records)).toEqual(['Ok', 'Dropped', 'Ok']);
    expect(Buffer.byteLength(JSON.stringify({ records: atLimit.records }))).toBeLessThanOrEqual(limit);
    expect(results(below.records)).toEqual(['Ok', 'Dropped', 'Dropped']);
    expect(below.report).toMatchObject({ ok: 1, dropped: 2, reingested: 1, split: 0 });
    expect(below.requests).toHaveLength(1);
  });

  it('a record whose messages alone cannot fit in what is left is put back whole, unrendered', async () => {
    // Prepare: B's 200 short messages are 268 bytes as base64, but their lines are far more. The
    // limit leaves room for A and less than B's lower bound after it, yet B's lower bound alone fits.
    const a = firehoseRecord(payload(['a'.repeat(3000)]));
    const b = firehoseRecord(payload(Array.from({ length: 200 }, () => 'x')));
    const { records: unlimited } = await run([a, b]);
    const floor = reserved(a.recordId) + reserved(b.recordId);
    const extraA = entrySize(unlimited[0]!) - reserved(a.recordId);
    const lowerBoundB = Math.ceil(200 / 3) * 4;
    const limit = EMPTY_RESPONSE + floor + extraA + lowerBoundB - 1;
    expect(entrySize(unlimited[1]!) - reserved(b.recordId)).toBeGreaterThan(limit - EMPTY_RESPONSE - floor);

    // Act
    const { records, report, requests } = await run([a, b], { responseLimitBytes: limit });

    // Assess: put back as it came, not halved (it may fit a response of its own next time).
    expect(results(records)).toEqual(['Ok', 'Dropped']);
    expect(report).toMatchObject({ reingested: 1, split: 0 });
    expect(requests.flat()).toHaveLength(1);
  });

  it('a record as large as an empty response holds is put back whole when others came first', async () => {
    // Prepare
    const a = firehoseRecord(payload(['a']));
    const b = firehoseRecord(payload(Array.from({ length: 50 }, (_, i) => `message ${i}`)));
    const { records: unlimited } = await run([a, b]);
    const floor = reserved(a.recordId) + reserved(b.recordId);
    const limit = EMPTY_RESPONSE + floor + entrySize(unlimited[1]!) - reserved(b.recordId);

    // Act
    const { records, report } = await run([a, b], { responseLimitBytes: limit });
    const alone = await run([b], { responseLimitBytes: limit - reserved(a.recordId) });

    // Assess
    expect(results(records)).toEqual(['Ok', 'Dropped']);
    expect(report).toMatchObject({ reingested: 1, split: 0 });
    expect(results(alone.records)).toEqual(['Ok']);
  });

  it('a record whose lower bound exactly fills an empty response is rendered, and halved because its lines do not fit', async () => {
    const b = firehoseRecord(payload(Array.from({ length: 30 }, () => 'x')));
    const limit = EMPTY_RESPONSE + reserved(b.recordId) + Math.ceil(30 / 3) * 4;
    const { records, report, requests } = await run([b], { responseLimitBytes: limit });
    expect(results(records)).toEqual(['Dropped']);
    expect(report).toMatchObject({ reingested: 1, split: 1 });
    expect(requests.flat().map((e) => (decodeRecord(Buffer.from(e.data).toString('base64')) as { payload: DataMessage }).payload.logEvents.length)).toEqual([
      15, 15,
    ]);
  });

  it.each([
    // 2,000 characters are at least 2,668 bytes of base64: not worth rendering.
    ['its message alone', 'y'.repeat(2000), () => Math.ceil(2000 / 3) * 4],
    // 300 control characters are 400 bytes of base64 as they are, and six times that as JSON.
    ['its rendered line', '\u0001'.repeat(300), (rendered: number) => rendered],
  ])('a record of one event too large for any response (%s) fails with the sizes, instead of going round forever', async (_what, message, needed) => {
    const record = firehoseRecord(payload([message]));
    const { records: unlimited } = await run([record]);
    const limit = 1500;
    const { records, report, requests } = await run([record], { responseLimitBytes: limit });
    expect(results(records)).toEqual(['ProcessingFailed']);
    const bytes = needed(entrySize(unlimited[0]!) - reserved(record.recordId));
    expect(report.failed).toEqual([
      { recordId: record.recordId, reason: `its one event needs at least ${bytes} bytes, more than a response of ${limit - EMPTY_RESPONSE} bytes holds` },
    ]);
    expect(requests).toEqual([]);
  });
});

describe('re-ingestion', () => {
  const overflowing = () => [firehoseRecord(payload(['kept'])), firehoseRecord(payload(['back', 'again'], { logStream: 'other' }))];
  const limitForFirst = async (records: readonly FirehoseTransformationEventRecord[]) => {
    const { records: unlimited } = await run(records);
    return EMPTY_RESPONSE + entrySize(unlimited[0]!) + reserved(records[1]!.recordId);
  };

  it("puts a record back under its Kinesis partition key, or its stream's name when it came without one", async () => {
    const records = overflowing();
    const limit = await limitForFirst(records);
    const withKey = await run([records[0]!, { ...records[1]!, kinesisRecordMetadata: { ...records[1]!.kinesisRecordMetadata!, partitionKey: 'shard-key' } }], {
      responseLimitBytes: limit,
    });
    const { kinesisRecordMetadata: _metadata, ...bare } = records[1]!;
    const without = await run([records[0]!, bare], { responseLimitBytes: limit });
    expect(withKey.requests.flat().map((e) => e.partitionKey)).toEqual(['shard-key']);
    expect(without.requests.flat().map((e) => e.partitionKey)).toEqual(['other']);
  });

  it('without a source stream, a record that does not fit fails with that reason', async () => {
    const records = overflowing();
    const { records: out, report } = await transformRecords(records, { responseLimitBytes: await limitForFirst(records) });
    expect(results(out)).toEqual(['Ok', 'ProcessingFailed']);
    expect(report.failed).toEqual([{ recordId: records[1]!.recordId, reason: 'the response is full and the source is not a Kinesis stream to re-ingest to' }]);
    expect(report.reingested).toBe(0);
  });

  it('retries what the stream refused, after full-jitter waits of 100 ms doubling to 2 s, and stops once all is in', async () => {
    // Prepare
    const records = overflowing();
    const waits: number[] = [];
    let calls = 0;
    const put: PutRecordsPort = async (entries) => (++calls <= 3 ? entries.map(() => 'ProvisionedThroughputExceededException') : entries.map(() => undefined));
    jest.spyOn(Math, 'random').mockReturnValue(0.5);

    // Act
    const { records: out, report } = await transformRecords(records, {
      responseLimitBytes: await limitForFirst(records),
      putRecords: put,
      sleep: async (ms) => void waits.push(ms),
    });
    jest.restoreAllMocks();

    // Assess
    expect(calls).toBe(4);
    expect(waits).toEqual([100, 200, 400]);
    expect(results(out)).toEqual(['Ok', 'Dropped']);
    expect(report).toMatchObject({ reingested: 1, failed: [] });
  });

  it('the waits stop doubling at 2 s, and after the last attempt the reason names the count and the last error', async () => {
    const records = overflowing();
    const waits: number[] = [];
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    const { records: out, report } = await transformRecords(records, {
      responseLimitBytes: await limitForFirst(records),
      putRecords: async () => {
        throw Object.assign(new Error('Rate exceeded for stream'), { name: 'ProvisionedThroughputExceededException' });
      },
      reingestAttempts: 7,
      sleep: async (ms) => void waits.push(ms),
    });
    jest.restoreAllMocks();
    expect(waits).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(results(out)).toEqual(['Ok', 'ProcessingFailed']);
    expect(report.failed).toEqual([
      {
        recordId: records[1]!.recordId,
        reason: 'could not re-ingest to the source stream after 7 attempts: ProvisionedThroughputExceededException: Rate exceeded for stream',
      },
    ]);
    expect(report).toMatchObject({ reingested: 0, dropped: 0 });
  });

  it('with no attempts allowed, nothing is put and the reason says so', async () => {
    const records = overflowing();
    const { report, requests } = await run(records, { responseLimitBytes: await limitForFirst(records), reingestAttempts: 0 });
    expect(requests).toEqual([]);
    expect(report.failed.map((f) => f.reason)).toEqual(['could not re-ingest to the source stream after 0 attempts: not attempted']);
  });

  it('a halved record whose first half never gets in fails, although its second half did', async () => {
    // Prepare
    const record = firehoseRecord(payload(Array.from({ length: 40 }, () => 'z')));
    let call = 0;
    const put: PutRecordsPort = async (entries) => entries.map(() => (call++ % 2 === 0 ? 'InternalFailure' : undefined));

    // Act
    const { records, report } = await transformRecords([record], {
      responseLimitBytes: 600,
      putRecords: put,
      sleep: async () => undefined,
      reingestAttempts: 1,
    });

    // Assess
    expect(results(records)).toEqual(['ProcessingFailed']);
    expect(report).toMatchObject({
      reingested: 0,
      split: 0,
      failed: [{ recordId: record.recordId, reason: 'could not re-ingest to the source stream after 1 attempts: InternalFailure' }],
    });
  });

  it('puts more than 5 MiB back in as many requests as it takes, none over 5 MiB', async () => {
    // Prepare: 12 records of two 350 KB messages that gzip barely shrinks, in a response too small
    // for any of them: 24 halves of about 260 KB.
    const noise = (n: number) => Buffer.concat(Array.from({ length: 8200 }, (_, k) => createHash('sha256').update(`${n}/${k}`).digest())).toString('base64');
    const records = Array.from({ length: 12 }, (_, i) => firehoseRecord(payload([noise(2 * i), noise(2 * i + 1)])));

    // Act
    const { records: out, report, requests } = await run(records, { responseLimitBytes: 100_000 });

    // Assess
    expect(results(out).every((r) => r === 'Dropped')).toBe(true);
    expect(report).toMatchObject({ reingested: 12, split: 12 });
    const requestBytes = requests.map((entries) => entries.reduce((sum, e) => sum + putRecordsEntryBytes(e), 0));
    expect(requestBytes.reduce((a, b) => a + b, 0)).toBeGreaterThan(5 * 1024 * 1024);
    expect(requests.length).toBeGreaterThan(1);
    for (const bytes of requestBytes) expect(bytes).toBeLessThanOrEqual(5 * 1024 * 1024);
  });

  it('waits on a real timer by default', async () => {
    jest.useFakeTimers();
    // Full jitter draws the wait in [0, 200) ms: a draw under 1 ms fired at once (1 run in about 200).
    const draw = jest.spyOn(Math, 'random').mockReturnValue(0.5);
    try {
      const records = overflowing();
      const limit = await limitForFirst(records);
      let calls = 0;
      const done = transformRecords(records, {
        responseLimitBytes: limit,
        putRecords: async (entries) => (++calls === 1 ? entries.map(() => 'ProvisionedThroughputExceededException') : entries.map(() => undefined)),
      });
      await jest.advanceTimersByTimeAsync(0);
      expect(calls).toBe(1);
      await jest.advanceTimersByTimeAsync(200);
      expect(calls).toBe(2);
      expect((await done).report.reingested).toBe(1);
    } finally {
      draw.mockRestore();
      jest.useRealTimers();
    }
  });
});

describe('PutRecords requests', () => {
  const MiB = 1024 * 1024;
  const split = (sizes: readonly number[]) => [
    ...putRecordsBatches(
      sizes.map((_, i) => i),
      (i) => sizes[i]!,
    ),
  ];

  it('hold at most 500 entries', () => {
    expect(split(Array.from({ length: 1001 }, () => 1)).map((b) => b.length)).toEqual([500, 500, 1]);
  });

  it('hold at most 5 MiB: exactly 5 MiB is one request, a byte more is two', () => {
    expect(split([3 * MiB, 2 * MiB])).toEqual([[0, 1]]);
    expect(split([3 * MiB, 2 * MiB + 1])).toEqual([[0], [1]]);
    expect(split([2 * MiB, 2 * MiB, 2 * MiB, 1, 1])).toEqual([
      [0, 1],
      [2, 3, 4],
    ]);
  });

  it('none for nothing', () => {
    expect(split([])).toEqual([]);
  });

  it('an entry larger than a request holds goes alone, never after an empty request', () => {
    expect(split([6 * MiB, 1])).toEqual([[0], [1]]);
  });

  it("count an entry's data and its partition key, in UTF-8 bytes", () => {
    expect(putRecordsEntryBytes({ data: new Uint8Array(1000), partitionKey: 'stream "1" ✓' })).toBe(1000 + Buffer.byteLength('stream "1" ✓'));
  });
});

describe('what ends where, and the report', () => {
  it('a data message with no events is Dropped and counts no events', async () => {
    const { records, report } = await run([firehoseRecord(payload([]))]);
    expect(results(records)).toEqual(['Dropped']);
    expect(report).toMatchObject({ ok: 0, dropped: 1, logEvents: 0 });
  });

  it("a selection that changes events is rendered from what it answers, not from the payload's text", async () => {
    const redacted: TransformOptions['selection'] = {
      category: () => true,
      events: (p) => ({ ...p, logEvents: p.logEvents.map((e) => ({ ...(e as object), message: 'redacted' })) }),
    };
    const { records } = await run([firehoseRecord(payload(['secret', 'secret too']))], { selection: redacted });
    const lines = Buffer.from(records[0]!.data!, 'base64').toString('utf8').trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { message: string }).message)).toEqual(['redacted', 'redacted']);
  });

  it('the canary group of any owner is an application when the processor knows no logging account', async () => {
    const { records } = await run([firehoseRecord(payload(['beat'], { logGroup: '/tributary/heartbeat' }))]);
    expect(results(records)).toEqual(['Ok']);
  });

  it('counts events and names the first 20 invalid ones, by record, in order', async () => {
    // Prepare: 3 records of 9 invalid events each, and a valid one each.
    const bad = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `bad-${i}`, timestamp: 1, message: 'm' }));
    const records = [0, 1, 2].map(() => firehoseRecord({ ...payload(['ok']), logEvents: [...payload(['ok']).logEvents, ...bad(9)] }));

    // Act
    const { report } = await run(records);

    // Assess
    expect(report.logEvents).toBe(30);
    expect(report.invalidEvents).toBe(27);
    expect(report.invalidSamples).toEqual([
      ...Array.from({ length: 9 }, (_, i) => ({ recordId: records[0]!.recordId, reason: `id: "bad-${i}" is not a CloudWatch Logs event id` })),
      ...Array.from({ length: 9 }, (_, i) => ({ recordId: records[1]!.recordId, reason: `id: "bad-${i}" is not a CloudWatch Logs event id` })),
      ...Array.from({ length: 2 }, (_, i) => ({ recordId: records[2]!.recordId, reason: `id: "bad-${i}" is not a CloudWatch Logs event id` })),
    ]);
  });

  it('counts Ok, Dropped, put back and halved records apart', async () => {
    // Prepare: an Ok record, a control message, a record put back whole and one halved.
    const ok = firehoseRecord(payload(['ok']));
    const whole = firehoseRecord(payload(['w'.repeat(200)]));
    const halved = firehoseRecord(payload(Array.from({ length: 40 }, () => 'h')));
    const records = [ok, firehoseRecord(controlPayload()), whole, halved];
    const { records: unlimited } = await run(records);
    const limit = EMPTY_RESPONSE + entrySize(unlimited[0]!) + reserved(records[1]!.recordId) + reserved(whole.recordId) + reserved(halved.recordId) + 100;

    // Act
    const { records: out, report } = await run(records, { responseLimitBytes: limit });

    // Assess
    expect(results(out)).toEqual(['Ok', 'Dropped', 'Dropped', 'Dropped']);
    expect(report).toMatchObject({ ok: 1, dropped: 3, reingested: 2, split: 1, failed: [] });
  });

  it('a failure that is not an unrenderable event fails the batch, not one record', async () => {
    const render = () => {
      throw new Error('bug');
    };
    await expect(run([firehoseRecord(payload(['m']))], { render })).rejects.toThrow('bug');
  });
});
