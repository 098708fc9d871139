/** Realistic EventBridge events, as member regions forward them to the hub bus. */
import { VIRTUAL_EPOCH } from '../workflows/local/virtual-clock';

export interface CloudTrailEventOptions {
  /** A failed call carries an errorCode (and no responseElements). */
  readonly errorCode?: string;
  readonly time?: string;
  /** The organization's management account, where Organizations and Control Tower events are delivered. @default the example config's */
  readonly managementAccount?: string;
}

const MANAGEMENT_ACCOUNT = '111111111111';

/** Offline, nothing reads the wall clock: events are stamped with the virtual epoch unless told otherwise. */
const DEFAULT_TIME = new Date(VIRTUAL_EPOCH).toISOString();

let sequence = 0;
/** A UUID-shaped id that is the same in every run (event ids carry no meaning offline). */
function eventId(): string {
  const hex = (++sequence).toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

function envelope(source: string, detailType: string, account: string, region: string, detail: Record<string, unknown>, time = DEFAULT_TIME) {
  return { version: '0', id: eventId(), 'detail-type': detailType, source, account, time, region, resources: [], detail };
}

export function createLogGroupEvent(account: string, region: string, logGroupName: string, options: CloudTrailEventOptions = {}) {
  return envelope(
    'aws.logs',
    'AWS API Call via CloudTrail',
    account,
    region,
    {
      eventVersion: '1.09',
      userIdentity: { type: 'AssumedRole', accountId: account, arn: `arn:aws:sts::${account}:assumed-role/deployer/ci` },
      eventTime: options.time ?? DEFAULT_TIME,
      eventSource: 'logs.amazonaws.com',
      eventName: 'CreateLogGroup',
      awsRegion: region,
      sourceIPAddress: 'cloudformation.amazonaws.com',
      userAgent: 'cloudformation.amazonaws.com',
      requestParameters: { logGroupName },
      responseElements: null,
      ...(options.errorCode ? { errorCode: options.errorCode, errorMessage: `${options.errorCode} for ${logGroupName}` } : {}),
      requestID: eventId(),
      eventID: eventId(),
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: account,
      eventCategory: 'Management',
    },
    options.time,
  );
}

/** Organizations reports the end of CreateAccount (SUCCEEDED or FAILED) as a service event. */
export function createAccountResultEvent(accountId: string, state: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED', options: CloudTrailEventOptions = {}) {
  return envelope('aws.organizations', 'AWS Service Event via CloudTrail', options.managementAccount ?? MANAGEMENT_ACCOUNT, 'us-east-1', {
    eventVersion: '1.08',
    eventSource: 'organizations.amazonaws.com',
    eventName: 'CreateAccountResult',
    eventType: 'AwsServiceEvent',
    serviceEventDetails: {
      createAccountStatus: {
        id: `car-${eventId().replace(/-/g, '').slice(-24)}`,
        state,
        accountName: `member-${accountId.slice(-4)}`,
        ...(state === 'SUCCEEDED' ? { accountId } : { failureReason: 'EMAIL_ALREADY_EXISTS' }),
        requestedTimestamp: DEFAULT_TIME,
        completedTimestamp: DEFAULT_TIME,
      },
    },
  });
}

/** The CreateAccount call itself: the account is IN_PROGRESS, not ready. */
export function createAccountCallEvent() {
  return envelope('aws.organizations', 'AWS API Call via CloudTrail', MANAGEMENT_ACCOUNT, 'us-east-1', {
    eventSource: 'organizations.amazonaws.com',
    eventName: 'CreateAccount',
    userIdentity: { accountId: MANAGEMENT_ACCOUNT },
    requestParameters: { accountName: 'new-member', email: 'new-member@example.com' },
    responseElements: { createAccountStatus: { state: 'IN_PROGRESS', id: 'car-1' } },
  });
}

export function createManagedAccountEvent(accountId: string, state: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED') {
  return envelope('aws.controltower', 'AWS Service Event via CloudTrail', MANAGEMENT_ACCOUNT, 'us-east-1', {
    eventSource: 'controltower.amazonaws.com',
    eventName: 'CreateManagedAccount',
    serviceEventDetails: {
      createManagedAccountStatus: {
        organizationalUnit: { organizationalUnitName: 'Workloads' },
        account: { accountName: 'member', accountId },
        state,
        message: 'AWS Control Tower successfully created an enrolled account.',
      },
    },
  });
}

/**
 * The joining account's own AcceptHandshake call: recorded in the joining account's CloudTrail; the
 * management account gets AccountJoinedOrganization instead.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_AcceptHandshake.html
 */
export function acceptHandshakeEvent(joiningAccountId: string, options: CloudTrailEventOptions = {}) {
  return envelope('aws.organizations', 'AWS API Call via CloudTrail', joiningAccountId, 'us-east-1', {
    eventSource: 'organizations.amazonaws.com',
    eventName: 'AcceptHandshake',
    userIdentity: { type: 'AssumedRole', accountId: joiningAccountId },
    requestParameters: { handshakeId: 'h-1234567890' },
    ...(options.errorCode ? { errorCode: options.errorCode, errorMessage: 'handshake not accepted' } : {}),
  });
}

/**
 * What the management account sees when an invited account joins: a service event
 * (https://docs.aws.amazon.com/organizations/latest/APIReference/API_AcceptHandshake.html). Its
 * detail carries no documented field naming the account, so nothing Tributary does depends on one;
 * the detail modelled here is the common CloudTrail service-event envelope only.
 */
export function accountJoinedEvent(options: CloudTrailEventOptions = {}) {
  return envelope('aws.organizations', 'AWS Service Event via CloudTrail', options.managementAccount ?? MANAGEMENT_ACCOUNT, 'us-east-1', {
    eventVersion: '1.08',
    eventSource: 'organizations.amazonaws.com',
    eventName: 'AccountJoinedOrganization',
    eventType: 'AwsServiceEvent',
    readOnly: false,
    managementEvent: true,
  });
}

export function regionOptInEvent(accountId: string, regionName: string, status: 'ENABLED' | 'ENABLING' | 'DISABLED' | 'DISABLING' = 'ENABLED') {
  return envelope('aws.account', 'Region Opt-In Status Change', accountId, 'us-east-1', { accountId, regionName, status });
}

export function createVpcEvent(account: string, region: string, vpcId: string, options: CloudTrailEventOptions = {}) {
  return envelope('aws.ec2', 'AWS API Call via CloudTrail', account, region, {
    eventVersion: '1.09',
    userIdentity: { type: 'AssumedRole', accountId: account },
    eventSource: 'ec2.amazonaws.com',
    eventName: 'CreateVpc',
    awsRegion: region,
    requestParameters: { cidrBlock: '10.0.0.0/16' },
    responseElements: options.errorCode ? null : { requestId: eventId(), vpc: { vpcId, state: 'pending', cidrBlock: '10.0.0.0/16' } },
    ...(options.errorCode ? { errorCode: options.errorCode, errorMessage: 'The maximum number of VPCs has been reached.' } : {}),
    recipientAccountId: account,
  });
}

function managementCall(eventName: string, accountId: string, options: CloudTrailEventOptions = {}) {
  const management = options.managementAccount ?? MANAGEMENT_ACCOUNT;
  return envelope('aws.organizations', 'AWS API Call via CloudTrail', management, 'us-east-1', {
    eventSource: 'organizations.amazonaws.com',
    eventName,
    userIdentity: { type: 'AssumedRole', accountId: management },
    requestParameters: { accountId },
    responseElements: null,
    ...(options.errorCode ? { errorCode: options.errorCode, errorMessage: `${eventName} failed` } : {}),
  });
}

export function removeAccountEvent(accountId: string, options: CloudTrailEventOptions = {}) {
  return managementCall('RemoveAccountFromOrganization', accountId, options);
}

export function closeAccountEvent(accountId: string, options: CloudTrailEventOptions = {}) {
  return managementCall('CloseAccount', accountId, options);
}

/**
 * Organizations' membership event once an account has left, whether it left or was removed
 * (the review behind issue #9, against the Organizations CloudTrail reference). The field path of
 * the account id, `serviceEventDetails.accountId`, is not documented: unverified.
 */
export function accountDepartedEvent(accountId: string, options: CloudTrailEventOptions = {}) {
  return envelope('aws.organizations', 'AWS Service Event via CloudTrail', options.managementAccount ?? MANAGEMENT_ACCOUNT, 'us-east-1', {
    eventSource: 'organizations.amazonaws.com',
    eventName: 'AccountDepartedOrganization',
    eventType: 'AwsServiceEvent',
    serviceEventDetails: { accountId, departedMethod: 'Left', departedTime: DEFAULT_TIME },
  });
}
