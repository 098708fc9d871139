/** Realistic EventBridge events, as member regions forward them to the hub bus. */
import { randomUUID } from 'crypto';

export interface CloudTrailEventOptions {
  /** A failed call carries an errorCode (and no responseElements). */
  readonly errorCode?: string;
  readonly time?: string;
}

export function createLogGroupEvent(account: string, region: string, logGroupName: string, options: CloudTrailEventOptions = {}) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.logs',
    account,
    time: options.time ?? new Date().toISOString(),
    region,
    resources: [],
    detail: {
      eventVersion: '1.09',
      userIdentity: { type: 'AssumedRole', accountId: account, arn: `arn:aws:sts::${account}:assumed-role/deployer/ci` },
      eventTime: options.time ?? new Date().toISOString(),
      eventSource: 'logs.amazonaws.com',
      eventName: 'CreateLogGroup',
      awsRegion: region,
      sourceIPAddress: 'cloudformation.amazonaws.com',
      userAgent: 'cloudformation.amazonaws.com',
      requestParameters: { logGroupName },
      responseElements: null,
      ...(options.errorCode ? { errorCode: options.errorCode, errorMessage: `${options.errorCode} for ${logGroupName}` } : {}),
      requestID: randomUUID(),
      eventID: randomUUID(),
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: account,
      eventCategory: 'Management',
    },
  };
}
