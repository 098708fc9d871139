/** The Lambda edge of the record processor: re-ingestion goes to the event's source stream through PutRecords. */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { firehoseRecord, generatePayload, SeededRandom } from '../../sim/log-payloads';
import { kinesisPutRecords, processLogRecords } from '../../tasks/process-log-records';
import { KnownAccountsCache, readOrganizationAccounts } from '../../tasks/lib/organization-accounts';

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
    const codes = await kinesisPutRecords(
      client,
      STREAM,
    )([
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
    const event = {
      invocationId: 'i',
      deliveryStreamArn: 'arn:aws:firehose:eu-west-1:222222222222:deliverystream/tributary-central-logging',
      region: 'eu-west-1',
      sourceKinesisStreamArn: STREAM,
      records,
    };

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

describe("the organization's accounts at the processor", () => {
  const list = (accounts: string[]) => ({ accounts: { SS: accounts } });

  /** A DynamoDB client whose GetItem answers from `answer`, recording each table asked. */
  function fakeDynamo(answer: (call: number) => Record<string, unknown> | undefined | Error) {
    const tables: string[] = [];
    const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    client.middlewareStack.add(
      () => async (args: any) => {
        tables.push(args.input.TableName);
        const result = answer(tables.length);
        if (result instanceof Error) throw result;
        return { output: { $metadata: {}, Item: result }, response: {} } as any;
      },
      { step: 'initialize', name: 'fakeDynamo' },
    );
    return { client, tables };
  }

  it("reads the hub's list at most every five minutes, keeps the last list when a read fails, and checks nothing before the first list", async () => {
    // Prepare
    const table = 'arn:aws:dynamodb:us-east-1:333333333333:table/tributary-locks';
    const { client, tables } = fakeDynamo((call) => (call === 1 ? undefined : call === 2 ? list(['100000000001']) : new Error('ThrottlingException')));
    let now = 0;
    const errors: unknown[] = [];
    const cache = new KnownAccountsCache(
      () => readOrganizationAccounts(client, table),
      () => now,
      300_000,
      (error) => errors.push(error),
    );

    // Act
    const beforeAny = await cache.get();
    now = 300_000;
    const first = await cache.get();
    now = 400_000;
    const cached = await cache.get();
    now = 600_000;
    const afterFailure = await cache.get();

    // Assess
    expect(beforeAny).toBeUndefined();
    expect([...first!]).toEqual(['100000000001']);
    expect(cached).toBe(first);
    expect(afterFailure).toBe(first);
    expect(errors).toHaveLength(1);
    expect(tables).toEqual([table, table, table]);
  });

  it('fails the records of an owner outside the list, with the reason, and delivers the rest', async () => {
    // Prepare
    const { client } = fakeDynamo(() => list(['100000000001', '222222222222']));
    const knownAccounts = new KnownAccountsCache(() => readOrganizationAccounts(client, 'arn:aws:dynamodb:us-east-1:333333333333:table/tributary-locks'));
    const random = new SeededRandom(3);
    const member = generatePayload(random, { events: 2 });
    const records = [firehoseRecord({ ...member, owner: '100000000001' as never }), firehoseRecord({ ...member, owner: '999999999999' as never })];
    const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });

    // Act
    const result = await processLogRecords({ records } as never, { kinesis: fakeKinesis(() => []).client, logger, knownAccounts });

    // Assess
    expect(result.records.map((r) => r.result)).toEqual(['Ok', 'ProcessingFailed']);
    expect(result.report.failed).toEqual([
      { recordId: records[1]!.recordId, reason: 'owner: "999999999999" is not an account of the organization known to the processor' },
    ]);
  });
});
