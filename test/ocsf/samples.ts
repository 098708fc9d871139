/** Archived events for the OCSF suites: where they come from, and a CloudTrail record to vary. */
import type { ArchivedEvent } from '../../tasks/lib/data-path/ocsf';

export const TIMESTAMP = Date.UTC(2026, 11, 6, 10, 0, 0);

/** `message` as archived from `logGroup`, with a stream name that needs escaping. */
export const at = (message: string, logGroup = '/aws/any'): ArchivedEvent => ({
  account: '123456789012',
  region: 'eu-west-1',
  logGroup,
  logStream: 'stream "quoted" ✓',
  id: '37716512352535342233417452384736271264838849267492810000',
  timestamp: TIMESTAMP,
  message,
});

export const CLOUDTRAIL_IDENTITY = {
  type: 'AssumedRole',
  principalId: 'AROAEXAMPLE:alice',
  arn: 'arn:aws:sts::123456789012:assumed-role/Admin/alice',
  accountId: '123456789012',
  accessKeyId: 'ASIAEXAMPLE',
};

/** A CloudTrail record of an IAM write (its policy document escaped inside a string), as JSON text. */
export const cloudTrail = (overrides: Record<string, unknown> = {}): string =>
  JSON.stringify({
    eventVersion: '1.10',
    userIdentity: CLOUDTRAIL_IDENTITY,
    eventTime: '2026-12-06T09:59:58Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'PutRolePolicy',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    requestParameters: { roleName: 'app', policyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' },
    requestID: 'req-1',
    eventID: 'evt-1',
    ...overrides,
  });
