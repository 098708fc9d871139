import type { Logger } from '@aws-lambda-powertools/logger';
import type { TributaryConfig } from '../../infra/config/schema';
import type { ClientFactory } from './clients';
import type { Clock } from './clock';

/** What every task receives besides its input: injected, so tests and the simulator supply their own. */
export interface TaskContext {
  readonly config: TributaryConfig;
  readonly clients: ClientFactory;
  readonly logger: Logger;
  /** Wall clock in AWS, the virtual clock offline. */
  readonly clock: Clock;
}

/** A task: validated input in, a JSON result out. Errors are the named classes of errors.ts. */
export type Task<Result = unknown> = (input: unknown, context: TaskContext) => Promise<Result>;
