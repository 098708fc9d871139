/**
 * Step Functions quotas the offline runner enforces, each as documented.
 * https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 */

/** "Maximum input or output size for a task, state, or execution: 256 KiB of data as a UTF-8 encoded string." */
export const PAYLOAD_LIMIT_BYTES = 256 * 1024;

/** "Maximum execution history size: 25,000 events" (Standard workflows); the execution fails past it. */
export const HISTORY_LIMIT_EVENTS = 25_000;

/** "Maximum execution time: 5 minutes" for Express workflows; past it the execution fails with States.Timeout. */
export const EXPRESS_MAX_DURATION_SECONDS = 300;

/**
 * State transitions of Standard workflows, per account and Region, as a token bucket: 5,000 at once,
 * refilled at 5,000 a second (us-east-1, us-west-2 and eu-west-1; other Regions have less). Express
 * workflows do not count against it. A transition over the bucket is delayed, not failed. Figures
 * and the delaying not confirmed in the documentation available here (unverified).
 * https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html#service-limits-api-state-throttling
 */
export const STATE_TRANSITION_QUOTA = { burst: 5_000, perSecond: 5_000 } as const;

/** An Inline Map state runs at most 40 iterations at once, whatever its MaxConcurrency. https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html */
export const INLINE_MAP_MAX_CONCURRENCY = 40;

/** A Distributed Map runs at most 10,000 child executions at once. https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html */
export const DISTRIBUTED_MAP_MAX_CONCURRENCY = 10_000;

/** Retrier defaults of the Amazon States Language. https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html */
export const RETRY_DEFAULTS = { IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 } as const;
