/**
 * The SDK's standard retry decisions (up to 3 attempts; throttling, transient and 5xx errors),
 * without sleeping: the SDK's own strategies wait on real timers even for a zero delay, which
 * would make a simulated run depend on the wall clock instead of its seed. Written by hand
 * because no published strategy retries without a timer.
 */
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@aws-sdk/types';

const MAX_ATTEMPTS = 3;

function token(retryCount: number): RetryToken {
  return { getRetryCount: () => retryCount, getRetryDelay: () => 0 };
}

export const timerlessRetry: RetryStrategyV2 = {
  acquireInitialRetryToken: async () => token(0),
  refreshRetryTokenForRetry: async (previous: RetryToken, error: RetryErrorInfo) => {
    if (error.errorType === 'CLIENT_ERROR' || previous.getRetryCount() + 1 >= MAX_ATTEMPTS) throw new Error('no retry for this error');
    return token(previous.getRetryCount() + 1);
  },
  recordSuccess: () => undefined,
};
