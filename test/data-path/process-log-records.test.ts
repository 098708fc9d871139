/** The Lambda edge of the record processor: re-ingestion goes to the event's source stream through PutRecords. */
import { Logger } from '@aws-lambda-powertools/logger';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { firehoseRecord, generatePayload, SeededRandom } from '../../sim/log-payloads';
import { kinesisPutRecords, processLogRecords } from '../../tasks/process-log-records';

const STREAM = 'arn:aws:kinesis:eu-west-1:222222222222:stream/tributary-central-logging';

/** A Kinesis client whose PutRecords answers from `answer`, recording every request. */
function fakeKinesis(answer: (records: number, call: number) => Array<{ ErrorCode?: string }>) {
  const requests: PutRecordsCommand['input'][] = [];
  const client = new KinesisClient({ credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  client.middlewareStack.add(
    (_next, context) => async (args: any) => {
      if (context.commandName !== 'PutRecordsCommand') throw new Error(`unexpected ${context.commandName}`);
      requests.push(args.input);
      const Records = answer(args.input.Records.length, requests.length);
      return { output: { $metadata: {}, Records, FailedRecordCount: Records.filter((r) => r.ErrorCode).length }, response: {} } as any;
    },
    { step: 'initialize', name: 'fakeKinesis' },
  );
  return { client, requests };
}

describe('kinesisPutRecords', () => {
  it('sends to the stream ARN and answers each entry with its error code', async () => {
    // Prepare
    const { client, requests } = fakeKinesis(() => [{}, { ErrorCode: 'ProvisionedThroughputExceededException' }]);

    // Act
    const codes = await kinesisPutRecords(client, STREAM)([
      { data: Buffer.from('a'), partitionKey: 'p1' },
      { data: Buffer.from('b'), partitionKey: 'p2' },
    ]);

    // Assess
    expect(codes).toEqual([undefined, 'ProvisionedThroughputExceededException']);
    expect(requests[0]).toMatchObject({ StreamARN: STREAM, Records: [{ PartitionKey: 'p1' }, { PartitionKey: 'p2' }] });
  });
});

describe('processLogRecords', () => {
  it('re-ingests what does not fit to the source stream named in the event, retrying refused entries', async () => {
    // Prepare: records whose output together passes 6 MB
    const random = new SeededRandom(8);
    const records = Array.from({ length: 4 }, () => firehoseRecord(generatePayload(random, { kind: 'cloudtrail', events: 2000 })));
    const { client, requests } = fakeKinesis((n, call) => Array.from({ length: n }, (_, i) => (call === 1 && i === 0 ? { ErrorCode: 'InternalFailure' } : {})));
    const event = { invocationId: 'i', deliveryStreamArn: 'arn:aws:firehose:eu-west-1:222222222222:deliverystream/tributary-central-logging', region: 'eu-west-1', sourceKinesisStreamArn: STREAM, records };

    // Act
    const { records: out, report } = await processLogRecords(event, { kinesis: client, logger: new Logger({ logLevel: 'SILENT' }) });

    // Assess
    expect(report.reingested).toBeGreaterThan(0);
    expect(report.failed).toEqual([]);
    expect(requests.length).toBe(2);
    expect(requests.every((r) => r.StreamARN === STREAM)).toBe(true);
    expect(out.filter((r) => r.result === 'Dropped')).toHaveLength(report.reingested);
  });
});
