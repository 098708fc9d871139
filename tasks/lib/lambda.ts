/**
 * Adapts a task to a Lambda handler. The context (config, client factory, logger) is built on the
 * first invocation, not at module load, and reused while the execution environment lives.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { parseConfig } from '../../infra/config/schema';
import { ClientFactory } from './clients';
import { systemClock } from './clock';
import type { Task, TaskContext } from './context';
import { bundledConfigJson } from './bundled-config';
import { parseRegion } from './domain';
import { InvalidConfigError } from './errors';

function contextFromEnvironment(env: NodeJS.ProcessEnv): TaskContext {
  const raw = bundledConfigJson();
  if (!raw) throw new InvalidConfigError(['this bundle carries no config: build it with infra/constructs/task-function.ts, which defines it']);
  const config = parseConfig(JSON.parse(raw));
  return {
    config,
    clients: new ClientFactory({ memberRoleName: config.memberRoleName, hubRegion: parseRegion(env.AWS_REGION, 'AWS_REGION') }),
    logger: new Logger({ serviceName: 'tributary' }),
    clock: systemClock,
  };
}

export function lambdaHandler<Result>(task: Task<Result>): (event: unknown, lambdaContext: Context) => Promise<Result> {
  let context: TaskContext | undefined;
  return async (event, lambdaContext) => {
    context ??= contextFromEnvironment(process.env);
    context.logger.addContext(lambdaContext);
    return task(event, context);
  };
}
