import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { TributaryConfig } from './config';
import type { ClientFactory } from './clients';
import type { Clock } from './clock';
import type { MetricDatum } from './metrics';

/**
 * The forwarding rule each member region keeps. Its pattern comes from the workflow catalog
 * (workflows/forwarding.ts), a layer above the tasks: whoever builds the context computes it, and
 * a task Lambda carries it in its bundle (bundled-config.ts).
 */
export interface MemberForwarding {
  /** The rule's event pattern, for this deployment's member role name. */
  readonly pattern: Readonly<Record<string, unknown>>;
  /** The member-region triggers it forwards; without a trail none of them fires. */
  readonly triggers: readonly string[];
}

/** What every task receives besides its input: injected, so tests and the simulator supply their own. */
export interface TaskContext {
  readonly config: TributaryConfig;
  readonly clients: ClientFactory;
  readonly logger: Logger;
  /** Wall clock in AWS, the virtual clock offline. */
  readonly clock: Clock;
  readonly forwarding: MemberForwarding;
  /** Powertools' EMF publisher (metrics.ts `taskMetrics`). @default none: no EMF output */
  readonly emf?: Metrics;
  /** Receives every metric a task publishes. @default none */
  readonly metrics?: (datum: MetricDatum) => void;
}

/** A task: validated input in, a JSON result out. Errors are the named classes of errors.ts. */
export type Task<Result = unknown> = (input: unknown, context: TaskContext) => Promise<Result>;
