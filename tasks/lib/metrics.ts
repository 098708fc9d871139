/**
 * Metrics as CloudWatch embedded metric format on the task's log line
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
 * CloudWatch Logs turns the line into the metric the alarms watch. Offline, the context's
 * `metrics` sink receives the same datum, so a test can see the alarm's metric raised.
 */
import type { TaskContext } from './context';

export const METRIC_NAMESPACE = 'Tributary';

export interface MetricDatum {
  readonly namespace: string;
  readonly name: string;
  readonly value: number;
  readonly unit: 'Count' | 'Seconds';
  readonly dimensions: Readonly<Record<string, string>>;
  /** Virtual or wall ms. */
  readonly timestamp: number;
}

/**
 * Publishes `value` of metric `name` with `dimensions`, with a log message and context. The metric
 * is also published without dimensions (an empty dimension set), so one alarm watches every kind.
 */
export function publishMetric(
  context: TaskContext,
  message: string,
  datum: Omit<MetricDatum, 'namespace' | 'timestamp'>,
  extra: Record<string, unknown> = {},
): void {
  const full: MetricDatum = { namespace: METRIC_NAMESPACE, timestamp: context.clock.now(), ...datum };
  const keys = Object.keys(full.dimensions);
  context.logger.info(message, {
    ...extra,
    ...full.dimensions,
    [full.name]: full.value,
    _aws: {
      Timestamp: full.timestamp,
      CloudWatchMetrics: [{ Namespace: full.namespace, Dimensions: keys.length > 0 ? [keys, []] : [[]], Metrics: [{ Name: full.name, Unit: full.unit }] }],
    },
  });
  context.metrics?.(full);
}
