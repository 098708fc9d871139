/**
 * An Amazon States Language (JSONPath) interpreter on the virtual clock, as strict as Step
 * Functions where it matters to us: payloads over 256 KiB fail with `States.DataLimitExceeded`,
 * histories past 25,000 events fail the execution, neither (nor `States.Runtime`) can be caught by
 * `States.ALL`; Retry backoff (`BackoffRate`, `MaxDelaySeconds`, full jitter) and Wait states cost
 * virtual time; a Task has no timeout unless it sets one; a Distributed Map runs each item as a
 * child execution with its own history and honours its tolerated failures.
 * https://states-language.net/spec.html and https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
import type { VirtualClock } from './virtual-clock';
import { evaluateRule } from './choice';
import { applyTemplate, read, selectPath, StatesError, writeResult } from './json-path';
import { jsonBytes } from './payload-size';
import {
  DISTRIBUTED_MAP_MAX_CONCURRENCY,
  EXPRESS_MAX_DURATION_SECONDS,
  HISTORY_LIMIT_EVENTS,
  INLINE_MAP_MAX_CONCURRENCY,
  PAYLOAD_LIMIT_BYTES,
  RETRY_DEFAULTS,
} from './quotas';

type State = Record<string, any>;
export type Machine = { readonly StartAt: string; readonly States: Record<string, State>; readonly TimeoutSeconds?: number };

/** Errors no Retry or Catch can handle: they fail the execution. */
const TERMINAL_ERRORS = new Set(['States.DataLimitExceeded', 'States.Runtime']);

export type ExecutionStatus = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';

/** Standard executions are billed by state transition and keep a 25,000-event history; Express ones are billed by duration and last 5 minutes at most. */
export type ExecutionType = 'STANDARD' | 'EXPRESS';

export interface ExecutionRecord {
  readonly executionArn: string;
  readonly workflow: string;
  readonly type: ExecutionType;
  readonly status: ExecutionStatus;
  readonly input: unknown;
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  /** States entered plus retries, children included. */
  readonly stateTransitions: number;
  /** The state transitions of Standard executions only, children included: what AWS bills as state transitions. */
  readonly billedTransitions: number;
  /**
   * Express executions, this one and its children, and their durations each rounded up to 100 ms:
   * what AWS bills Express workflows by (https://aws.amazon.com/step-functions/pricing/).
   */
  readonly express: { readonly executions: number; readonly billedMs: number };
  /** This execution's own history events (children have their own). */
  readonly historyEvents: number;
  /** The largest state input, output or task result it held, in bytes (children have their own). */
  readonly largestPayloadBytes: number;
  /** Names of the states this execution entered, in order (children have their own). */
  readonly statesEntered: readonly string[];
  readonly children: readonly ExecutionRecord[];
  /** Virtual ms since the epoch. */
  readonly startedAt: number;
  readonly stoppedAt: number;
}

/** One execution's running tallies. */
export class ExecutionScope {
  public history = 0;
  public transitions = 0;
  public largestPayload = 0;
  public readonly statesEntered: string[] = [];
  public readonly children: ExecutionRecord[] = [];
  public timedOut = false;

  public constructor(
    public readonly executionArn: string,
    public readonly name: string,
    public readonly workflow: string,
    public readonly startedAt: number,
    public readonly type: ExecutionType = 'STANDARD',
  ) {}

  public addEvents(n: number): void {
    this.history += n;
    // Express executions have no history limit: https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
    if (this.type === 'STANDARD' && this.history > HISTORY_LIMIT_EVENTS) {
      // The error name AWS reports here is not documented; the failure itself is.
      throw new StatesError('States.Runtime', `The execution reached the maximum number of history events (${HISTORY_LIMIT_EVENTS}).`);
    }
  }
}

export interface InterpreterHost {
  readonly clock: VirtualClock;
  /** A seeded draw in [0, 1) for retry jitter. */
  jitter(key: string): number;
  /** Runs a Task state's resource (a Lambda or a child execution) with its effective input. */
  invokeTask(stateName: string, state: State, input: unknown, scope: ExecutionScope): Promise<unknown>;
  /** Runs one Distributed Map item as a child execution of `parent`, of the type its ProcessorConfig names. */
  runMapChild(processor: Machine, input: unknown, parent: ExecutionScope, index: number, type: ExecutionType): Promise<ExecutionRecord>;
  /** Virtual ms before the next state transition of an execution of `type` may happen (0 when it may now). */
  transitionDelayMs(type: ExecutionType): number;
}

function checkSize(value: unknown, what: string, scope?: ExecutionScope): void {
  const bytes = jsonBytes(value);
  if (scope && bytes > scope.largestPayload) scope.largestPayload = bytes;
  if (bytes > PAYLOAD_LIMIT_BYTES) {
    throw new StatesError('States.DataLimitExceeded', `The ${what} has a size of ${bytes} bytes, above the maximum of ${PAYLOAD_LIMIT_BYTES} bytes.`);
  }
}

function errorMatches(names: readonly string[], error: string): boolean {
  if (TERMINAL_ERRORS.has(error)) return false;
  return names.some((name) => name === error || name === 'States.ALL' || (name === 'States.TaskFailed' && error !== 'States.Timeout'));
}

function asStatesError(error: unknown): StatesError {
  if (error instanceof StatesError) return error;
  const e = error as Error;
  return new StatesError(e?.name ?? 'Error', e?.message ?? String(error));
}

interface Context {
  readonly Execution: { readonly Id: string; readonly Input: unknown; readonly Name: string; readonly StartTime: string };
  readonly StateMachine: { readonly Id: string; readonly Name: string };
  State?: { readonly Name: string; readonly EnteredTime: string; readonly RetryCount: number };
  readonly Map?: { readonly Item: { readonly Index: number; readonly Value: unknown } };
}

export class Interpreter {
  public constructor(private readonly host: InterpreterHost) {}

  /** Runs a whole execution of `machine`; never throws, the record says how it ended. */
  public async execute(machine: Machine, input: unknown, scope: ExecutionScope): Promise<ExecutionRecord> {
    const clock = this.host.clock;
    const context: Context = {
      Execution: { Id: scope.executionArn, Input: input, Name: scope.name, StartTime: new Date(scope.startedAt).toISOString() },
      StateMachine: { Id: scope.executionArn.replace(':execution:', ':stateMachine:').replace(/:[^:]+$/, ''), Name: scope.workflow },
    };
    let status: ExecutionStatus = 'SUCCEEDED';
    let output: unknown;
    let failure: StatesError | undefined;
    try {
      scope.addEvents(1);
      checkSize(input, 'execution input', scope);
      const run = this.runMachine(machine, input, scope, context);
      const timeoutSeconds = scope.type === 'EXPRESS' ? Math.min(machine.TimeoutSeconds ?? Infinity, EXPRESS_MAX_DURATION_SECONDS) : machine.TimeoutSeconds;
      output = timeoutSeconds
        ? await clock.deadline(run, timeoutSeconds * 1000, () => {
            scope.timedOut = true;
            return new StatesError(
              'States.Timeout',
              `The execution ran longer than ${scope.type === 'EXPRESS' && timeoutSeconds === EXPRESS_MAX_DURATION_SECONDS ? "an Express workflow's maximum" : 'its TimeoutSeconds'} (${timeoutSeconds} s).`,
            );
          })
        : await run;
      checkSize(output, 'execution output', scope);
    } catch (error) {
      failure = asStatesError(error);
      status = scope.timedOut ? 'TIMED_OUT' : 'FAILED';
    }
    scope.history += 1;
    const stoppedAt = clock.now();
    const own = scope.type === 'STANDARD' ? scope.transitions : 0;
    return {
      executionArn: scope.executionArn,
      workflow: scope.workflow,
      type: scope.type,
      status,
      input,
      ...(status === 'SUCCEEDED' ? { output } : { error: failure!.error, cause: failure!.causeText }),
      stateTransitions: scope.transitions + scope.children.reduce((sum, c) => sum + c.stateTransitions, 0),
      billedTransitions: own + scope.children.reduce((sum, c) => sum + c.billedTransitions, 0),
      express: scope.children.reduce(
        (sum, c) => ({ executions: sum.executions + c.express.executions, billedMs: sum.billedMs + c.express.billedMs }),
        scope.type === 'EXPRESS'
          ? { executions: 1, billedMs: Math.max(100, Math.ceil((stoppedAt - scope.startedAt) / 100) * 100) }
          : { executions: 0, billedMs: 0 },
      ),
      historyEvents: scope.history,
      largestPayloadBytes: scope.largestPayload,
      statesEntered: scope.statesEntered,
      children: scope.children,
      startedAt: scope.startedAt,
      stoppedAt,
    };
  }

  private async runMachine(machine: Machine, input: unknown, scope: ExecutionScope, context: Context): Promise<unknown> {
    let name: string | undefined = machine.StartAt;
    let value = input;
    while (name !== undefined) {
      if (scope.timedOut) throw new StatesError('States.Timeout', 'execution timed out');
      const state = machine.States[name];
      if (!state) throw new StatesError('States.Runtime', `state "${name}" does not exist`);
      scope.statesEntered.push(name);
      await this.transition(scope);
      scope.addEvents(state.Type === 'Fail' ? 1 : 2);
      const stateContext: Context = { ...context, State: { Name: name, EnteredTime: new Date(this.host.clock.now()).toISOString(), RetryCount: 0 } };
      const step: { output: unknown; next?: string } = await this.runState(name, state, value, scope, stateContext);
      value = step.output;
      name = step.next;
    }
    return value;
  }

  /** Counts one state transition, once the account's state-transition quota allows it. */
  private async transition(scope: ExecutionScope): Promise<void> {
    const delay = this.host.transitionDelayMs(scope.type);
    if (delay > 0) await this.host.clock.sleep(delay);
    scope.transitions++;
  }

  private async runState(name: string, state: State, input: unknown, scope: ExecutionScope, context: Context): Promise<{ output: unknown; next?: string }> {
    const next = (): string | undefined => (state.End ? undefined : state.Next);
    switch (state.Type) {
      case 'Pass': {
        const effective = this.effectiveInput(state, input, context, scope);
        const result = state.Result !== undefined ? state.Result : effective;
        return { output: this.finish(state, input, result, context, name, scope), next: next() };
      }
      case 'Choice': {
        const effective = selectPath(state.InputPath, input, context, 'InputPath');
        const matched = (state.Choices as State[]).find((rule) => evaluateRule(rule, effective, context));
        const target = matched?.Next ?? state.Default;
        if (!target) throw new StatesError('States.NoChoiceMatched', `No Choice rule matched and no Default in state "${name}"`);
        return { output: this.output(state, effective, context, name, scope), next: target };
      }
      case 'Wait': {
        const effective = selectPath(state.InputPath, input, context, 'InputPath');
        await this.host.clock.sleep(this.waitMs(state, effective, context));
        return { output: this.output(state, effective, context, name, scope), next: next() };
      }
      case 'Succeed':
        return { output: this.output(state, selectPath(state.InputPath, input, context, 'InputPath'), context, name, scope) };
      case 'Fail': {
        const effective = input;
        const error = state.ErrorPath ? String(read(state.ErrorPath, effective, context, 'ErrorPath')) : String(state.Error ?? 'States.Fail');
        const cause = state.CausePath ? String(read(state.CausePath, effective, context, 'CausePath')) : String(state.Cause ?? '');
        throw new StatesError(error, cause);
      }
      case 'Task':
        return this.withErrorHandling(name, state, input, scope, context, async () => {
          const effective = this.effectiveInput(state, input, context, scope);
          const result = await this.attemptTask(name, state, effective, scope);
          checkSize(result, `result of state "${name}"`, scope);
          return result;
        });
      case 'Map':
        return this.withErrorHandling(name, state, input, scope, context, () => this.runMap(name, state, input, scope, context));
      case 'Parallel':
        return this.withErrorHandling(name, state, input, scope, context, () => this.runParallel(state, input, scope, context));
      default:
        throw new StatesError('States.Runtime', `state type ${String(state.Type)} is not modelled offline`);
    }
  }

  /** InputPath then Parameters; the result must fit the payload quota. */
  private effectiveInput(state: State, input: unknown, context: Context, scope: ExecutionScope): unknown {
    const selected = selectPath(state.InputPath, input, context, 'InputPath');
    const effective = state.Parameters !== undefined ? applyTemplate(state.Parameters, selected, context) : selected;
    checkSize(effective, 'input of a state after Parameters', scope);
    return effective;
  }

  /** ResultSelector, ResultPath, OutputPath; the output must fit the payload quota. */
  private finish(state: State, input: unknown, result: unknown, context: Context, name: string, scope: ExecutionScope): unknown {
    const selected = state.ResultSelector !== undefined ? applyTemplate(state.ResultSelector, result, context) : result;
    return this.output(state, writeResult(state.ResultPath, input, selected), context, name, scope);
  }

  private output(state: State, value: unknown, context: Context, name: string, scope: ExecutionScope): unknown {
    const output = selectPath(state.OutputPath, value, context, 'OutputPath');
    checkSize(output, `output of state "${name}"`, scope);
    return output;
  }

  private waitMs(state: State, input: unknown, context: Context): number {
    if (state.Seconds !== undefined) return Number(state.Seconds) * 1000;
    if (state.SecondsPath) {
      const seconds = read(state.SecondsPath, input, context, 'SecondsPath');
      if (typeof seconds !== 'number' || seconds < 0)
        throw new StatesError('States.Runtime', `SecondsPath ${state.SecondsPath} must be a non-negative number, got ${JSON.stringify(seconds)}`);
      return seconds * 1000;
    }
    const timestamp = state.Timestamp ?? read(state.TimestampPath, input, context, 'TimestampPath');
    return Math.max(0, Date.parse(String(timestamp)) - this.host.clock.now());
  }

  private async attemptTask(name: string, state: State, input: unknown, scope: ExecutionScope): Promise<unknown> {
    // Scheduled, Started, then Succeeded/Failed/TimedOut; a .sync integration adds Submitted.
    scope.addEvents(String(state.Resource).endsWith('.sync:2') ? 4 : 3);
    const invocation = this.host.invokeTask(name, state, input, scope);
    if (!state.TimeoutSeconds) return invocation;
    return this.host.clock.deadline(
      invocation,
      Number(state.TimeoutSeconds) * 1000,
      () => new StatesError('States.Timeout', `Task "${name}" ran longer than its TimeoutSeconds (${state.TimeoutSeconds} s).`),
    );
  }

  /** Runs `attempt` under the state's Retry and Catch, then processes its result. */
  private async withErrorHandling(
    name: string,
    state: State,
    input: unknown,
    scope: ExecutionScope,
    context: Context,
    attempt: () => Promise<unknown>,
  ): Promise<{ output: unknown; next?: string }> {
    const retriers: State[] = state.Retry ?? [];
    const attempts = retriers.map(() => 0);
    for (;;) {
      let result: unknown;
      try {
        result = await attempt();
      } catch (thrown) {
        const error = asStatesError(thrown);
        const index = retriers.findIndex((r) => errorMatches(r.ErrorEquals, error.error));
        const retrier = retriers[index];
        if (retrier && attempts[index]! < (retrier.MaxAttempts ?? RETRY_DEFAULTS.MaxAttempts)) {
          const interval =
            (retrier.IntervalSeconds ?? RETRY_DEFAULTS.IntervalSeconds) * (retrier.BackoffRate ?? RETRY_DEFAULTS.BackoffRate) ** attempts[index]!;
          const capped = retrier.MaxDelaySeconds !== undefined ? Math.min(interval, retrier.MaxDelaySeconds) : interval;
          const delay = retrier.JitterStrategy === 'FULL' ? capped * this.host.jitter(`${scope.executionArn}/${name}/${index}/${attempts[index]}`) : capped;
          attempts[index]!++;
          await this.transition(scope);
          await this.host.clock.sleep(delay * 1000);
          continue;
        }
        return this.caught(state, input, error, name, scope);
      }
      try {
        return { output: this.finish(state, input, result, context, name, scope), next: state.End ? undefined : state.Next };
      } catch (thrown) {
        return this.caught(state, input, asStatesError(thrown), name, scope);
      }
    }
  }

  private caught(state: State, input: unknown, error: StatesError, name: string, scope: ExecutionScope): { output: unknown; next: string } {
    const catcher = (state.Catch as State[] | undefined)?.find((c) => errorMatches(c.ErrorEquals, error.error));
    if (!catcher) throw error;
    const output = writeResult(catcher.ResultPath, input, { Error: error.error, Cause: error.causeText });
    checkSize(output, `output of state "${name}"`, scope);
    return { output, next: catcher.Next };
  }

  private async runMap(name: string, state: State, input: unknown, scope: ExecutionScope, context: Context): Promise<unknown> {
    if (state.ItemReader || state.ResultWriter) throw new StatesError('States.Runtime', `Map "${name}": ItemReader and ResultWriter are not modelled offline`);
    const effective = selectPath(state.InputPath, input, context, 'InputPath');
    const items = state.ItemsPath ? read(state.ItemsPath, effective, context, 'ItemsPath') : effective;
    if (!Array.isArray(items))
      throw new StatesError('States.Runtime', `Map "${name}": ItemsPath must select an array, got ${JSON.stringify(items)?.slice(0, 200)}`);
    const processor: Machine = state.ItemProcessor ?? state.Iterator;
    const distributed = state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED';
    const childType: ExecutionType = state.ItemProcessor?.ProcessorConfig?.ExecutionType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD';
    const selector = state.ItemSelector ?? state.Parameters;
    const itemInput = (value: unknown, index: number): unknown => {
      const selected = selector !== undefined ? applyTemplate(selector, effective, { ...context, Map: { Item: { Index: index, Value: value } } }) : value;
      checkSize(selected, `input of Map "${name}" item ${index}`, scope);
      return selected;
    };
    const ceiling = distributed ? DISTRIBUTED_MAP_MAX_CONCURRENCY : INLINE_MAP_MAX_CONCURRENCY;
    const maxConcurrency = state.MaxConcurrencyPath ? read(state.MaxConcurrencyPath, effective, context, 'MaxConcurrencyPath') : state.MaxConcurrency;
    if (maxConcurrency !== undefined && (!Number.isInteger(maxConcurrency) || (maxConcurrency as number) < 0)) {
      throw new StatesError('States.Runtime', `Map "${name}": MaxConcurrency must be a non-negative integer, got ${JSON.stringify(maxConcurrency)}`);
    }
    const concurrency = Math.min((maxConcurrency as number | undefined) || ceiling, ceiling);
    // MapStateStarted / MapRunStarted and their end event.
    scope.addEvents(2);
    if (!distributed) {
      return mapWithConcurrency(items, concurrency, async (value, index) => {
        scope.addEvents(2);
        return this.runMachine(processor, itemInput(value, index), scope, context);
      });
    }
    const records = await mapWithConcurrency(
      items,
      concurrency,
      (value, index) => this.host.runMapChild(processor, itemInput(value, index), scope, index, childType),
      false,
    );
    const failed = records.filter((r) => r.status !== 'SUCCEEDED');
    const toleratedCount = state.ToleratedFailureCount ?? 0;
    const toleratedPercentage = state.ToleratedFailurePercentage ?? 0;
    if (failed.length > 0 && failed.length > toleratedCount && (failed.length / records.length) * 100 > toleratedPercentage) {
      throw new StatesError(
        'States.ExceedToleratedFailureThreshold',
        `The Map Run failed: ${failed.length} of ${records.length} child executions failed (first: ${failed[0]!.error}: ${failed[0]!.cause})`,
      );
    }
    return records.map((r) => (r.status === 'SUCCEEDED' ? r.output : { Error: r.error, Cause: r.cause }));
  }

  private async runParallel(state: State, input: unknown, scope: ExecutionScope, context: Context): Promise<unknown> {
    const effective = this.effectiveInput(state, input, context, scope);
    scope.addEvents(2);
    return mapWithConcurrency(state.Branches as Machine[], (state.Branches as Machine[]).length, (branch) =>
      this.runMachine(branch, effective, scope, context),
    );
  }
}

/**
 * `work` over `items`, at most `concurrency` at once, results in item order. With `failFast`, the
 * first failure stops new items from starting and is thrown once those in flight end.
 */
async function mapWithConcurrency<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>, failFast = true): Promise<R[]> {
  const results = new Array<R>(items.length);
  let nextIndex = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (nextIndex < items.length && !failure) {
      const index = nextIndex++;
      try {
        results[index] = await work(items[index]!, index);
      } catch (error) {
        if (!failFast) throw error;
        failure ??= { error };
      }
    }
  };
  // eslint-disable-next-line @cdklabs/promiseall-no-unbounded-parallelism -- a pool of at most MaxConcurrency workers
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}
