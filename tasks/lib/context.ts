import type { Logger } from '@aws-lambda-powertools/logger';
import type { TributaryConfig } from '../../infra/config/schema';
import type { ClientFactory } from './clients';
import type { Clock } from './clock';
import type { MetricDatum } from './metrics';

/** What every task receives besides its input: injected, so tests and the simulator supply their own. */
export interface TaskContext {
  readonly config: TributaryConfig;
  readonly clients: ClientFactory;
  readonly logger: Logger;
  /** Wall clock in AWS, the virtual clock offline. */
  readonly clock: Clock;
  /** Receives every metric a task publishes, beside its log line. @default none (the log line is the metric) */
  readonly metrics?: (datum: MetricDatum) => void;
}

/** A task: validated input in, a JSON result out. Errors are the named classes of errors.ts. */
export type Task<Result = unknown> = (input: unknown, context: TaskContext) => Promise<Result>;
