/**
 * Metrics through Powertools for AWS Lambda (`@aws-lambda-powertools/metrics`), as CloudWatch
 * embedded metric format on the task's output
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 * Powertools puts its `service` dimension on every metric; each is published in two dimension
 * sets, `service` alone (one alarm watches every kind) and `service` with the datum's own
 * dimensions. Offline, the context's `metrics` sink receives the same datum, so a test can see the
 * alarm's metric raised.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { TaskContext } from './context';

export const METRIC_NAMESPACE = 'Tributary';
/** Powertools' `service` dimension on every task metric: the alarms name it (infra/stacks/orchestration-stack.ts). */
export const METRIC_SERVICE = 'tributary';
export const METRIC_DIMENSIONS: Readonly<Record<string, string>> = { service: METRIC_SERVICE };

export interface MetricDatum {
  readonly namespace: string;
  readonly name: string;
  readonly value: number;
  readonly unit: 'Count' | 'Seconds';
  readonly dimensions: Readonly<Record<string, string>>;
  /** Virtual or wall ms. */
  readonly timestamp: number;
}

/** The publisher a Lambda's context carries: one per execution environment. */
export function taskMetrics(): Metrics {
  return new Metrics({ namespace: METRIC_NAMESPACE, serviceName: METRIC_SERVICE });
}

/** Publishes `value` of metric `name` with `dimensions`, with a log message and context. */
export function publishMetric(
  context: TaskContext,
  message: string,
  datum: Omit<MetricDatum, 'namespace' | 'timestamp'>,
  extra: Record<string, unknown> = {},
): void {
  const full: MetricDatum = { namespace: METRIC_NAMESPACE, timestamp: context.clock.now(), ...datum };
  context.logger.info(message, { ...extra, ...full.dimensions, [full.name]: full.value });
  if (context.emf) {
    // Each datum its own EMF object, flushed now: a task publishes a metric or two, never a batch.
    context.emf.setTimestamp(full.timestamp);
    context.emf.addDimensions({});
    if (Object.keys(full.dimensions).length > 0) context.emf.addDimensions({ ...full.dimensions });
    context.emf.addMetric(full.name, full.unit === 'Count' ? MetricUnit.Count : MetricUnit.Seconds, full.value);
    context.emf.publishStoredMetrics();
  }
  context.metrics?.(full);
}
