/** The offline world's one clock: wake-ups in order, and nothing kept for a timer that can no longer fire. */
import { VirtualClock } from '../../workflows/local/virtual-clock';

describe('VirtualClock', () => {
  it('keeps no wake-up for a deadline whose work settled, however many Lambda invocations ended early', async () => {
    // Prepare: a warm task's invocations, each under a 15-minute deadline and done in 30 ms.
    const clock = new VirtualClock();

    // Act
    await clock.run(async () => {
      for (let i = 0; i < 5_000; i++) await clock.deadline(clock.sleep(30), 15 * 60_000, () => new Error('Lambda timed out'));
    });

    // Assess: at most a bounded remnant of cancelled timers is still scheduled.
    expect(clock.scheduled).toBeLessThanOrEqual(1_024);
  });

  it('wakes sleepers due at one instant in their order, then in the order they slept, across cancelled deadlines', async () => {
    // Prepare
    const clock = new VirtualClock();
    const woke: string[] = [];

    // Act
    await clock.run(async () => {
      const sleepers = [
        clock.sleep(5_000, 'b').then(() => woke.push('b1')),
        clock.sleep(5_000, 'a').then(() => woke.push('a1')),
        clock.sleep(5_000, 'b').then(() => woke.push('b2')),
      ];
      for (let i = 0; i < 3_000; i++) await clock.deadline(Promise.resolve(i), 60_000, () => new Error('never'));
      sleepers.push(clock.sleep(5_000, 'a').then(() => woke.push('a2')));
      await Promise.all(sleepers);
    });

    // Assess
    expect(woke).toEqual(['a1', 'a2', 'b1', 'b2']);
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1) + 5_000);
  });

  it.each([1, 2, 3])('wakes 2,000 sleepers scheduled at random, some cancelled, in time, then order, then scheduling order (seed %i)', async (seed) => {
    // Prepare: few instants and few order keys, so that most wake-ups tie on both.
    let state = seed;
    const next = (n: number) => (state = (state * 1103515245 + 12345) % 2 ** 31) % n;
    const clock = new VirtualClock();
    const woke: number[] = [];
    const expected: Array<{ at: number; order: string; seq: number }> = [];

    // Act
    await clock.run(async () => {
      const sleeping: Array<Promise<unknown>> = [];
      for (let seq = 0; seq < 2_000; seq++) {
        const at = next(50);
        const order = 'key-' + String(next(4));
        if (next(5) === 0) await clock.deadline(Promise.resolve(), at + 1, () => new Error('never'));
        expected.push({ at, order, seq });
        sleeping.push(clock.sleep(at, order).then(() => woke.push(seq)));
      }
      await Promise.all(sleeping);
    });

    // Assess
    const inOrder = [...expected].sort((a, b) => a.at - b.at || (a.order < b.order ? -1 : a.order > b.order ? 1 : 0) || a.seq - b.seq);
    expect(woke).toEqual(inOrder.map((s) => s.seq));
  });

  it('wakes sleepers due at one instant in the order of the turns they took, not of when they slept', async () => {
    // Prepare
    const clock = new VirtualClock();
    const woke: string[] = [];

    // Act: the first turn's sleep is asked for last, after work that moved no virtual time.
    await clock.run(async () => {
      const first = clock.takeTurn();
      const second = clock.takeTurn();
      const late = Promise.resolve().then(() => clock.sleep(100, 'same', first).then(() => woke.push('first')));
      await Promise.all([clock.sleep(100, 'same', second).then(() => woke.push('second')), clock.sleep(100, 'same').then(() => woke.push('untaken')), late]);
    });

    // Assess
    expect(woke).toEqual(['first', 'second', 'untaken']);
  });

  it('rejects with the deadline error when the work outlasts it, at the deadline', async () => {
    // Prepare
    const clock = new VirtualClock();

    // Act
    const outcome = clock.run(() => clock.deadline(clock.sleep(120_000), 60_000, () => new Error('Task timed out after 60.00 seconds')));

    // Assess
    await expect(outcome).rejects.toThrow('Task timed out after 60.00 seconds');
    expect(clock.now()).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 1) + 60_000);
  });
});
