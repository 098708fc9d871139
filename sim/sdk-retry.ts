/**
 * The SDK's standard retry strategy (3 attempts; throttling, transient and 5xx errors; full-jitter
 * exponential backoff from 100 ms, or 500 ms after throttling, capped at 20 s), sleeping on the
 * virtual clock: the SDK's own strategy sleeps on real timers, which would tie a simulated run to
 * the wall clock. Jitter is seeded. Figures from @smithy/util-retry's StandardRetryStrategy.
 */
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@aws-sdk/types';
import type { Clock } from '../tasks/lib/clock';

const MAX_ATTEMPTS = 3;
const BASE_DELAY_MS = 100;
const THROTTLING_BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 20_000;

/** Returns a strategy whose delays cost virtual time; `jitter(n)` is a seeded draw in [0, 1). */
export function virtualClockRetry(clock: Clock, jitter: (n: number) => number): RetryStrategyV2 {
  let draws = 0;
  const token = (retryCount: number): RetryToken => ({ getRetryCount: () => retryCount, getRetryDelay: () => 0 });
  return {
    acquireInitialRetryToken: async () => token(0),
    refreshRetryTokenForRetry: async (previous: RetryToken, error: RetryErrorInfo) => {
      const attempt = previous.getRetryCount();
      if (error.errorType === 'CLIENT_ERROR' || attempt + 1 >= MAX_ATTEMPTS) throw new Error('no retry for this error');
      const base = error.errorType === 'THROTTLING' ? THROTTLING_BASE_DELAY_MS : BASE_DELAY_MS;
      await clock.sleep(Math.floor(jitter(draws++) * Math.min(base * 2 ** attempt, MAX_DELAY_MS)));
      return token(attempt + 1);
    },
    recordSuccess: () => undefined,
  };
}
