/**
 * Two consumers of one stream: what one processor puts back on the stream reaches the other too,
 * which has already taken the record once. Each marks its own re-ingestion and drops the other's,
 * and the SIEM takes only its share (categories, filters), in the archive's format or OCSF.
 */
import type { FirehoseTransformationEventRecord } from 'aws-lambda';
import { firehoseRecord } from '../../sim/log-payloads';
import { decodeRecord, type DataMessage, type StreamConsumer } from '../../tasks/lib/data-path/cloudwatch-logs-record';
import { ocsfRenderer } from '../../tasks/lib/data-path/ocsf-lines';
import { siemSelection } from '../../tasks/lib/data-path/siem-selection';
import { transformRecords, type ReingestEntry, type TransformOptions } from '../../tasks/lib/data-path/transform';
import { OCSF_SCHEMA_DIR, OcsfSchema, ocsfSchemaPresent } from '../ocsf/ocsf-schema';
import { linesOf } from './log-lines';

const OWNER = '123456789012';

function payload(logGroup: string, messages: readonly unknown[], logStream = 'app "stream" \'1\''): DataMessage {
  return {
    messageType: 'DATA_MESSAGE',
    owner: OWNER as DataMessage['owner'],
    logGroup,
    logStream,
    subscriptionFilters: ['tributary-central-logging'],
    logEvents: messages.map((message, i) =>
      typeof message === 'string'
        ? { id: `3771651235253534223341745238473627126483884926749281${String(i).padStart(4, '0')}`, timestamp: Date.UTC(2026, 11, 6) + i, message }
        : message,
    ),
  };
}

/** Runs `consumer`'s processor with a response too small for anything, and returns what it put back on the stream. */
async function reingestedBy(consumer: StreamConsumer, records: readonly FirehoseTransformationEventRecord[]): Promise<ReingestEntry[]> {
  const put: ReingestEntry[] = [];
  await transformRecords(records, {
    consumer,
    responseLimitBytes: 400,
    putRecords: async (entries) => (put.push(...entries), entries.map(() => undefined)),
  });
  return put;
}

const asRecord = (entry: ReingestEntry): FirehoseTransformationEventRecord => firehoseRecord(Buffer.from(entry.data).toString('base64'));

describe('two consumers of one stream', () => {
  it.each<[StreamConsumer, StreamConsumer]>([
    ['archive', 'siem'],
    ['siem', 'archive'],
  ])('what the %s processor re-ingests, the %s processor drops (it took the original)', async (first, second) => {
    // Prepare
    const original = firehoseRecord(payload('/aws/lambda/app', ['a'.repeat(600), 'b'.repeat(600)]));
    const entries = await reingestedBy(first, [original]);

    // Act
    const other = await transformRecords(entries.map(asRecord), { consumer: second });
    const same = await transformRecords(entries.map(asRecord), { consumer: first });

    // Assess
    expect(entries.length).toBeGreaterThan(0);
    expect(other.records.map((r) => r.result)).toEqual(entries.map(() => 'Dropped'));
    expect(other.report).toMatchObject({ otherConsumers: entries.length, ok: 0 });
    expect(same.records.map((r) => r.result)).toEqual(entries.map(() => 'Ok'));
    expect(same.records.flatMap((r) => linesOf(r).map((l) => l.message))).toEqual(['a'.repeat(600), 'b'.repeat(600)]);
  });

  it('marks every half of a record it splits, and keeps each event once across the halves', async () => {
    // Prepare
    const messages = Array.from({ length: 6 }, (_, i) => `${i}`.repeat(300));

    // Act
    const halves = await reingestedBy('siem', [firehoseRecord(payload('/aws/lambda/app', messages))]);

    // Assess
    const decoded = halves.map((h) => decodeRecord(Buffer.from(h.data).toString('base64')));
    expect(decoded.map((d) => d.ok && d.payload.reingestedBy)).toEqual(['siem', 'siem']);
    expect(decoded.flatMap((d) => (d.ok ? d.payload.logEvents.map((e) => (e as { message: string }).message) : []))).toEqual(messages);
  });

  it('cannot be told to drop a record by anything a member chooses: names and messages that spell the marker are archived', async () => {
    // Prepare
    const forged = firehoseRecord(payload('/aws/lambda/reingestedBy', ['{"reingestedBy":"siem"}'], '"reingestedBy"="siem"'));

    // Act
    const { records, report } = await transformRecords([forged], { consumer: 'archive' });

    // Assess
    expect(records[0]!.result).toBe('Ok');
    expect(report.otherConsumers).toBe(0);
  });

  it.each([['other'], [''], [1], [null]])('fails a record whose marker is not one of the consumers (%j), with the reason', async (marker) => {
    // Prepare
    const record = firehoseRecord({ ...payload('/aws/lambda/app', ['x']), reingestedBy: marker } as unknown as DataMessage);

    // Act
    const { records, report } = await transformRecords([record], {});

    // Assess
    expect(records[0]!.result).toBe('ProcessingFailed');
    expect(report.failed[0]!.reason).toMatch(/^reingestedBy: .* is not one of archive, siem$/);
  });
});

describe("the SIEM's share", () => {
  const siem = (options: Partial<TransformOptions> = {}): TransformOptions => ({
    consumer: 'siem',
    partitioned: false,
    selection: siemSelection({ categories: ['audit', 'network'], filters: { network: [' REJECT '] } }),
    ...options,
  });
  const accept = '2 123456789012 eni-1 10.0.0.1 10.0.0.2 443 49152 6 10 840 1700000000 1700000060 ACCEPT OK';
  const reject = '2 123456789012 eni-1 198.51.100.7 10.0.0.2 22 49152 6 1 40 1700000000 1700000060 REJECT OK';

  it('takes only the categories asked for; the rest is Dropped, not failed', async () => {
    // Prepare
    const records = [firehoseRecord(payload('/aws/lambda/app', ['hello'])), firehoseRecord(payload('aws-cloudtrail-logs', ['{"eventVersion":"1.10"}']))];

    // Act
    const { records: out, report } = await transformRecords(records, siem());

    // Assess
    expect(out.map((r) => r.result)).toEqual(['Dropped', 'Ok']);
    expect(report).toMatchObject({ unselected: 1, ok: 1, failed: [] });
    expect(out[1]!.metadata).toBeUndefined();
  });

  it('keeps within a filtered category only the events containing one of its strings, and every malformed event', async () => {
    // Prepare
    const record = firehoseRecord(payload('/vpc/flow-logs', [accept, reject, { id: 'not-digits', timestamp: 1, message: 'x' }, accept]));

    // Act
    const { records } = await transformRecords([record], siem());

    // Assess
    const lines = linesOf(records[0]!);
    expect(lines.map((l) => l.message ?? l.invalid)).toEqual([reject, 'id: "not-digits" is not a CloudWatch Logs event id']);
  });

  it('drops a record of a filtered category with no matching event', async () => {
    // Act
    const { records, report } = await transformRecords([firehoseRecord(payload('/vpc/flow-logs', [accept, accept]))], siem());

    // Assess
    expect(records[0]!.result).toBe('Dropped');
    expect(report.unselected).toBe(1);
  });

  it('never changes what the archive consumer takes: every event of every category', async () => {
    // Prepare
    const records = [firehoseRecord(payload('/vpc/flow-logs', [accept, reject])), firehoseRecord(payload('/aws/lambda/app', ['hello']))];

    // Act
    const { records: out } = await transformRecords(records, {});

    // Assess
    expect(out.flatMap((r) => linesOf(r).map((l) => l.message))).toEqual([accept, reject, 'hello']);
  });

  (ocsfSchemaPresent ? it : it.skip)(
    ocsfSchemaPresent
      ? 'renders OCSF lines that the OCSF 1.1.0 schema accepts, malformed events included'
      : `OCSF lines: SKIPPED, schema not found at ${OCSF_SCHEMA_DIR}`,
    async () => {
      // Prepare
      const schema = new OcsfSchema();
      const records = [
        firehoseRecord(payload('/vpc/flow-logs', [reject, { id: 'x', timestamp: -1, message: 7 }])),
        firehoseRecord(payload('aws-cloudtrail-logs', ['{"eventVersion":"1.10","eventSource":"iam.amazonaws.com","eventName":"DeleteRole"}'])),
      ];

      // Act
      const { records: out } = await transformRecords(records, siem({ render: ocsfRenderer('eu-west-1') }));

      // Assess
      const events = out.flatMap((r) => linesOf(r));
      expect(events.map((e) => e.class_uid)).toEqual([4001, 0, 6003]);
      for (const event of events) expect(schema.validate(event)).toEqual([]);
      expect(events[1]).toMatchObject({ raw_data: '{"id":"x","timestamp":-1,"message":7}', unmapped: { invalid: expect.stringMatching(/^id: "x"/) } });
    },
  );
});
