/**
 * Seeded, realistic CloudWatch Logs subscription payloads as Firehose receives them from the
 * central stream: CloudTrail records, VPC flow lines and application lines in realistic
 * proportions and sizes, plus the odd control message.
 */
import type { FirehoseTransformationEventRecord } from 'aws-lambda';
import { encodePayload, type CloudWatchLogsPayload, type ControlMessage, type DataMessage } from '../tasks/lib/data-path/cloudwatch-logs-record';
import type { LogEvent } from '../tasks/lib/data-path/log-line';
import { parseAccountId } from '../tasks/lib/domain';

export type { LogEvent };
import { FaultInjector, NO_FAULTS } from './faults';

export class SeededRandom {
  private readonly source: FaultInjector;
  private n = 0;
  public constructor(seed: number) {
    this.source = new FaultInjector({ ...NO_FAULTS, seed });
  }
  public next(): number {
    return this.source.draw('random', this.n++);
  }
  public int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  public pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }
}

export const PAYLOAD_ACCOUNTS: readonly string[] = ['100000000001', '100000000002', '100000000003', '100000000004'];
const ACCOUNTS = PAYLOAD_ACCOUNTS.map((a) => parseAccountId(a));
const EVENT_NAMES = ['AssumeRole', 'GetObject', 'PutObject', 'DescribeInstances', 'CreateLogGroup', 'ConsoleLogin', 'Decrypt'];

function cloudTrailRecord(random: SeededRandom, account: string, time: number): string {
  return JSON.stringify({
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROA${random.int(100000, 999999)}:session`,
      arn: `arn:aws:sts::${account}:assumed-role/app-role/session`,
      accountId: account,
      sessionContext: { attributes: { creationDate: new Date(time - 60000).toISOString(), mfaAuthenticated: 'false' } },
    },
    eventTime: new Date(time).toISOString(),
    eventSource: 's3.amazonaws.com',
    eventName: random.pick(EVENT_NAMES),
    awsRegion: 'eu-west-1',
    sourceIPAddress: `10.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`,
    userAgent: 'aws-sdk-js/3.700.0 ua/2.1 os/linux lang/js md/nodejs#22.11.0 api/s3#3.700.0',
    requestParameters: { bucketName: `data-${random.int(1, 40)}`, key: `reports/${random.int(1, 99999)}.parquet` },
    responseElements: null,
    requestID: random.int(1e9, 9e9).toString(16),
    eventID: `${random.int(1e9, 9e9).toString(16)}-${random.int(1e4, 9e4)}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: false,
    recipientAccountId: account,
  });
}

function flowLine(random: SeededRandom, account: string, time: number): string {
  const start = Math.floor(time / 1000);
  return `2 ${account} eni-${random.int(1e7, 9e7).toString(16)} 10.0.${random.int(0, 255)}.${random.int(1, 254)} 172.31.${random.int(0, 255)}.${random.int(1, 254)} ${random.int(1024, 65535)} ${random.pick([443, 80, 22, 5432])} 6 ${random.int(1, 50)} ${random.int(40, 90000)} ${start} ${start + 60} ${random.pick(['ACCEPT', 'REJECT'])} OK`;
}

function appLine(random: SeededRandom, time: number): string {
  return `${new Date(time).toISOString()} ${random.pick(['INFO', 'INFO', 'INFO', 'WARN', 'ERROR'])} [req-${random.int(1e5, 9e5)}] handled ${random.pick(['GET', 'POST'])} /api/v1/orders/${random.int(1, 99999)} in ${random.int(1, 900)}ms user=${random.int(1, 5000)}`;
}

export interface PayloadOptions {
  /** Events in the payload. @default a realistic random count */
  readonly events?: number;
  readonly kind?: 'cloudtrail' | 'vpcflow' | 'application';
}

let eventSequence = 0;

export function generatePayload(random: SeededRandom, options: PayloadOptions = {}): DataMessage {
  const kind = options.kind ?? (random.next() < 0.35 ? 'cloudtrail' : random.next() < 0.6 ? 'vpcflow' : 'application');
  const account = random.pick(ACCOUNTS);
  const count = options.events ?? (kind === 'cloudtrail' ? random.int(1, 60) : random.int(5, 400));
  const base = Date.UTC(2026, 10, 23, random.int(0, 23), random.int(0, 59));
  const logEvents: LogEvent[] = Array.from({ length: count }, (_, i) => {
    const timestamp = base + i * 37;
    const message =
      kind === 'cloudtrail'
        ? cloudTrailRecord(random, account, timestamp)
        : kind === 'vpcflow'
          ? flowLine(random, account, timestamp)
          : appLine(random, timestamp);
    // CloudWatch Logs event ids are 56 decimal digits.
    return { id: `${timestamp}${String(++eventSequence).padStart(43, '0')}`, timestamp, message };
  });
  const logGroup = kind === 'cloudtrail' ? 'aws-cloudtrail-logs-org' : kind === 'vpcflow' ? '/tributary/flow-logs' : `/aws/lambda/orders-${random.int(1, 9)}`;
  return {
    messageType: 'DATA_MESSAGE',
    owner: account,
    logGroup,
    logStream: `${account}_stream_${random.int(1, 20)}`,
    subscriptionFilters: ['tributary-central-logging'],
    logEvents,
  };
}

export function controlPayload(): ControlMessage {
  return {
    messageType: 'CONTROL_MESSAGE',
    owner: 'CloudwatchLogs',
    logGroup: '',
    logStream: '',
    subscriptionFilters: [],
    logEvents: [{ id: '', timestamp: Date.UTC(2026, 0, 1), message: 'CWL CONTROL MESSAGE: Checking health of destination Kinesis stream.' }],
  };
}

let recordSequence = 0;

export function firehoseRecord(payload: CloudWatchLogsPayload | string): FirehoseTransformationEventRecord {
  const data = typeof payload === 'string' ? payload : encodePayload(payload).toString('base64');
  const id = ++recordSequence;
  return {
    recordId: `record-${id}`,
    approximateArrivalTimestamp: Date.UTC(2026, 10, 23),
    data,
    kinesisRecordMetadata: {
      shardId: 'shardId-000000000000',
      partitionKey: typeof payload === 'string' ? `pk-${id}` : payload.logStream,
      approximateArrivalTimestamp: Date.UTC(2026, 10, 23),
      sequenceNumber: String(id),
      subsequenceNumber: '0',
    },
  };
}
