/** The offline runner enforces what Step Functions and Lambda enforce, on the virtual clock. */
import { join } from 'path';
import type { WorkflowSpec } from '../../workflows/catalog';
import { causeMessage, LocalRunner } from '../../workflows/local/runner';
import { VirtualClock } from '../../workflows/local/virtual-clock';
import { EXPRESS_MAX_DURATION_SECONDS, HISTORY_LIMIT_EVENTS, PAYLOAD_LIMIT_BYTES, STATE_TRANSITION_QUOTA } from '../../workflows/local/quotas';

const fixture = (name: string) => join(__dirname, 'fixtures', `${name}.asl.json`);
const spec = (name: string): WorkflowSpec => ({ name: name as WorkflowSpec['name'], description: name, aslFile: fixture(name), triggers: [], tasks: [] });
const catalog = [
  ...['big-output', 'slow-parent', 'slow-child', 'endless-loop', 'lambda-timeout', 'express-parent'].map(spec),
  { ...spec('express-loop'), type: 'EXPRESS' as const },
  { ...spec('express-follows-child'), type: 'EXPRESS' as const },
];

/** A Lambda that counts rounds: done once `rounds` have run. */
const countRounds = async (input: unknown) => {
  const { rounds, count = 0 } = input as { rounds: number; count?: number };
  return { rounds, count: count + 1, done: count + 1 >= rounds };
};

describe('offline runner quotas', () => {
  it('fails an execution whose state output passes 256 KiB with States.DataLimitExceeded, which States.ALL does not catch', async () => {
    // Prepare
    const runner = new LocalRunner({ catalog, tasks: { Big: async () => ({ blob: 'x'.repeat(PAYLOAD_LIMIT_BYTES) }) } });

    // Act
    const execution = await runner.start('big-output' as never, {});

    // Assess
    expect(execution).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(execution.statesEntered).toEqual(['Big']);
  });

  it('lets a startExecution.sync child run 61 virtual seconds: a Task has no default timeout', async () => {
    // Prepare
    const runner = new LocalRunner({ catalog, tasks: {} });
    const started = runner.clock.now();

    // Act
    const execution = await runner.start('slow-parent' as never, {});

    // Assess
    expect(execution).toMatchObject({ status: 'SUCCEEDED', output: { waited: 61 } });
    expect(runner.clock.secondsSince(started)).toBe(61);
  });

  it(`fails an execution past ${HISTORY_LIMIT_EVENTS} history events`, async () => {
    // Prepare
    const runner = new LocalRunner({ catalog, tasks: {} });

    // Act
    const execution = await runner.start('endless-loop' as never, {});

    // Assess
    expect(execution.status).toBe('FAILED');
    expect(execution.cause).toContain(`maximum number of history events (${HISTORY_LIMIT_EVENTS})`);
    expect(execution.historyEvents).toBeGreaterThan(HISTORY_LIMIT_EVENTS);
  });

  it('delays Standard state transitions past the account quota instead of running them at once', async () => {
    // Prepare: the loop makes 12,500 transitions before its history is full, all at one virtual instant.
    const runner = new LocalRunner({ catalog, tasks: {} });
    const started = runner.clock.now();

    // Act
    const execution = await runner.start('endless-loop' as never, {});

    // Assess: the burst passes at once, the rest at the refill rate.
    const expected = (execution.stateTransitions - STATE_TRANSITION_QUOTA.burst) / STATE_TRANSITION_QUOTA.perSecond;
    expect(execution.stateTransitions).toBe(HISTORY_LIMIT_EVENTS / 2);
    expect(runner.clock.secondsSince(started)).toBeCloseTo(expected, 2);
    // Delays are whole virtual milliseconds, so each lets the next few through undelayed.
    expect(runner.transitionsDelayed).toBeGreaterThan(0);
  });

  it('runs an Express child followed by .sync:2: billed by duration, its transitions neither billed nor throttled', async () => {
    // Prepare: 100 rounds, a 1 s Wait between them.
    const runner = new LocalRunner({ catalog, tasks: { Count: countRounds } });

    // Act
    const execution = await runner.start('express-parent' as never, { rounds: 100 });

    // Assess
    const child = execution.children[0]!;
    expect(execution).toMatchObject({ status: 'SUCCEEDED', type: 'STANDARD', output: { count: 100, done: true } });
    expect(child).toMatchObject({ status: 'SUCCEEDED', type: 'EXPRESS', stateTransitions: 100 + 100 + 99 + 1 });
    expect(execution.billedTransitions).toBe(1);
    expect(execution.express).toEqual({ executions: 1, billedMs: 99_000 });
    expect(runner.transitionsDelayed).toBe(0);
  });

  it(`times an Express execution out after ${EXPRESS_MAX_DURATION_SECONDS} s, failing the parent's .sync Task`, async () => {
    // Prepare: 400 rounds would take 399 s.
    const runner = new LocalRunner({ catalog, tasks: { Count: countRounds } });
    const started = runner.clock.now();

    // Act
    const execution = await runner.start('express-parent' as never, { rounds: 400 });

    // Assess
    expect(execution.children[0]).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(execution).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
    expect(runner.clock.secondsSince(started)).toBe(EXPRESS_MAX_DURATION_SECONDS);
  });

  it('refuses an Express workflow that follows a child with .sync, which only Standard workflows support', () => {
    // Prepare
    const runner = new LocalRunner({ catalog, tasks: {} });

    // Act and Assess
    expect(() => runner.prepare('express-follows-child' as never)).toThrow(/Express workflow express-follows-child: "RunChild" uses \.sync/);
  });

  it('reports a function past its Lambda timeout as Lambda.Unknown, and retries cost virtual time', async () => {
    // Prepare: CheckRegion's function times out after 60 s.
    const clock = new VirtualClock();
    const runner = new LocalRunner({ catalog, clock, tasks: { CheckRegion: () => clock.sleep(61_000).then(() => ({ late: true })) } });
    const started = clock.now();

    // Act
    const execution = await runner.start('lambda-timeout' as never, {});

    // Assess: three attempts of 60 s, waits of 10 s and 20 s between them.
    expect(execution).toMatchObject({ status: 'FAILED', error: 'Lambda.Unknown' });
    expect(execution.cause).toContain('Task timed out after 60.00 seconds');
    expect(clock.secondsSince(started)).toBe(3 * 60 + 10 + 20);
    expect(runner.lambdaUsage).toMatchObject({ invocations: 3, billedMs: 3 * 60_000 });
  });

  it('bills an invocation that takes no virtual time its 1 ms minimum, and one refused for concurrency nothing', async () => {
    // Prepare: CheckRegion answers at once the first time, and is refused the second (no concurrency).
    const runner = new LocalRunner({ catalog, tasks: { CheckRegion: async () => ({ ok: true }) } });
    const refusing = new LocalRunner({ catalog, lambdaConcurrency: 0, tasks: { CheckRegion: async () => ({ ok: true }) } });

    // Act
    await runner.start('lambda-timeout' as never, {});
    await refusing.start('lambda-timeout' as never, {});

    // Assess
    expect(runner.lambdaUsage).toMatchObject({ invocations: 1, billedMs: 1, throttled: 0 });
    expect(refusing.lambdaUsage).toMatchObject({ invocations: 0, billedMs: 0 });
    expect(refusing.lambdaUsage.throttled).toBeGreaterThan(0);
  });

  it('shapes a function error as the Lambda runtime does: errorType, errorMessage and trace in the Cause', async () => {
    // Prepare
    const failure = Object.assign(new Error('no such region'), { name: 'RegionNotGoverned' });
    const runner = new LocalRunner({ catalog, tasks: { CheckRegion: async () => Promise.reject(failure) } });

    // Act
    const execution = await runner.start('lambda-timeout' as never, {});

    // Assess
    expect(execution.error).toBe('RegionNotGoverned');
    const cause = JSON.parse(execution.cause!) as { errorType: string; errorMessage: string; trace: string[] };
    expect(cause).toMatchObject({ errorType: 'RegionNotGoverned', errorMessage: 'no such region' });
    expect(cause.trace.length).toBeGreaterThan(0);
    expect(causeMessage(execution.cause)).toBe('no such region');
  });
});
