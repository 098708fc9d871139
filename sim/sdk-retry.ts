/**
 * The SDK's standard retry strategy as the installed @smithy/core implements it (its
 * StandardRetryStrategy with the 2026 retry figures: full-jitter exponential backoff from the
 * client's base delay, or from the throttling base after a throttling error, capped at 20 s;
 * only throttling and transient errors retried; a retry quota of 500 tokens per client, each retry
 * costing 5 after throttling and 14 otherwise, a success giving back what its retry cost, or 1),
 * sleeping on the virtual clock: the SDK's own strategy sleeps on real timers, which would tie a
 * simulated run to the wall clock. The quota is kept per client and per Lambda invocation: in AWS
 * a client lives in one execution environment, which runs one invocation at a time, while offline
 * the environments share their clients (sim/shared-clients.ts; a warm environment's quota left
 * drained by its previous invocation is not modelled). The figures are read from the installed
 * package, so an SDK upgrade that changes them changes the simulator too. Jitter is seeded.
 */
import { INITIAL_RETRY_TOKENS, MAXIMUM_RETRY_DELAY, NO_RETRY_INCREMENT, Retry } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@aws-sdk/types';
import type { Clock } from '../tasks/lib/clock';
import type { RetrySettings } from '../tasks/lib/clients';
import { lambdaInvocation, type LambdaInvocation } from '../workflows/local/lambda-invocation';

interface VirtualToken extends RetryToken {
  readonly cost?: number;
}

/** One client's strategy: its own retry quota, delays that cost virtual time; `jitter(n)` is a seeded draw in [0, 1). */
export function virtualClockRetry(clock: Clock, jitter: (n: number) => number, settings: RetrySettings): RetryStrategyV2 {
  let draws = 0;
  const outside = {};
  const capacities = new WeakMap<LambdaInvocation | object, number>();
  const scope = () => lambdaInvocation.getStore() ?? outside;
  const capacityOf = () => capacities.get(scope()) ?? INITIAL_RETRY_TOKENS;
  const token = (retryCount: number, cost?: number): VirtualToken => ({
    getRetryCount: () => retryCount,
    getRetryDelay: () => 0,
    ...(cost === undefined ? {} : { cost }),
  });
  const baseDelay = settings.baseDelayMs ?? Retry.delay();
  return {
    acquireInitialRetryToken: async () => token(0),
    refreshRetryTokenForRetry: async (previous: RetryToken, error: RetryErrorInfo) => {
      const attempt = previous.getRetryCount();
      const throttled = error.errorType === 'THROTTLING';
      const cost = throttled ? Retry.throttlingCost() : Retry.cost();
      if (!(throttled || error.errorType === 'TRANSIENT') || attempt + 1 >= settings.maxAttempts || capacityOf() < cost)
        throw new Error('No retry token available');
      capacities.set(scope(), capacityOf() - cost);
      const base = throttled ? Retry.throttlingDelay() : baseDelay;
      await clock.sleep(Math.floor(jitter(draws++) * Math.min(base * 2 ** attempt, MAXIMUM_RETRY_DELAY)));
      return token(attempt + 1, cost);
    },
    recordSuccess: (last: RetryToken) => {
      capacities.set(scope(), Math.min(INITIAL_RETRY_TOKENS, capacityOf() + ((last as VirtualToken).cost ?? NO_RETRY_INCREMENT)));
    },
  };
}
