/**
 * CloudTrail in the simulated organization: every write call the simulator applies becomes an
 * "AWS API Call via CloudTrail" event on the default bus of the account and region where it was
 * made, some time later (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html).
 * It reaches the hub only along a rule deployed in that account-region at delivery time, so a call
 * that disables the very rule that would forward it is lost, as in AWS.
 *
 * Modelling assumptions (unverified: AWS documents no delivery time for these events; a trail's
 * log files to S3 average about 5 minutes,
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html):
 * each event arrives 30 to 180 s after its call, seeded per call. requestParameters carry the
 * request's fields with the first letter lower-cased, as CloudTrail records JSON-protocol calls.
 * Only calls in an account-region that a logging trail covers are recorded (sim/services/cloudtrail.ts).
 * Recording is off until `start()`: a story that never reads the events does not keep them.
 */
import { isWriteOperation } from './ledger';

/** CloudTrail's eventSource (and EventBridge's `aws.` source) of each simulated service. */
const EVENT_SOURCES: Readonly<Record<string, string>> = {
  CloudWatchLogs: 'logs',
  EC2: 'ec2',
  EventBridge: 'events',
  GuardDuty: 'guardduty',
  DynamoDB: 'dynamodb',
  Organizations: 'organizations',
  Account: 'account',
  STS: 'sts',
  CloudTrail: 'cloudtrail',
};

export const CLOUDTRAIL_DELAY_MS = { min: 30_000, max: 180_000 } as const;

export interface RecordedCall {
  /** Virtual ms when the event reaches the account-region's default bus. */
  readonly deliverAt: number;
  /** Virtual ms of the call. */
  readonly calledAt: number;
  readonly event: Readonly<Record<string, unknown>>;
}

export interface CallToRecord {
  readonly service: string;
  readonly operation: string;
  readonly input: Readonly<Record<string, unknown>>;
  readonly account: string;
  readonly region: string;
  /** The caller as CloudTrail's userIdentity.arn names it. */
  readonly principalArn: string;
  readonly now: number;
}

function lowerFirst(key: string): string {
  return key.charAt(0).toLowerCase() + key.slice(1);
}

function requestParameters(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(requestParameters);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [lowerFirst(k), requestParameters(v)]));
  return value;
}

export class CloudTrailRecorder {
  private recording = false;
  private pending: RecordedCall[] = [];
  private sequence = 0;

  /** @param draw a seeded number in [0, 1) per key (the simulator's fault injector). */
  public constructor(private readonly draw: (key: string) => number) {}

  /** From now on, every applied write call is recorded. */
  public start(): void {
    this.recording = true;
  }

  public record(call: CallToRecord): void {
    if (!this.recording || !isWriteOperation(call.operation)) return;
    const source = EVENT_SOURCES[call.service];
    if (!source) return;
    const id = `00000000-0000-4000-a000-${(++this.sequence).toString(16).padStart(12, '0')}`;
    const delay = CLOUDTRAIL_DELAY_MS.min + Math.floor((CLOUDTRAIL_DELAY_MS.max - CLOUDTRAIL_DELAY_MS.min) * this.draw(`cloudtrail/${id}`));
    const eventTime = new Date(call.now).toISOString().replace(/\.\d{3}Z$/, 'Z');
    this.pending.push({
      calledAt: call.now,
      deliverAt: call.now + delay,
      event: {
        version: '0',
        id,
        'detail-type': 'AWS API Call via CloudTrail',
        source: `aws.${source}`,
        account: call.account,
        time: eventTime,
        region: call.region,
        resources: [],
        detail: {
          eventVersion: '1.09',
          userIdentity: { type: 'AssumedRole', arn: call.principalArn, accountId: call.account },
          eventTime,
          eventSource: `${source}.amazonaws.com`,
          eventName: call.operation,
          awsRegion: call.region,
          requestParameters: requestParameters(call.input),
          responseElements: null,
          eventID: id,
          readOnly: false,
          eventType: 'AwsApiCall',
          managementEvent: true,
          recipientAccountId: call.account,
          eventCategory: 'Management',
        },
      },
    });
  }

  /** Calls recorded and not yet taken, oldest delivery first. */
  public take(): RecordedCall[] {
    const taken = this.pending.sort((a, b) => a.deliverAt - b.deliverAt);
    this.pending = [];
    return taken;
  }
}
