/**
 * Time as tasks see it. In AWS it is the wall clock; offline the simulator's virtual clock, so
 * that backoff, lease expiry and rate limits cost virtual seconds and a seed fixes the run.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves once `ms` have passed. */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
