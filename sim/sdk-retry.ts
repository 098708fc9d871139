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
 *
 * The SDK's retry middleware runs the attempts itself for a token strategy (`retryTokens`), and
 * hands them to a strategy that has a loop of its own (`retryLoop`, the SDK's `RetryStrategy`
 * interface). The loop here takes the middleware's steps for a token strategy, so a caller sees
 * the same (test/sim/sdk-retry.test.ts), without the `new Error()` with its stack the middleware
 * makes for every call: a tenth of the simulator's CPU at 200 accounts x 10 regions x 500 groups.
 */
import { INITIAL_RETRY_TOKENS, isServerError, isThrottlingError, isTransientError, MAXIMUM_RETRY_DELAY, NO_RETRY_INCREMENT, Retry } from '@smithy/core/retry';
import type {
  FinalizeHandler,
  FinalizeHandlerArguments,
  MetadataBearer,
  RetryErrorInfo,
  RetryErrorType,
  RetryStrategy,
  RetryStrategyV2,
  RetryToken,
  SdkError,
} from '@aws-sdk/types';
import type { Clock } from '../tasks/lib/clock';
import type { RetrySettings } from '../tasks/lib/clients';
import { lambdaInvocation, type LambdaInvocation } from '../workflows/local/lambda-invocation';

interface VirtualToken extends RetryToken {
  readonly cost?: number;
}

/** A call's first attempt: every call takes one, so it is made once. */
const FIRST_ATTEMPT: VirtualToken = Object.freeze({ getRetryCount: () => 0, getRetryDelay: () => 0 });

/** One client's retry tokens: its own retry quota, delays that cost virtual time; `jitter(n)` is a seeded draw in [0, 1). */
export function retryTokens(clock: Clock, jitter: (n: number) => number, settings: RetrySettings): RetryStrategyV2 {
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
    acquireInitialRetryToken: async () => FIRST_ATTEMPT,
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
      const held = capacities.get(scope());
      // A full quota stays full: nothing to record.
      if (held === undefined) return;
      capacities.set(scope(), Math.min(INITIAL_RETRY_TOKENS, held + ((last as VirtualToken).cost ?? NO_RETRY_INCREMENT)));
    },
  };
}

/** How the SDK's retry middleware classes an error for its strategy (@smithy/core retry: getRetryErrorType). */
function retryErrorType(error: SdkError): RetryErrorType {
  if (isThrottlingError(error)) return 'THROTTLING';
  if (isTransientError(error)) return 'TRANSIENT';
  if (isServerError(error)) return 'SERVER_ERROR';
  return 'CLIENT_ERROR';
}

/** What the SDK's retry middleware throws for a thrown value that is not an Error (@smithy/core retry: asSdkError). */
function asSdkError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (thrown instanceof Object) return Object.assign(new Error(), thrown);
  if (typeof thrown === 'string') return new Error(thrown);
  return new Error(`AWS SDK error wrapper for ${String(thrown)}`);
}

type WithMetadata = { $metadata?: { attempts?: number; totalRetryDelay?: number } };

/**
 * The attempts of one call with `tokens`, as the SDK's retry middleware makes them for a token
 * strategy (@smithy/core retry: bindRetryMiddleware). Its parts that act on an HTTP exchange
 * (invocation id and attempt headers, a streaming body, a Retry-After hint read from the response)
 * and on an abort signal have nothing to act on offline. A delay is slept inside
 * `refreshRetryTokenForRetry`, on the virtual clock, so a token reports none and `totalRetryDelay`
 * stays 0, under the SDK's loop as under this one.
 */
export function retryLoop(tokens: RetryStrategyV2): RetryStrategy {
  return {
    retry: async <Input extends object, Output extends MetadataBearer>(next: FinalizeHandler<Input, Output>, args: FinalizeHandlerArguments<Input>) => {
      let token = await tokens.acquireInitialRetryToken('');
      let attempts = 0;
      let totalRetryDelay = 0;
      for (;;) {
        try {
          const result = await next(args);
          tokens.recordSuccess(token);
          result.output.$metadata.attempts = attempts + 1;
          result.output.$metadata.totalRetryDelay = totalRetryDelay;
          return result;
        } catch (thrown) {
          const error = asSdkError(thrown) as Error & WithMetadata;
          try {
            token = await tokens.refreshRetryTokenForRetry(token, { error: thrown as SdkError, errorType: retryErrorType(thrown as SdkError) });
          } catch {
            error.$metadata ??= {};
            error.$metadata.attempts = attempts + 1;
            error.$metadata.totalRetryDelay = totalRetryDelay;
            throw error;
          }
          attempts = token.getRetryCount();
          totalRetryDelay += token.getRetryDelay();
        }
      }
    },
  };
}

/** One client's retries as the SDK makes them, on the virtual clock. */
export function virtualClockRetry(clock: Clock, jitter: (n: number) => number, settings: RetrySettings): RetryStrategy {
  return retryLoop(retryTokens(clock, jitter, settings));
}
