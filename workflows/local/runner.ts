/**
 * Runs the real `asl/*.asl.json` offline on the virtual clock (see `interpreter.ts`). Every Task
 * state is bound here: a function Task to the in-process task, run as Lambda runs it (its own
 * timeout, errors shaped as the runtime shapes them); a `startExecution.sync:2` Task to a local
 * child execution. A definition with a Task this runner cannot bind is refused before anything runs.
 */
import './polyfills';
import { unitHash } from './unit-hash';
import { lambdaInvocation, type LambdaInvocation } from './lambda-invocation';
import { VirtualClock } from './virtual-clock';
import type { TaskName } from '../../tasks/registry';
import { CATALOG, TASK_TIMEOUT_SECONDS, type WorkflowName, type WorkflowSpec } from '../catalog';
import { stateMachineName } from '../names';
import { readDefinition, taskStates, type TaskState } from './definition';
import { ExecutionScope, Interpreter, type ExecutionRecord, type ExecutionType, type InterpreterHost, type Machine } from './interpreter';
import { STATE_TRANSITION_QUOTA } from './quotas';
import { TokenBucket } from '../../tasks/lib/rate-limiter';
import { StatesError } from './json-path';
import { jsonText, rememberSize, rememberText } from './payload-size';

export type { ExecutionRecord, ExecutionStatus, ExecutionType } from './interpreter';
export { StatesError } from './json-path';
export { causeMessage } from '../../tasks/lib/lambda-cause';

export type TaskHandler = (input: unknown) => Promise<unknown>;

export interface LocalRunnerOptions {
  /** In-process handler for each task name (`${<TaskName>FunctionArn}`). */
  readonly tasks: Readonly<Record<string, TaskHandler>>;
  /**
   * Handlers for named Task states, used before `tasks` (MockConfigFile test cases). A
   * `StatesError` they throw is reported verbatim, as Step Functions Local reports a mocked error.
   * @default none
   */
  readonly stateHandlers?: Readonly<Record<string, TaskHandler>>;
  /** The clock every Wait, retry and timeout runs on. @default a new virtual clock */
  readonly clock?: VirtualClock;
  /** Seed of retry jitter. @default 1 */
  readonly seed?: number;
  /** @default the workflow catalog */
  readonly catalog?: readonly WorkflowSpec[];
  /**
   * Lambda invocations that may run at once in the orchestration account and region; past it an
   * invocation fails with `Lambda.TooManyRequestsException`.
   * @default 1,000 (Lambda's default concurrency quota: https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html)
   */
  readonly lambdaConcurrency?: number;
}

/** Lambda's default quota of concurrent executions per account and region. */
export const LAMBDA_DEFAULT_CONCURRENCY = 1000;

export class UnboundTaskError extends Error {
  public override readonly name = 'UnboundTask';
  public constructor(workflow: string, states: readonly TaskState[]) {
    super(
      `refusing to run ${workflow}: no local binding for Task state(s) ${states
        .map(
          (s) =>
            `"${s.stateName}" (${s.target.kind === 'function' ? `task ${s.target.task}` : s.target.kind === 'unsupported' ? s.target.resource : s.target.workflow})`,
        )
        .join(', ')}`,
    );
  }
}

type Binding = (input: unknown, scope: ExecutionScope) => Promise<unknown>;

interface Prepared {
  readonly spec: WorkflowSpec;
  readonly machine: Machine;
  readonly bindings: ReadonlyMap<string, Binding>;
}

/** What Lambda reports for a function that ran past its timeout: an unhandled error. https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html */
/** The Parameters of a `lambda:invoke` Task. */
interface LambdaInvokeRequest {
  readonly FunctionName: string;
  readonly Payload?: unknown;
}

/** A Lambda's input as its function sees it: serialized (or its text when sizing it made one) and parsed (the text kept while the invocation runs). */
function lambdaPayload(payload: unknown): unknown {
  const text = jsonText(payload);
  const parsed: unknown = JSON.parse(text);
  rememberText(parsed, text);
  return parsed;
}

/** A Lambda's result as the state machine gets it: serialized and parsed, its size known from the text. */
function lambdaResult(result: unknown): unknown {
  const text = JSON.stringify(result);
  const parsed: unknown = JSON.parse(text);
  rememberSize(parsed, text);
  return parsed;
}

/**
 * What `lambda:invoke` returns for a synchronous invocation, as the MockConfigFile page shows it
 * (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html); the SDK
 * metadata AWS adds beside it is left out because no state reads it.
 */
function invokeResponse(payload: unknown): { StatusCode: number; ExecutedVersion: string; Payload: unknown } {
  return { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 };
}

function lambdaTimedOut(task: string, seconds: number): StatesError {
  return new StatesError(
    'Lambda.Unknown',
    `The cause could not be determined because Lambda did not return an error type. Returned payload: ${JSON.stringify({ errorMessage: `Task timed out after ${seconds.toFixed(2)} seconds (tributary-${task})` })}`,
  );
}

/** A function error as Step Functions reports it: the runtime's JSON with errorType, errorMessage and trace. */
function lambdaError(error: unknown): StatesError {
  if (error instanceof StatesError) return error;
  const e = error instanceof Error ? error : new Error(String(error));
  const trace = (e.stack ?? '')
    .split('\n')
    .slice(1, 6)
    .map((line) => line.trim());
  return new StatesError(e.name, JSON.stringify({ errorType: e.name, errorMessage: e.message, trace }));
}

/** An execution a workflow started without waiting for it (`startExecution`). */
export interface DetachedExecution {
  readonly workflow: WorkflowName;
  readonly name: string;
  readonly input: unknown;
  readonly startedAt: number;
  record?: ExecutionRecord;
}

function executionArnOf(workflow: WorkflowName, name: string): string {
  return `arn:aws:states:us-east-1:000000000000:execution:${stateMachineName(workflow)}:${name}`;
}

export class LocalRunner implements InterpreterHost {
  public readonly clock: VirtualClock;
  private readonly prepared = new Map<WorkflowName, Prepared>();
  private readonly interpreter = new Interpreter(this);
  private sequence = 0;
  private lambdasRunning = 0;
  /** The most Lambda invocations that ran at once, and how many Lambda refused for concurrency. */
  /**
   * Lambda as it is billed and limited: the most invocations at once, those refused for
   * concurrency, those run, and their durations in virtual milliseconds, each rounded up to 1 ms
   * as Lambda bills them (https://aws.amazon.com/lambda/pricing/).
   */
  public readonly lambdaUsage = { peak: 0, throttled: 0, invocations: 0, billedMs: 0 };

  public constructor(private readonly options: LocalRunnerOptions) {
    this.clock = options.clock ?? new VirtualClock();
  }

  /** Checks that every Task of `workflow` (and of the children it starts) is bound. */
  public prepare(workflow: WorkflowName): Prepared {
    const cached = this.prepared.get(workflow);
    if (cached) return cached;
    const spec = (this.options.catalog ?? CATALOG).find((w) => w.name === workflow);
    if (!spec) throw new Error(`unknown workflow "${workflow}"`);
    const { definition } = readDefinition(spec.aslFile);
    const unbound: TaskState[] = [];
    const bindings = new Map<string, Binding>();
    for (const state of taskStates(definition)) {
      // Express workflows support Request Response only: https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html
      if (spec.type === 'EXPRESS' && state.target.kind === 'child-workflow') {
        throw new Error(`Express workflow ${workflow}: "${state.stateName}" uses .sync, which only Standard workflows support`);
      }
      const override = this.options.stateHandlers?.[state.stateName];
      const target = state.target;
      if (override) {
        bindings.set(state.stateName, (input) => override(input).catch((error: unknown) => Promise.reject(lambdaError(error))));
      } else if (target.kind === 'function' && this.options.tasks[target.task]) {
        bindings.set(state.stateName, this.lambda(target.task, this.options.tasks[target.task]!));
      } else if (target.kind === 'child-workflow' || target.kind === 'detached-workflow') {
        // A workflow may start itself (offboard-account, after a departure): it is being prepared here.
        if (target.workflow !== workflow) this.prepare(target.workflow);
        const start = target.kind === 'child-workflow' ? this.runChild : this.startDetached;
        bindings.set(state.stateName, (request, scope) => start.call(this, target.workflow, request, scope));
      } else {
        unbound.push(state);
      }
    }
    if (unbound.length > 0) throw new UnboundTaskError(workflow, unbound);
    const prepared: Prepared = { spec, machine: definition as unknown as Machine, bindings };
    this.prepared.set(workflow, prepared);
    return prepared;
  }

  /** Starts an execution and runs it to its end on the virtual clock. */
  public start(workflow: WorkflowName, input: unknown, name?: string): Promise<ExecutionRecord> {
    return this.clock.run(() => this.execute(workflow, input, name));
  }

  public jitter(key: string): number {
    return unitHash(this.options.seed ?? 1, key, 0);
  }

  public invokeTask(stateName: string, _state: Record<string, unknown>, input: unknown, scope: ExecutionScope): Promise<unknown> {
    const binding = this.prepare(scope.workflow as WorkflowName).bindings.get(stateName);
    if (!binding) throw new StatesError('States.Runtime', `no binding for Task state "${stateName}"`);
    return binding(input, scope);
  }

  public async runMapChild(processor: Machine, input: unknown, parent: ExecutionScope, index: number, type: ExecutionType): Promise<ExecutionRecord> {
    const name = `${parent.name}-item-${index}`;
    const scope = new ExecutionScope(`${parent.executionArn}/${index}`, name, parent.workflow, this.clock.now(), type);
    const record = await this.interpreter.execute(processor, input, scope);
    parent.children.push(record);
    return record;
  }

  private execute(workflow: WorkflowName, input: unknown, name = `local-${++this.sequence}`): Promise<ExecutionRecord> {
    const { machine, spec } = this.prepare(workflow);
    return this.interpreter.execute(
      machine,
      input,
      new ExecutionScope(executionArnOf(workflow, name), name, workflow, this.clock.now(), spec.type ?? 'STANDARD'),
    );
  }

  /** The account's Standard state-transition bucket. */
  private readonly transitionBucket = new TokenBucket(STATE_TRANSITION_QUOTA.perSecond, STATE_TRANSITION_QUOTA.burst);
  /** Standard state transitions delayed by the quota. */
  public transitionsDelayed = 0;

  public transitionDelayMs(type: ExecutionType): number {
    if (type === 'EXPRESS') return 0;
    const ms = this.transitionBucket.reserve(this.clock.now());
    if (ms > 0) this.transitionsDelayed++;
    return Math.ceil(ms);
  }

  /** Executions started without `.sync` and still running. */
  private readonly detached = new Set<Promise<ExecutionRecord>>();
  /** Every execution started without `.sync`, in the order they started; `record` once it ended. */
  public readonly detachedExecutions: DetachedExecution[] = [];

  /** Runs the virtual clock until every execution started without `.sync` (and those they started) has ended; answers them all, in the order they ended. */
  public settle(): Promise<readonly ExecutionRecord[]> {
    return this.clock.run(async () => {
      // eslint-disable-next-line @cdklabs/promiseall-no-unbounded-parallelism -- awaits executions already running; it starts nothing
      while (this.detached.size > 0) await Promise.all([...this.detached]);
      return this.detachedExecutions.flatMap((e) => (e.record ? [e.record] : [])).sort((a, b) => a.stoppedAt - b.stoppedAt);
    });
  }

  /**
   * `startExecution` (Request Response): the child starts and runs on by itself; the Task's result is
   * what StartExecution answers, its ARN and start date
   * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html).
   */
  private async startDetached(workflow: WorkflowName, request: unknown): Promise<unknown> {
    const input = (request as { Input?: unknown }).Input ?? {};
    const name = `local-${++this.sequence}`;
    const started: DetachedExecution = { workflow, name, input, startedAt: this.clock.now() };
    this.detachedExecutions.push(started);
    const run: Promise<ExecutionRecord> = this.execute(workflow, input, name).then((record) => {
      this.detached.delete(run);
      started.record = record;
      return record;
    });
    this.detached.add(run);
    return { ExecutionArn: executionArnOf(workflow, name), StartDate: this.clock.now() };
  }

  /**
   * A task run as Lambda runs it behind the optimized integration: a JSON copy of the request's
   * Payload, its timeout, runtime-shaped errors, the result as the Invoke response's Payload.
   */
  private lambda(task: string, handler: TaskHandler): Binding {
    const seconds = TASK_TIMEOUT_SECONDS[task as TaskName] ?? 60;
    const limit = this.options.lambdaConcurrency ?? LAMBDA_DEFAULT_CONCURRENCY;
    return async (input) => {
      if (this.lambdasRunning >= limit) {
        this.lambdaUsage.throttled++;
        throw new StatesError(
          'Lambda.TooManyRequestsException',
          `Rate Exceeded. (Service: Lambda, Status Code: 429, concurrency ${limit} in use; tributary-${task})`,
        );
      }
      this.lambdasRunning++;
      this.lambdaUsage.peak = Math.max(this.lambdaUsage.peak, this.lambdasRunning);
      this.lambdaUsage.invocations++;
      const started = this.clock.now();
      const invocation: LambdaInvocation = { terminated: false, task };
      try {
        return await this.clock.deadline(
          lambdaInvocation
            .run(invocation, () => handler(lambdaPayload((input as LambdaInvokeRequest).Payload ?? {})))
            .then(
              (result) => invokeResponse(result === undefined ? null : lambdaResult(result)),
              (error: unknown) => Promise.reject(lambdaError(error)),
            ),
          seconds * 1000,
          () => {
            invocation.terminated = true;
            return lambdaTimedOut(task, seconds);
          },
        );
      } finally {
        this.lambdasRunning--;
        this.lambdaUsage.billedMs += Math.max(1, Math.ceil(this.clock.now() - started));
      }
    };
  }

  /** `startExecution.sync:2`: the child's output parsed; a failed child fails the Task with its status. */
  private async runChild(workflow: WorkflowName, request: unknown, parent: ExecutionScope): Promise<unknown> {
    const input = (request as { Input?: unknown }).Input ?? {};
    const child = await this.execute(workflow, input);
    parent.children.push(child);
    if (child.status !== 'SUCCEEDED') {
      throw new StatesError(
        'States.TaskFailed',
        JSON.stringify({ ExecutionArn: child.executionArn, Status: child.status, Error: child.error, Cause: child.cause }),
      );
    }
    return {
      ExecutionArn: child.executionArn,
      Status: child.status,
      Output: child.output,
      Input: input,
      StartDate: child.startedAt,
      StopDate: child.stoppedAt,
    };
  }
}
