/**
 * The one clock of the offline world. Nothing offline reads the wall clock: Wait states, Retry
 * backoff, Task and Lambda timeouts, the SDK's retry delays, lease TTLs and token buckets all
 * read or advance this clock. Time moves only when every pending piece of work is blocked on a
 * sleep: the clock then jumps to the earliest wake-up, so virtual hours cost milliseconds and the
 * same seed gives the same run.
 */
import type { Clock } from '../../tasks/lib/clock';

interface Sleeper {
  readonly at: number;
  /** Orders wake-ups due at the same instant, before `seq`, so that their order does not depend on which promise chain got there first. */
  readonly order: string;
  readonly seq: number;
  /**
   * Dropped once it has woken or been cancelled, so that nothing waiting on a timer that can no
   * longer fire is kept alive. A sleeper in the heap without it is cancelled: dropped without moving time.
   */
  wake?: () => void;
}

/**
 * Cancelled wake-ups the heap may hold before it is rebuilt without them: every Lambda invocation
 * cancels its timeout's, hours before it would come due.
 */
const CANCELLED_KEPT = 1024;

/** Real event-loop turns with no progress and nothing asleep before a run is declared stuck. */
const STUCK_AFTER_IDLE_TURNS = 1000;

/** 2026-01-01T00:00:00Z: every offline run starts here. */
export const VIRTUAL_EPOCH = Date.UTC(2026, 0, 1);

export class VirtualClock implements Clock {
  private current: number;
  private sequence = 0;
  /** Min-heap on (at, seq): wake-ups in time order, ties in the order they were scheduled. */
  private heap: Sleeper[] = [];
  private cancelled = 0;
  private running = 0;
  /** Real (wall-clock) work in flight that time must not move past, such as reading a file. */
  private holds = 0;
  private driving?: Promise<void>;

  public constructor(start = VIRTUAL_EPOCH) {
    this.current = start;
  }

  public now(): number {
    return this.current;
  }

  /** Wake-ups scheduled, cancelled ones not yet dropped included. */
  public get scheduled(): number {
    return this.heap.length;
  }

  /** Seconds of virtual time since `since` (ms). */
  public secondsSince(since: number): number {
    return (this.current - since) / 1000;
  }

  /**
   * Resolves after `ms`; wake-ups due at the same instant go in `order`, then in the order they
   * were asked for, or in the order of their `turn` (from `takeTurn`).
   */
  public sleep(ms: number, order = '', turn?: number): Promise<void> {
    // No handle to cancel it: a sleep is the commonest timer (every simulated call's latency).
    return new Promise<void>((wake) => void this.schedule(ms, order, wake, turn));
  }

  /**
   * A place among wake-ups due at one instant, taken before work that moves no virtual time but
   * takes a number of promise turns that may vary (a policy evaluation, cached or not), for the
   * sleep that follows it: its order then does not depend on how many turns that work took.
   */
  public takeTurn(): number {
    return this.sequence++;
  }

  /** `work`, or a rejection with `error()` once `ms` pass first (its timer is cancelled when `work` settles). */
  public deadline<T>(work: Promise<T>, ms: number, error: () => Error): Promise<T> {
    const timer = this.timer(ms);
    return Promise.race([work.finally(() => timer.cancel()), timer.elapsed.then(() => Promise.reject(error()))]);
  }

  private timer(ms: number, order = ''): { elapsed: Promise<void>; cancel: () => void } {
    let sleeper!: Sleeper;
    const elapsed = new Promise<void>((wake) => (sleeper = this.schedule(ms, order, wake)));
    return { elapsed, cancel: () => this.cancel(sleeper) };
  }

  private schedule(ms: number, order: string, wake: () => void, turn?: number): Sleeper {
    const sleeper = { at: this.current + Math.max(0, Math.ceil(ms)), order, seq: turn ?? this.sequence++, wake };
    this.push(sleeper);
    // Whoever sleeps needs time to move, inside a `run` or not (a test calling a task directly).
    this.driving ??= this.drive();
    return sleeper;
  }

  private cancel(sleeper: Sleeper): void {
    if (!sleeper.wake) return;
    sleeper.wake = undefined;
    // Sorted, the heap is a valid heap again, and pops in the same order.
    if (++this.cancelled > CANCELLED_KEPT && this.cancelled * 2 > this.heap.length) {
      this.heap = this.heap.filter((s) => s.wake).sort((a, b) => (before(a, b) ? -1 : 1));
      this.cancelled = 0;
    }
  }

  /** Keeps virtual time still until `io` settles: real I/O takes no virtual time. */
  public hold(io: Promise<unknown>): void {
    this.holds++;
    void io.then(
      () => this.holds--,
      () => this.holds--,
    );
  }

  /**
   * Runs `work` to its end, advancing virtual time whenever all work in flight is asleep.
   * Reentrant: concurrent and nested runs share one driver.
   */
  public async run<T>(work: () => Promise<T>): Promise<T> {
    this.running++;
    this.driving ??= this.drive();
    try {
      return await work();
    } finally {
      this.running--;
    }
  }

  private async drive(): Promise<void> {
    let idleTurns = 0;
    try {
      for (;;) {
        // A macrotask turn: every microtask (all promise-driven progress) has run before it.
        await new Promise((resolve) => setImmediate(resolve));
        while (this.heap[0] && !this.heap[0].wake) this.pop();
        if (this.running === 0 && this.heap.length === 0) break;
        if (this.holds > 0) continue;
        const next = this.heap[0];
        if (!next) {
          if (++idleTurns > STUCK_AFTER_IDLE_TURNS) throw new Error('virtual clock: work is pending but nothing is asleep (a wait on the wall clock?)');
          continue;
        }
        idleTurns = 0;
        this.current = Math.max(this.current, next.at);
        while (this.heap[0] && this.heap[0].at <= this.current) {
          const due = this.pop();
          const wake = due.wake;
          due.wake = undefined;
          wake?.();
        }
      }
    } finally {
      this.driving = undefined;
    }
  }

  /** Sifts `sleeper` up from a new last slot, moving each later parent down one level (no swaps). */
  private push(sleeper: Sleeper): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(sleeper);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(sleeper, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = sleeper;
  }

  /** Takes the first wake-up; the last one sifts down from the root, each earlier child moving up one level. */
  private pop(): Sleeper {
    const heap = this.heap;
    const top = heap[0]!;
    if (!top.wake) this.cancelled--;
    const last = heap.pop()!;
    const size = heap.length;
    if (size > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= size) break;
        const right = left + 1;
        const child = right < size && before(heap[right]!, heap[left]!) ? right : left;
        if (!before(heap[child]!, last)) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}

function before(a: Sleeper, b: Sleeper): boolean {
  if (a.at !== b.at) return a.at < b.at;
  if (a.order !== b.order) return a.order < b.order;
  return a.seq < b.seq;
}
