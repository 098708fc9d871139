/**
 * The workflow catalog: for each state machine, its ASL file, what starts it (EventBridge
 * patterns and input mappings, used verbatim by the CDK rules and by offline routing) and the
 * tasks its Task states call. One entry per workflow; start here to find anything about one.
 */
import { DESTINATION_WRITER_TIMEOUT_SECONDS } from '../tasks/lib/destination-access';
import { ACCOUNT_POLICY_NAME, DESTINATION_NAME, FORWARDING_RULE_NAME, SUBSCRIPTION_FILTER_NAME } from '../tasks/lib/ownership';
import type { TamperKind } from '../tasks/lib/tampering';
import type { TaskName } from '../tasks/registry';
import type { InputMapping } from './input-mapping';

export type WorkflowName =
  | 'subscribe-log-group'
  | 'enable-flow-logs'
  | 'onboard-account'
  | 'onboard-region'
  | 'subscribe-log-groups'
  | 'offboard-account'
  | 'reconcile'
  | 'repair-tampering'
  | 'backfill-region';

export interface WorkflowTrigger {
  /** Unique across the catalog; names the EventBridge rule. */
  readonly id: string;
  /**
   * Which bus AWS delivers the event to, and so which deployed rule forwards it to the hub bus
   * (`workflows/forwarding.ts`): the management account's us-east-1 (`organization`, the
   * organization events stack), each member's own us-east-1 (`member-account`, the member
   * account-events StackSet), or a member region (`member-region`, the rule `EnsureEventForwarding` keeps).
   */
  readonly origin: 'organization' | 'member-account' | 'member-region';
  readonly description: string;
  readonly eventPattern: Readonly<Record<string, unknown>>;
  readonly input: InputMapping;
  /**
   * A call that undoes Tributary's wiring: the member rule forwards it only when a principal other
   * than Tributary's own member roles made it (workflows/forwarding.ts). @default false
   */
  readonly tamper?: boolean;
}

export interface WorkflowSpec {
  readonly name: WorkflowName;
  readonly description: string;
  /** Path below `asl/`. */
  readonly aslFile: string;
  readonly triggers: readonly WorkflowTrigger[];
  /** An EventBridge schedule expression that also starts it. @default none */
  readonly schedule?: string;
  /**
   * `EXPRESS` for a short loop that mostly waits: billed by duration rather than by state
   * transition, at most 5 minutes, started only by a parent's `startExecution.sync:2`.
   * @default 'STANDARD'
   */
  readonly type?: 'STANDARD' | 'EXPRESS';
  readonly tasks: readonly TaskName[];
}

/** Every CloudTrail-based trigger keeps only successful calls: a failed call has an errorCode. */
const SUCCESSFUL_CALL = { errorCode: [{ exists: false }] } as const;

/** Organizations and Control Tower report an asynchronous result as a service event. */
const SERVICE_EVENT = 'AWS Service Event via CloudTrail';
const API_CALL = 'AWS API Call via CloudTrail';

/**
 * A successful call, by anyone but Tributary, that undoes `kind`; CloudTrail's request parameters
 * name the resource (JSON-protocol services record the request's own field names, first letter
 * lower-cased, in requestParameters: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
 */
function tamperTrigger(
  id: string,
  kind: TamperKind,
  description: string,
  service: string,
  detail: Record<string, unknown>,
  resource: string,
  extra: InputMapping = {},
  origin: WorkflowTrigger['origin'] = 'member-region',
): WorkflowTrigger {
  return {
    id,
    origin,
    tamper: true,
    description,
    eventPattern: {
      source: [`aws.${service}`],
      'detail-type': [API_CALL],
      detail: { eventSource: [`${service}.amazonaws.com`], ...detail, ...SUCCESSFUL_CALL },
    },
    input: {
      accountId: '$.account',
      region: '$.region',
      ...extra,
      tamper: {
        kind,
        eventName: '$.detail.eventName',
        principal: '$.detail.userIdentity.arn',
        eventTime: '$.detail.eventTime',
        eventId: '$.detail.eventID',
        resource,
      },
      trigger: { detailType: '$.detail-type', eventName: '$.detail.eventName' },
    },
  };
}

export const CATALOG: readonly WorkflowSpec[] = [
  {
    name: 'onboard-account',
    description: 'Wires a member account end to end: waits for its baseline role, then onboards every governed region it has enabled.',
    aslFile: 'onboard-account.asl.json',
    tasks: ['DescribeMemberAccount', 'CheckBaselineRole', 'CheckOutcome'],
    triggers: [
      {
        id: 'CreateAccountResult',
        origin: 'organization',
        description: 'Organizations CreateAccount finished with state SUCCEEDED (not the CreateAccount call itself, which is IN_PROGRESS)',
        eventPattern: {
          source: ['aws.organizations'],
          'detail-type': [SERVICE_EVENT],
          detail: { eventName: ['CreateAccountResult'], serviceEventDetails: { createAccountStatus: { state: ['SUCCEEDED'] } } },
        },
        input: {
          accountId: '$.detail.serviceEventDetails.createAccountStatus.accountId',
          trigger: { detailType: '$.detail-type', eventName: '$.detail.eventName' },
        },
      },
      {
        id: 'CreateManagedAccount',
        origin: 'organization',
        description: 'Control Tower Account Factory finished with state SUCCEEDED',
        eventPattern: {
          source: ['aws.controltower'],
          'detail-type': [SERVICE_EVENT],
          detail: { eventName: ['CreateManagedAccount'], serviceEventDetails: { createManagedAccountStatus: { state: ['SUCCEEDED'] } } },
        },
        input: {
          accountId: '$.detail.serviceEventDetails.createManagedAccountStatus.account.accountId',
          trigger: { detailType: '$.detail-type', eventName: '$.detail.eventName' },
        },
      },
    ],
  },
  {
    name: 'onboard-region',
    description:
      'Wires one account-region: destination access, event forwarding to the hub, a subscription filter on every existing log group, a flow log on every VPC, and GuardDuty membership.',
    aslFile: 'onboard-region.asl.json',
    tasks: ['CheckRegion', 'EnsureDestinationAccess', 'EnsureEventForwarding', 'EnsureAccountPolicy', 'EnsureFlowLogsPage', 'EnsureGuardDuty', 'CheckOutcome'],
    triggers: [
      {
        id: 'RegionOptInEnabled',
        origin: 'member-account',
        description: 'A member enabled an opt-in region (status ENABLED, not ENABLING)',
        eventPattern: { source: ['aws.account'], 'detail-type': ['Region Opt-In Status Change'], detail: { status: ['ENABLED'] } },
        input: { accountId: '$.detail.accountId', region: '$.detail.regionName', trigger: { detailType: '$.detail-type', status: '$.detail.status' } },
      },
    ],
  },
  {
    name: 'subscribe-log-groups',
    description:
      "Subscribes an account's log groups a page a second in all its regions at once, for onboard-account (or onboard-region, for one region): paced by its Wait, so no Lambda waits for CloudWatch Logs' rate quota; hands its cursors back before 5 minutes.",
    aslFile: 'subscribe-log-groups.asl.json',
    type: 'EXPRESS',
    tasks: ['SubscribeLogGroupsPage'],
    triggers: [],
  },
  {
    name: 'backfill-region',
    description:
      "Archives the retained history of an account-region's subscribed log groups (config backfill), once, up to each group's subscription filter; started by onboard-region, so the daily reconcile resumes what is unfinished.",
    aslFile: 'backfill-region.asl.json',
    tasks: ['BackfillLogGroups'],
    triggers: [],
  },
  {
    name: 'subscribe-log-group',
    description: "Puts Tributary's subscription filter on a newly created log group.",
    aslFile: 'subscribe-log-group.asl.json',
    tasks: ['SubscribeLogGroup'],
    triggers: [
      {
        id: 'CreateLogGroup',
        origin: 'member-region',
        description: 'CloudTrail CreateLogGroup (successful calls), forwarded from member regions to the hub bus',
        eventPattern: {
          source: ['aws.logs'],
          'detail-type': ['AWS API Call via CloudTrail'],
          detail: { eventSource: ['logs.amazonaws.com'], eventName: ['CreateLogGroup'], ...SUCCESSFUL_CALL },
        },
        input: {
          accountId: '$.account',
          region: '$.region',
          logGroupName: '$.detail.requestParameters.logGroupName',
          trigger: { detailType: '$.detail-type', eventName: '$.detail.eventName' },
        },
      },
    ],
  },
  {
    name: 'enable-flow-logs',
    description: "Puts Tributary's flow log on a newly created VPC.",
    aslFile: 'enable-flow-logs.asl.json',
    tasks: ['EnableFlowLogs'],
    triggers: [
      {
        id: 'CreateVpc',
        origin: 'member-region',
        description: 'CloudTrail CreateVpc (successful calls), forwarded from member regions to the hub bus',
        eventPattern: {
          source: ['aws.ec2'],
          'detail-type': [API_CALL],
          detail: { eventSource: ['ec2.amazonaws.com'], eventName: ['CreateVpc'], ...SUCCESSFUL_CALL },
        },
        input: {
          accountId: '$.account',
          region: '$.region',
          vpcId: '$.detail.responseElements.vpc.vpcId',
          trigger: { detailType: '$.detail-type', eventName: '$.detail.eventName' },
        },
      },
    ],
  },
  {
    name: 'offboard-account',
    description: 'Removes a departed account from account-list destination policies and GuardDuty membership; deletes no log data.',
    aslFile: 'offboard-account.asl.json',
    tasks: ['GovernedRegions', 'EnsureDestinationAccess', 'OffboardRegion', 'CheckOutcome', 'RemoveWiring', 'FindDepartedAccounts'],
    triggers: [
      {
        id: 'CloseAccount',
        origin: 'organization',
        description: 'The management account closed a member (successful calls only)',
        eventPattern: {
          source: ['aws.organizations'],
          'detail-type': [API_CALL],
          detail: { eventSource: ['organizations.amazonaws.com'], eventName: ['CloseAccount'], ...SUCCESSFUL_CALL },
        },
        input: { accountId: '$.detail.requestParameters.accountId', trigger: { detailType: '$.detail-type', eventName: '$.detail.eventName' } },
      },
      {
        id: 'AccountDepartedOrganization',
        origin: 'organization',
        // Organizations logs this membership event in the management account when an account
        // departs, whether it was removed (departedMethod REMOVED), left by itself (LEFT) or
        // otherwise. The field naming the account is not documented: the workflow compares the
        // organization with what is wired instead (tasks/find-departed-accounts.ts).
        description: 'An account departed the organization: offboard every wired account that is no longer an active member',
        eventPattern: { source: ['aws.organizations'], 'detail-type': [SERVICE_EVENT], detail: { eventName: ['AccountDepartedOrganization'] } },
        input: { sweep: 'departed', trigger: { detailType: '$.detail-type', eventName: '$.detail.eventName' } },
      },
    ],
  },
  {
    name: 'reconcile',
    description: 'Repairs drift: re-runs onboard-account for every ACTIVE account and reports what it repaired.',
    aslFile: 'reconcile.asl.json',
    tasks: [
      'AcquireReconcileLease',
      'ListActiveAccounts',
      'AccountDrift',
      'ReportDrift',
      'ReconcileDestinationAccess',
      'EnsureDestinationAccess',
      'ReleaseReconcileLease',
    ],
    triggers: [
      {
        id: 'AccountJoinedOrganization',
        origin: 'organization',
        // The event names no account in a documented field: the reconcile onboards every ACTIVE
        // account that joined within the last day instead (Organizations' JoinedTimestamp).
        description: 'An invited account joined the organization: onboard the accounts that joined in the last 24 hours',
        eventPattern: { source: ['aws.organizations'], 'detail-type': [SERVICE_EVENT], detail: { eventName: ['AccountJoinedOrganization'] } },
        input: { joinedWithinHours: '24', trigger: { detailType: '$.detail-type', eventName: '$.detail.eventName' } },
      },
    ],
    schedule: 'rate(1 day)',
  },
  {
    name: 'repair-tampering',
    description:
      "Repairs the one piece of Tributary's wiring a call undid, within minutes, and tells the SOC who did it; past a bound per resource and hour it alarms instead.",
    aslFile: 'repair-tampering.asl.json',
    tasks: [
      'CheckTamperBound',
      'SubscribeLogGroup',
      'EnsureAccountPolicy',
      'EnsureFlowLogsPage',
      'EnsureGuardDuty',
      'EnsureEventForwarding',
      'EnsureDestinationAccess',
      'ReportTampering',
    ],
    triggers: [
      tamperTrigger(
        'SubscriptionFilterTampered',
        'subscription-filter',
        "Tributary's subscription filter was deleted or overwritten",
        'logs',
        { eventName: ['DeleteSubscriptionFilter', 'PutSubscriptionFilter'], requestParameters: { filterName: [SUBSCRIPTION_FILTER_NAME] } },
        '$.detail.requestParameters.logGroupName',
        { logGroupName: '$.detail.requestParameters.logGroupName' },
      ),
      tamperTrigger(
        'AccountPolicyTampered',
        'account-policy',
        "Tributary's account-level subscription policy was deleted or overwritten",
        'logs',
        { eventName: ['DeleteAccountPolicy', 'PutAccountPolicy'], requestParameters: { policyName: [ACCOUNT_POLICY_NAME] } },
        '$.detail.requestParameters.policyName',
      ),
      // DeleteFlowLogs names flow log ids only, not their tags: the repair finds whether one was ours.
      tamperTrigger(
        'FlowLogsDeleted',
        'flow-logs',
        "Flow logs were deleted (Tributary's among them, perhaps)",
        'ec2',
        { eventName: ['DeleteFlowLogs'] },
        'vpc-flow-logs',
      ),
      tamperTrigger(
        'ForwardingRuleTampered',
        'forwarding-rule',
        "Tributary's forwarding rule was changed (a disabled or deleted rule forwards nothing: the SCP prevents that)",
        'events',
        {
          eventName: ['PutRule', 'PutTargets', 'RemoveTargets', 'DisableRule', 'DeleteRule'],
          $or: [{ requestParameters: { name: [FORWARDING_RULE_NAME] } }, { requestParameters: { rule: [FORWARDING_RULE_NAME] } }],
        },
        FORWARDING_RULE_NAME,
      ),
      tamperTrigger(
        'GuardDutyTampered',
        'guardduty',
        'A member left its GuardDuty administrator or deleted its detector',
        'guardduty',
        { eventName: ['DisassociateFromAdministratorAccount', 'DisassociateFromMasterAccount', 'DeleteDetector'] },
        '$.detail.requestParameters.detectorId',
      ),
      // Re-enabling needs guardduty:UpdateDetector, which can also suspend a detector: no task holds it,
      // so a suspension is reported to the SOC, naming the command, not repaired.
      tamperTrigger(
        'DetectorSuspended',
        'detector-suspended',
        'A member suspended its GuardDuty detector',
        'guardduty',
        { eventName: ['UpdateDetector'], requestParameters: { enable: [false] } },
        '$.detail.requestParameters.detectorId',
      ),
      tamperTrigger(
        'DestinationTampered',
        'destination',
        "Tributary's central destination or its access policy was changed (logging account)",
        'logs',
        { eventName: ['PutDestination', 'PutDestinationPolicy', 'DeleteDestination'], requestParameters: { destinationName: [DESTINATION_NAME] } },
        '$.detail.requestParameters.destinationName',
      ),
      // The organization trail lives in the management account, which no SCP restricts: its changes
      // there (us-east-1, where the organization events stack forwards) are reported.
      tamperTrigger(
        'TrailTampered',
        'trail',
        'A trail of the management account was stopped, deleted or updated',
        'cloudtrail',
        { eventName: ['StopLogging', 'DeleteTrail', 'UpdateTrail'] },
        '$.detail.requestParameters.name',
        {},
        'organization',
      ),
      tamperTrigger(
        'TrailSelectorsChanged',
        'trail',
        'A trail of the management account had its event selectors changed',
        'cloudtrail',
        { eventName: ['PutEventSelectors'] },
        '$.detail.requestParameters.trailName',
        {},
        'organization',
      ),
    ],
  },
];

export function workflowSpec(name: string): WorkflowSpec {
  const spec = CATALOG.find((w) => w.name === name);
  if (!spec) throw new Error(`unknown workflow "${name}" (known: ${CATALOG.map((w) => w.name).join(', ')})`);
  return spec;
}

/**
 * Each task Lambda's timeout, in seconds: the stack deploys it and the offline runner enforces it
 * (a function past it fails as `Lambda.Unknown`). Tasks that walk a page of resources under a
 * rate limit get longer.
 */
export const TASK_TIMEOUT_SECONDS: Readonly<Record<TaskName, number>> = {
  SubscribeLogGroup: 60,
  DescribeMemberAccount: 60,
  CheckBaselineRole: 60,
  CheckRegion: 60,
  EnsureEventForwarding: 60,
  // A page of a few groups, all at once; the Express run it belongs to lasts 5 minutes at most.
  SubscribeLogGroupsPage: 60,
  // The destination lease outlives these (tasks/lib/destination-access.ts).
  EnsureDestinationAccess: DESTINATION_WRITER_TIMEOUT_SECONDS,
  EnsureFlowLogsPage: 300,
  EnableFlowLogs: 60,
  EnsureGuardDuty: 300,
  GovernedRegions: 60,
  OffboardRegion: 60,
  EnsureAccountPolicy: 300,
  ListActiveAccounts: 300,
  AccountDrift: 60,
  ReportDrift: 60,
  CheckOutcome: 30,
  AcquireReconcileLease: 30,
  ReleaseReconcileLease: 30,
  // Lists the organization, then records intents in every governed region.
  ReconcileDestinationAccess: 300,
  // Walks every log group, VPC flow log and the rule of one account-region.
  RemoveWiring: 300,
  // Reads each governed region's destination policy and GuardDuty members, and the account list.
  FindDepartedAccounts: 300,
  CheckTamperBound: 30,
  ReportTampering: 30,
  // STEPS_PER_INVOCATION FilterLogEvents pages of up to 1 MB, each written to the archive.
  BackfillLogGroups: 120,
};
