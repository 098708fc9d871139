/**
 * Step Functions quotas the offline runner enforces, each as documented.
 * https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 */

/** "Maximum input or output size for a task, state, or execution: 256 KiB of data as a UTF-8 encoded string." */
export const PAYLOAD_LIMIT_BYTES = 256 * 1024;

/** "Maximum execution history size: 25,000 events" (Standard workflows); the execution fails past it. */
export const HISTORY_LIMIT_EVENTS = 25_000;

/** An Inline Map state runs at most 40 iterations at once, whatever its MaxConcurrency. https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html */
export const INLINE_MAP_MAX_CONCURRENCY = 40;

/** A Distributed Map runs at most 10,000 child executions at once. https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html */
export const DISTRIBUTED_MAP_MAX_CONCURRENCY = 10_000;

/** Retrier defaults of the Amazon States Language. https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html */
export const RETRY_DEFAULTS = { IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 } as const;
