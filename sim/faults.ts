/**
 * Seeded fault injection. Each decision is a pure function of (seed, key, n-th call on that key),
 * so a run is reproducible whatever order concurrent executions interleave in.
 */
import { keyHash, mixDraw, unitHash } from '../workflows/local/unit-hash';

export interface FaultOptions {
  /** Seed for every random decision of the simulator. @default 1 */
  readonly seed: number;
  /** Probability that a call is throttled, per account-region-operation. @default 0 */
  readonly throttleRate: number;
  /** Probability that a call fails with a 5xx. @default 0 */
  readonly serverErrorRate: number;
  /** Reads for which a newly created log group is not visible yet. @default 0 */
  readonly lateLogGroupReads: number;
  /** AssumeRole attempts refused before a new account's baseline role exists. @default 0 */
  readonly lateRoleAttempts: number;
  /** Probability that a write takes effect and then reports a 5xx (its response lost). @default 0 */
  readonly afterWriteFailureRate: number;
}

export const NO_FAULTS: FaultOptions = { seed: 1, throttleRate: 0, serverErrorRate: 0, lateLogGroupReads: 0, lateRoleAttempts: 0, afterWriteFailureRate: 0 };

export type InjectedFault = 'throttle' | 'server-error';

/** The seeded draws on one key, in order: held by whoever draws on it often (every call's latency), so that its key is neither built nor hashed again. */
export class DrawSeries {
  private drawn = 0;

  public constructor(private readonly hash: number) {}

  public next(): number {
    return mixDraw(this.hash, ++this.drawn);
  }
}

export class FaultInjector {
  private readonly series = new Map<string, DrawSeries>();

  public constructor(public readonly options: FaultOptions) {}

  /**
   * Decides the fault, if any, for the next call of `operation` (Service.Operation) in `account`
   * and `region`. Without a throttle or 5xx rate no draw is made (it would decide nothing), nor
   * its key.
   */
  public next(operation: string, account: string, region: string): InjectedFault | undefined {
    const { throttleRate, serverErrorRate } = this.options;
    if (throttleRate === 0 && serverErrorRate === 0) return undefined;
    const roll = this.nextDraw(`${operation}/${account}/${region}`);
    if (roll < throttleRate) return 'throttle';
    if (roll < throttleRate + serverErrorRate) return 'server-error';
    return undefined;
  }

  /** Whether the next write of `operation` in `account` and `region` fails after it has been applied. */
  public failsAfterApplying(operation: string, account: string, region: string): boolean {
    const rate = this.options.afterWriteFailureRate;
    return rate > 0 && this.nextDraw(`after/${operation}/${account}/${region}`) < rate;
  }

  /** The next of a seeded series of draws in [0, 1) on `key`: the n-th draw on a key is the same in every run. */
  public nextDraw(key: string): number {
    return this.drawSeries(key).next();
  }

  /** The series `nextDraw(key)` draws from: the same object for the same key. */
  public drawSeries(key: string): DrawSeries {
    let series = this.series.get(key);
    if (!series) this.series.set(key, (series = new DrawSeries(keyHash(this.options.seed, key))));
    return series;
  }

  /** A deterministic draw in [0, 1) for building organizations. */
  public draw(key: string, n = 0): number {
    return unitHash(this.options.seed, key, n);
  }
}
