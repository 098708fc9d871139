/**
 * Lambda runs an invocation in a free execution environment of its function, or a new one when none
 * is free, and keeps them warm (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html).
 * Each environment here has its own task context, so its own client factory and cache of member
 * credentials: invocations running at once each assume the member role (the SDK client objects
 * built alike are shared between environments: sim/shared-clients.ts). Which free environment
 * Lambda picks is not documented; here the oldest free one (an assumption).
 *
 * So that the same seed gives the same run, nothing here depends on which promise chain got
 * somewhere first: invocations starting at one instant take environments in the order of their
 * function and input, and an environment freed at that instant is not free yet (a model's choice:
 * Lambda documents neither way).
 */
import { jsonText } from '../workflows/local/payload-size';
import type { VirtualClock } from '../workflows/local/virtual-clock';

interface Environment<C> {
  readonly context: C;
  busy: boolean;
  freedAt: number;
}

export class LambdaEnvironments<C> {
  private readonly pools = new Map<string, Array<Environment<C>>>();

  public constructor(
    private readonly clock: VirtualClock,
    /** A new environment's context for `fn`. */
    private readonly newContext: (fn: string) => C,
  ) {}

  /** Runs one invocation of `fn` with `input` in an environment of `fn`. */
  public async invoke<T>(fn: string, input: unknown, run: (context: C) => Promise<T>): Promise<T> {
    await this.clock.sleep(0, `lambda/${fn}/${jsonText(input)}`);
    const pool = this.pools.get(fn) ?? [];
    this.pools.set(fn, pool);
    const now = this.clock.now();
    let environment = pool.find((e) => !e.busy && e.freedAt < now);
    if (!environment) {
      environment = { context: this.newContext(fn), busy: false, freedAt: now };
      pool.push(environment);
    }
    environment.busy = true;
    try {
      return await run(environment.context);
    } finally {
      environment.busy = false;
      environment.freedAt = this.clock.now();
    }
  }

  /** Environments `fn` has, busy or warm. */
  public count(fn: string): number {
    return this.pools.get(fn)?.length ?? 0;
  }
}
