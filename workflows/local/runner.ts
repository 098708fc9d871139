/**
 * Runs the real `asl/*.asl.json` offline with aws-local-stepfunctions. Every Task state is bound
 * here, never left to the library (which would call a real Lambda): a function Task to the
 * in-process task, a `startExecution.sync:2` Task to a local child execution. A definition with a
 * Task this runner cannot bind is refused before anything runs.
 */
import './polyfills';
import { StateMachine } from 'aws-local-stepfunctions';
import { CATALOG, type WorkflowName, type WorkflowSpec } from '../catalog';
import { stateMachineName } from '../names';
import { allStates, readDefinition, taskStates, type TaskState } from './definition';

export type TaskHandler = (input: unknown) => Promise<unknown>;

export interface LocalRunnerOptions {
  /** In-process handler for each task name (`${<TaskName>FunctionArn}`). */
  readonly tasks: Readonly<Record<string, TaskHandler>>;
  /** Handlers for named Task states, used before `tasks` (MockConfigFile test cases). @default none */
  readonly stateHandlers?: Readonly<Record<string, TaskHandler>>;
  /**
   * Multiplies every Retry interval and maximum delay: 0 retries at once, 0.001 makes a second
   * last a millisecond while keeping the ASL's backoff and jitter.
   * @default 1
   */
  readonly timeScale?: number;
  /** Replaces every Wait state's duration, in ms. @default the ASL's own durations */
  readonly waitMs?: number;
  /** @default the workflow catalog */
  readonly catalog?: readonly WorkflowSpec[];
}

export type ExecutionStatus = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';

export interface ExecutionRecord {
  readonly executionArn: string;
  readonly workflow: WorkflowName;
  readonly status: ExecutionStatus;
  readonly input: unknown;
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  /** States entered plus retries, children included: what AWS bills as state transitions. */
  readonly stateTransitions: number;
  /** Names of the states this execution entered, in order (children have their own), for tests that follow the path. */
  readonly statesEntered: readonly string[];
  readonly children: readonly ExecutionRecord[];
}

export class UnboundTaskError extends Error {
  public override readonly name = 'UnboundTask';
  public constructor(workflow: string, states: readonly TaskState[]) {
    super(
      `refusing to run ${workflow}: no local binding for Task state(s) ${states
        .map((s) => `"${s.stateName}" (${s.target.kind === 'function' ? `task ${s.target.task}` : s.target.kind === 'unsupported' ? s.target.resource : s.target.workflow})`)
        .join(', ')}`,
    );
  }
}

/** Raised in the parent when a `startExecution.sync` child fails, as Step Functions does. */
class ChildExecutionFailed extends Error {
  public override readonly name = 'States.TaskFailed';
}

interface Prepared {
  readonly spec: WorkflowSpec;
  readonly machine: StateMachine;
  readonly bindings: ReadonlyArray<{ stateName: string; bind: (children: ExecutionRecord[]) => TaskHandler }>;
  readonly waiting: readonly string[];
}

/** A copy of `definition` whose Retry intervals and maximum delays are multiplied by `scale`. */
function scaleRetryTiming(definition: Record<string, any>, scale: number): Record<string, any> {
  // A JSON round trip, not structuredClone: the interpreter tests `getPrototypeOf(x) === Object.prototype`,
  // and structuredClone builds objects of another realm under jest's vm context.
  const copy = JSON.parse(JSON.stringify(definition)) as Record<string, any>;
  for (const [, state] of allStates(copy)) {
    for (const retrier of state.Retry ?? []) {
      retrier.IntervalSeconds = (retrier.IntervalSeconds ?? 1) * scale;
      if (retrier.MaxDelaySeconds !== undefined) retrier.MaxDelaySeconds *= scale;
    }
  }
  return copy;
}

export class LocalRunner {
  private readonly prepared = new Map<WorkflowName, Prepared>();
  private sequence = 0;

  public constructor(private readonly options: LocalRunnerOptions) {}

  /** Checks that every Task of `workflow` (and of the children it starts) is bound. */
  public prepare(workflow: WorkflowName): Prepared {
    const cached = this.prepared.get(workflow);
    if (cached) return cached;
    const spec = (this.options.catalog ?? CATALOG).find((w) => w.name === workflow);
    if (!spec) throw new Error(`unknown workflow "${workflow}"`);
    const { definition } = readDefinition(spec.aslFile);
    const unbound: TaskState[] = [];
    const bindings: Prepared['bindings'][number][] = [];
    for (const state of taskStates(definition)) {
      const override = this.options.stateHandlers?.[state.stateName];
      const target = state.target;
      if (override) {
        bindings.push({ stateName: state.stateName, bind: () => override });
      } else if (target.kind === 'function' && this.options.tasks[target.task]) {
        const handler = this.options.tasks[target.task]!;
        bindings.push({ stateName: state.stateName, bind: () => handler });
      } else if (target.kind === 'child-workflow') {
        this.prepare(target.workflow);
        bindings.push({ stateName: state.stateName, bind: (children) => (input) => this.runChild(target.workflow, input, children) });
      } else {
        unbound.push(state);
      }
    }
    if (unbound.length > 0) throw new UnboundTaskError(workflow, unbound);
    const states = allStates(definition);
    // Validated as written; what runs may have its retry timing scaled.
    const validated = new StateMachine(definition as any);
    const scale = this.options.timeScale ?? 1;
    const prepared: Prepared = {
      spec,
      machine: scale === 1 ? validated : new StateMachine(scaleRetryTiming(definition, scale) as any, { validationOptions: { noValidate: true } }),
      bindings,
      waiting: states.filter(([, s]) => s.Type === 'Wait').map(([name]) => name),
    };
    this.prepared.set(workflow, prepared);
    return prepared;
  }

  public async start(workflow: WorkflowName, input: unknown): Promise<ExecutionRecord> {
    const prepared = this.prepare(workflow);
    const children: ExecutionRecord[] = [];
    const overrides = {
      taskResourceLocalHandlers: Object.fromEntries(prepared.bindings.map(({ stateName, bind }) => [stateName, bind(children)])),
      ...(this.options.waitMs !== undefined ? { waitTimeOverrides: Object.fromEntries(prepared.waiting.map((n) => [n, this.options.waitMs!])) } : {}),
    };
    const executionArn = `arn:aws:states:us-east-1:000000000000:execution:${stateMachineName(workflow)}:local-${++this.sequence}`;
    const execution = prepared.machine.run(input as never, { overrides, context: { Execution: { Id: executionArn, Input: input, Name: `local-${this.sequence}`, StartTime: new Date().toISOString() } } } as any);
    const statesEntered: string[] = [];
    let retries = 0;
    const collecting = (async () => {
      for await (const event of execution.eventLogs) {
        if (event.type === 'StateEntered') statesEntered.push(event.state.name);
        if (event.type === 'StateRetried') retries++;
      }
    })();
    const base = { executionArn, workflow, input, statesEntered, children };
    let record: ExecutionRecord;
    try {
      const output = await execution.result;
      await collecting;
      record = { ...base, status: 'SUCCEEDED', output, stateTransitions: 0 };
    } catch (failure) {
      await collecting.catch(() => undefined);
      const caught = (failure as { cause?: { name?: string; message?: string } }).cause;
      const timedOut = (failure as Error).name === 'ExecutionTimeoutError';
      record = {
        ...base,
        status: timedOut ? 'TIMED_OUT' : 'FAILED',
        error: timedOut ? 'States.Timeout' : (caught?.name ?? (failure as Error).name),
        cause: caught?.message ?? (failure as Error).message,
        stateTransitions: 0,
      };
    }
    const own = statesEntered.length + retries;
    return { ...record, stateTransitions: own + children.reduce((sum, c) => sum + c.stateTransitions, 0) };
  }

  private async runChild(workflow: WorkflowName, request: unknown, children: ExecutionRecord[]): Promise<unknown> {
    const input = (request as { Input?: unknown }).Input ?? {};
    const child = await this.start(workflow, input);
    children.push(child);
    if (child.status !== 'SUCCEEDED') {
      throw new ChildExecutionFailed(JSON.stringify({ ExecutionArn: child.executionArn, Status: child.status, Error: child.error, Cause: child.cause }));
    }
    return { ExecutionArn: child.executionArn, Status: child.status, Output: child.output, Input: input };
  }
}
