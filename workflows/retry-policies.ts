/**
 * How every Task state of every workflow retries and catches, stated once: nine retry policies,
 * and for each Task state the policies it applies, in order, and the state its Catch (States.ALL)
 * leads to, if any. test/workflows/retry-policies.test.ts checks every ASL file against this, so a
 * changed retry count, a narrowed Catch or a dropped one fails a test (issue #20).
 */
import type { WorkflowName } from './catalog';

interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds: number;
  readonly BackoffRate: number;
  readonly MaxAttempts: number;
  readonly MaxDelaySeconds: number;
  readonly JitterStrategy: 'FULL';
}

/** Lambda's own transient errors (https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html). */
const LAMBDA_TRANSIENT = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.Unknown',
];
const TRANSIENT = [
  'Throttled',
  'ServiceUnavailable',
  'BaselineRoleNotReady',
  'States.Timeout',
  'Lambda.TooManyRequestsException',
  'Lambda.ServiceException',
  'Lambda.SdkClientException',
  'Lambda.AWSLambdaException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.Unknown',
];
const backoff = (ErrorEquals: readonly string[], IntervalSeconds: number, BackoffRate: number, MaxAttempts: number, MaxDelaySeconds: number): Retrier => ({
  ErrorEquals,
  IntervalSeconds,
  BackoffRate,
  MaxAttempts,
  MaxDelaySeconds,
  JitterStrategy: 'FULL',
});

export const RETRY_POLICIES = {
  /** An account-list destination policy not yet written with this intent: the writer is another execution. */
  destinationNotReady: backoff(['DestinationAccessNotReady'], 30, 2, 8, 600),
  /** Another execution holds the region's lease: short waits, many of them. */
  resourceLocked: backoff(['ResourceLocked'], 1, 1.5, 200, 10),
  /** A log group or VPC just created is not listed yet (eventual consistency). */
  notVisibleYet: backoff(['LogGroupNotVisibleYet', 'VpcNotVisibleYet'], 2, 2, 6, 60),
  /** Throttling always passes: about 15 minutes of it. */
  transient: backoff(TRANSIENT, 1, 2, 20, 60),
  /** One invocation reads every region: one read throttled past the SDK's retries repeats them all. */
  transientTwiceAsLong: backoff(TRANSIENT, 1, 2, 40, 60),
  /** A function that calls no AWS service: only Lambda's own errors. */
  lambdaTransient: backoff(LAMBDA_TRANSIENT, 1, 2, 6, 30),
  /**
   * Inside an Express run, which lasts 5 minutes at most: every retryable error of a task that
   * calls AWS, retried within about a minute. A run that still fails is rerun by its parent.
   */
  withinExpressRun: backoff(['DestinationAccessNotReady', 'ResourceLocked', 'LogGroupNotVisibleYet', 'VpcNotVisibleYet', ...TRANSIENT], 1, 2, 6, 20),
  /** An Express child run that failed (a page that kept failing, or its 5 minutes out): rerun from the last cursor it handed back. */
  childRunFailed: backoff(['States.TaskFailed'], 10, 2, 3, 60),
  /** A child execution that could not be started. */
  childExecution: backoff(
    ['StepFunctions.ExecutionLimitExceededException', 'StepFunctions.SdkClientException', 'StepFunctions.AWSStepFunctionsException'],
    2,
    2,
    6,
    60,
  ),
} as const;

export type RetryPolicy = keyof typeof RETRY_POLICIES;

/** A task that calls AWS retries everything a task of Tributary's raises on purpose. */
const CALLS_AWS: readonly RetryPolicy[] = ['destinationNotReady', 'resourceLocked', 'notVisibleYet', 'transient'];

export interface TaskPolicy {
  readonly retry: readonly RetryPolicy[];
  /** Where its Catch of States.ALL leads. @default no Catch: a failure fails the execution */
  readonly catchTo?: string;
}

export const TASK_POLICIES: Readonly<Record<WorkflowName, Readonly<Record<string, TaskPolicy>>>> = {
  'enable-flow-logs': { EnableFlowLogs: { retry: CALLS_AWS, catchTo: 'RecordFailure' } },
  'subscribe-log-group': {
    SubscribeLogGroup: { retry: CALLS_AWS, catchTo: 'RecordFailure' },
    StartBackfill: { retry: ['childExecution'], catchTo: 'BackfillNotStarted' },
  },
  'onboard-account': {
    DescribeMemberAccount: { retry: CALLS_AWS },
    CheckBaselineRole: { retry: CALLS_AWS },
    OnboardRegion: { retry: ['childExecution'], catchTo: 'RegionFailed' },
    SubscribeLogGroups: { retry: ['childExecution', 'childRunFailed'], catchTo: 'LogGroupsFailed' },
    CheckOutcome: { retry: ['lambdaTransient'] },
  },
  'onboard-region': {
    CheckRegion: { retry: CALLS_AWS },
    EnsureDestinationAccess: { retry: CALLS_AWS, catchTo: 'DestinationAccessFailed' },
    EnsureEventForwarding: { retry: CALLS_AWS, catchTo: 'EventForwardingFailed' },
    EnsureAccountPolicy: { retry: CALLS_AWS, catchTo: 'AccountPolicyFailed' },
    SubscribeLogGroups: { retry: ['childExecution', 'childRunFailed'], catchTo: 'LogGroupsFailed' },
    EnsureFlowLogsPage: { retry: CALLS_AWS, catchTo: 'FlowLogsFailed' },
    EnsureGuardDuty: { retry: CALLS_AWS, catchTo: 'GuardDutyFailed' },
    StartBackfill: { retry: ['childExecution'], catchTo: 'BackfillNotStarted' },
    CheckOutcome: { retry: ['lambdaTransient'] },
  },
  'subscribe-log-groups': { SubscribeLogGroupsPage: { retry: ['withinExpressRun'] } },
  'backfill-region': {
    BackfillLogGroups: { retry: CALLS_AWS, catchTo: 'BackfillFailed' },
    ContinueInNewExecution: { retry: ['childExecution'], catchTo: 'BackfillFailed' },
  },
  'offboard-account': {
    FindDepartedAccounts: { retry: ['destinationNotReady', 'resourceLocked', 'notVisibleYet', 'transientTwiceAsLong'] },
    OffboardDepartedAccount: { retry: ['childExecution'], catchTo: 'DepartedAccountFailed' },
    CheckDepartures: { retry: ['lambdaTransient'] },
    GovernedRegions: { retry: CALLS_AWS },
    RemoveDestinationAccess: { retry: CALLS_AWS, catchTo: 'RegionOffboardingFailed' },
    // GuardDuty only: no lease, no intent, nothing listed late.
    OffboardRegion: { retry: ['notVisibleYet', 'transient'], catchTo: 'RegionOffboardingFailed' },
    RemoveWiring: { retry: CALLS_AWS, catchTo: 'RegionOffboardingFailed' },
    CheckOutcome: { retry: ['lambdaTransient'] },
  },
  reconcile: {
    AcquireLease: { retry: CALLS_AWS },
    ListActiveAccounts: { retry: CALLS_AWS, catchTo: 'ReleaseLeaseAfterFailure' },
    OnboardAccount: { retry: ['childExecution'], catchTo: 'OnboardingFailed' },
    AccountDrift: { retry: CALLS_AWS },
    ReportDrift: { retry: CALLS_AWS, catchTo: 'ReleaseLeaseAfterFailure' },
    ReconcileDestinationAccess: { retry: CALLS_AWS, catchTo: 'ReleaseLeaseAfterFailure' },
    ApplyRegion: { retry: CALLS_AWS },
    ReleaseLease: { retry: CALLS_AWS },
    ReleaseLeaseAfterFailure: { retry: CALLS_AWS },
  },
  'repair-tampering': {
    CheckTamperBound: { retry: ['transient'] },
    RepairSubscriptionFilter: { retry: CALLS_AWS, catchTo: 'RepairSubscriptionFilterFailed' },
    RepairAccountPolicy: { retry: CALLS_AWS, catchTo: 'RepairAccountPolicyFailed' },
    RepairGuardDuty: { retry: CALLS_AWS, catchTo: 'RepairGuardDutyFailed' },
    RepairForwardingRule: { retry: CALLS_AWS, catchTo: 'RepairForwardingRuleFailed' },
    RepairFlowLogs: { retry: CALLS_AWS, catchTo: 'RepairFlowLogsFailed' },
    RepairDestinationPolicy: { retry: CALLS_AWS, catchTo: 'RepairDestinationPolicyFailed' },
    ReportTampering: { retry: ['transient'] },
  },
};
