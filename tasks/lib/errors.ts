/**
 * Every error a task raises on purpose. The class `name` is what the ASL `Retry` and `Catch`
 * blocks match, so renaming one is a change to the workflows too (see asl/*.asl.json).
 */

abstract class TributaryError extends Error {
  /** Retried by the workflows with backoff; everything else is terminal. */
  public abstract readonly retryable: boolean;
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A field of an event, a workflow input or the config is malformed. Terminal. */
export class InvalidInputError extends TributaryError {
  public override readonly name = 'InvalidInput';
  public readonly retryable = false;
  public constructor(
    public readonly field: string,
    public readonly value: unknown,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${field}: ${JSON.stringify(value)} ${reason}`, options);
  }
}

/** The config file does not validate; lists every bad field. */
export class InvalidConfigError extends TributaryError {
  public override readonly name = 'InvalidConfig';
  public readonly retryable = false;
  public constructor(public readonly problems: readonly string[]) {
    super(`invalid Tributary config:\n  ${problems.join('\n  ')}`);
  }
}

/** AWS throttled the call (ThrottlingException, TooManyRequests, Rate exceeded). */
export class ThrottledError extends TributaryError {
  public override readonly name = 'Throttled';
  public readonly retryable = true;
}

/** AWS answered 5xx or the call failed in transit. */
export class ServiceUnavailableError extends TributaryError {
  public override readonly name = 'ServiceUnavailable';
  public readonly retryable = true;
}

/** The member account's baseline role cannot be assumed yet (new accounts get it late). */
export class BaselineRoleNotReadyError extends TributaryError {
  public override readonly name = 'BaselineRoleNotReady';
  public readonly retryable = true;
}

/** A log group named in an event is not visible yet (CloudWatch Logs is eventually consistent). */
export class LogGroupNotVisibleYetError extends TributaryError {
  public override readonly name = 'LogGroupNotVisibleYet';
  public readonly retryable = true;
}

/** A VPC named in an event is not visible yet (EC2 is eventually consistent). */
export class VpcNotVisibleYetError extends TributaryError {
  public override readonly name = 'VpcNotVisibleYet';
  public readonly retryable = true;
}

/** The central destination refuses this account: its destination access is not granted yet. */
export class DestinationAccessNotReadyError extends TributaryError {
  public override readonly name = 'DestinationAccessNotReady';
  public readonly retryable = true;
}

/** The event's region is not one Tributary governs. Terminal. */
export class RegionNotGovernedError extends TributaryError {
  public override readonly name = 'RegionNotGoverned';
  public readonly retryable = false;
}

/** AWS refused the call for a reason retrying will not fix (access, validation, missing destination). */
export class AwsRequestRejectedError extends TributaryError {
  public override readonly name = 'AwsRequestRejected';
  public readonly retryable = false;
}

/** The account is not an ACTIVE member of the organization (suspended, closing, or gone). Terminal. */
export class AccountNotActiveError extends TributaryError {
  public override readonly name = 'AccountNotActive';
  public readonly retryable = false;
}

/** Offboarding asked for an account that is still an ACTIVE member, without `force`. Terminal. */
export class AccountStillActiveError extends TributaryError {
  public override readonly name = 'AccountStillActive';
  public readonly retryable = false;
}

/**
 * Another execution holds the lease on a shared resource (a destination policy); try again shortly.
 * Holders finish in seconds, so the workflows retry this up to 200 times, at most 10 s apart:
 * many onboardings of one region may queue on it, and none should give up while others progress.
 */
export class ResourceLockedError extends TributaryError {
  public override readonly name = 'ResourceLocked';
  public readonly retryable = true;
}

/** An account-list destination policy would pass 5,120 bytes. Terminal: the fix is a config change. */
export class DestinationPolicyTooLargeError extends TributaryError {
  public override readonly name = 'DestinationPolicyTooLarge';
  public readonly retryable = false;
}

/**
 * GuardDuty organization mode in a region where the administrator account is not the delegated
 * administrator (a delegation is made per region, from the management account). Terminal.
 */
export class GuardDutyNotDelegatedError extends TributaryError {
  public override readonly name = 'GuardDutyNotDelegated';
  public readonly retryable = false;
}

/**
 * Another execution advanced the same log group's backfill cursor first (tasks/lib/backfill-records.ts).
 * Handled by the backfill task: it leaves that group to the other execution.
 */
export class BackfillRecordConflictError extends TributaryError {
  public override readonly name = 'BackfillRecordConflict';
  public readonly retryable = false;
}

/** Part of a workflow's work failed (a region, a part of one, some log groups): named in the message. Terminal. */
export class WorkIncompleteError extends TributaryError {
  public override readonly name = 'WorkIncomplete';
  public readonly retryable = false;
}

/** Error names the workflows retry: kept here so the ASL lint test can check every Retry block. */
export const RETRYABLE_ERROR_NAMES = [
  'Throttled',
  'ServiceUnavailable',
  'BaselineRoleNotReady',
  'LogGroupNotVisibleYet',
  'VpcNotVisibleYet',
  'ResourceLocked',
  'DestinationAccessNotReady',
] as const;

/**
 * Errors Step Functions reports for a Lambda invocation that failed for reasons not the task's own
 * (service errors, throttling, out of memory, the function's timeout): every function Task
 * retries them. https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html
 */
export const LAMBDA_TRANSIENT_ERROR_NAMES = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.Unknown',
] as const;

/** Whether `error` is one of ours (already named for the workflows). */
export function isTributaryError(error: unknown): error is TributaryError {
  return error instanceof TributaryError;
}

export type { TributaryError };
