/**
 * Adapts a task to a Lambda handler. The context (config, client factory, logger) is built on the
 * first invocation, not at module load, and reused while the execution environment lives.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { parseConfig } from './config';
import { ClientFactory } from './clients';
import { systemClock } from './clock';
import type { Task, TaskContext } from './context';
import { bundledDeployment } from './bundled-config';
import { KNOWN_REGIONS, parseRegion } from './domain';
import { memberRoleNameFor } from './ownership';
import { InvalidConfigError } from './errors';
import { taskMetrics } from './metrics';

/** Names the task a function runs (infra/constructs/task-function.ts sets it): its member role is its own. */
export const TASK_ENVIRONMENT_VARIABLE = 'TRIBUTARY_TASK';

function contextFromEnvironment(env: NodeJS.ProcessEnv): TaskContext {
  const deployment = bundledDeployment();
  if (!deployment) throw new InvalidConfigError(['this bundle carries no config: build it with infra/constructs/task-function.ts, which defines it']);
  const task = env[TASK_ENVIRONMENT_VARIABLE];
  if (!task || !/^[A-Za-z]+$/.test(task))
    throw new InvalidConfigError([
      `${TASK_ENVIRONMENT_VARIABLE}: ${JSON.stringify(task ?? null)} does not name a task; infra/constructs/task-function.ts sets it`,
    ]);
  const config = parseConfig(JSON.parse(deployment.configJson));
  return {
    config,
    clients: new ClientFactory({ memberRoleName: memberRoleNameFor(config.memberRoleName, task), hubRegion: parseRegion(env.AWS_REGION, 'AWS_REGION') }),
    logger: new Logger({ serviceName: 'tributary' }),
    emf: taskMetrics(),
    clock: systemClock,
    forwarding: deployment.forwarding,
  };
}

/**
 * The keys every log line of an invocation carries, read from its input where it names them: the
 * account and region it works on, the execution that invoked it. Only well-formed values: an
 * input an attacker shaped cannot put arbitrary text into every line.
 */
export function correlationKeys(event: unknown): Record<string, string> {
  const input = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  const keys: Record<string, string> = {};
  if (typeof input.accountId === 'string' && /^\d{12}$/.test(input.accountId)) keys.accountId = input.accountId;
  if (typeof input.region === 'string' && KNOWN_REGIONS.has(input.region)) keys.region = input.region;
  for (const name of ['execution', 'runId'] as const) {
    const value = input[name];
    if (typeof value === 'string' && /^[\w:/.-]{1,256}$/.test(value)) keys.execution = value;
  }
  return keys;
}

export function lambdaHandler<Result>(task: Task<Result>): (event: unknown, lambdaContext: Context) => Promise<Result> {
  let context: TaskContext | undefined;
  return async (event, lambdaContext) => {
    context ??= contextFromEnvironment(process.env);
    // Keys of the previous invocation of this environment must not leak into this one's lines.
    context.logger.resetKeys();
    context.logger.addContext(lambdaContext);
    context.logger.appendKeys(correlationKeys(event));
    return task(event, context);
  };
}
