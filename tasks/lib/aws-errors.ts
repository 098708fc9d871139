/**
 * Maps AWS SDK errors onto Tributary's named errors, so that the workflows retry and catch by a
 * handful of stable names instead of every service's spelling of "slow down".
 */
import { AwsRequestRejectedError, isTributaryError, ServiceUnavailableError, ThrottledError } from './errors';

const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'RequestThrottled',
  'SlowDown',
]);
const UNAVAILABLE_NAMES = new Set([
  'ServiceUnavailableException',
  'ServiceUnavailable',
  'InternalFailure',
  'InternalServerException',
  'ServiceException',
  'OperationAbortedException',
  'TimeoutError',
  // S3: another conditional write to the same key was in flight (409); retrying is the documented answer.
  'ConditionalRequestConflict',
]);

interface SdkErrorShape {
  readonly name?: string;
  readonly message?: string;
  readonly $fault?: 'client' | 'server';
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** Wraps `error` from the call described by `what` into a retryable or terminal task error. */
export function toTaskError(error: unknown, what: string): Error {
  // Already named for the workflows (a role not ready, a lock held): keep its name.
  if (isTributaryError(error)) return error;
  const e = error as SdkErrorShape;
  const name = e.name ?? 'Error';
  const detail = `${what}: ${name}: ${e.message ?? String(error)}`;
  if (THROTTLING_NAMES.has(name) || e.$metadata?.httpStatusCode === 429) return new ThrottledError(detail, { cause: error });
  if (UNAVAILABLE_NAMES.has(name) || e.$fault === 'server') return new ServiceUnavailableError(detail, { cause: error });
  return new AwsRequestRejectedError(detail, { cause: error });
}

export function errorName(error: unknown): string | undefined {
  return (error as SdkErrorShape | undefined)?.name;
}
