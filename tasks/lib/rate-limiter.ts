/**
 * A client-side rate limiter per account, region and operation, set just under AWS's documented
 * quota, shared by every client of one Lambda execution environment: the concurrent calls of an
 * invocation wait their turn instead of being throttled. Other invocations, in other environments,
 * share the same AWS quota unseen: their excess is throttled by AWS and retried. The figures are ours (about 80% of each quota, since other Lambda containers and
 * people share the same quota); `test/unit/rate-limiter.test.ts` checks each stays under the
 * quota the simulator enforces.
 */
import { AsyncLocalStorage } from 'async_hooks';
import type { Clock } from './clock';

/**
 * The limiter of the Lambda invocation running now, where several share a process (offline, every
 * task runs in one): each invocation paces only its own calls, as each Lambda execution
 * environment does in AWS, where one invocation runs at a time. Unset in AWS: the factory's own.
 */
export const invocationLimiter = new AsyncLocalStorage<RateLimiter>();

/** Calls per second Tributary allows itself, per `Service.Operation`, in one account-region. */
export const CLIENT_RATE_LIMITS: Readonly<Record<string, number>> = {
  'CloudWatchLogs.DescribeLogGroups': 8,
  'CloudWatchLogs.DescribeSubscriptionFilters': 4,
  'CloudWatchLogs.FilterLogEvents': 4,
  'CloudWatchLogs.PutSubscriptionFilter': 4,
  'CloudWatchLogs.DeleteSubscriptionFilter': 4,
  'CloudWatchLogs.DescribeDestinations': 4,
  'CloudWatchLogs.PutDestinationPolicy': 4,
  'CloudWatchLogs.PutAccountPolicy': 4,
  'CloudWatchLogs.DescribeAccountPolicies': 4,
  'EC2.DescribeVpcs': 16,
  'EC2.DescribeFlowLogs': 16,
  'EC2.CreateFlowLogs': 4,
  'EC2.DeleteFlowLogs': 4,
  'EC2.CreateTags': 4,
  'GuardDuty.ListDetectors': 8,
  'GuardDuty.CreateDetector': 8,
  'GuardDuty.CreateMembers': 8,
  'GuardDuty.InviteMembers': 8,
  'GuardDuty.GetMembers': 8,
  'GuardDuty.ListInvitations': 8,
  'GuardDuty.AcceptAdministratorInvitation': 8,
};

/**
 * Calls of one operation let through at once after a quiet second: as many as its rate. Each is
 * below the simulator's bucket for it, so a page that makes `tps` calls at once, paced a second
 * apart by its workflow, never waits here.
 */
export const burstOf = (tps: number): number => Math.max(1, Math.floor(tps));

/**
 * A token bucket that hands out reservations: a token is taken when asked for, even one that is
 * only there later, so callers queue in order; `reserve` answers how long its caller must wait.
 */
export class TokenBucket {
  /** Tokens left (negative: tokens already promised to callers still waiting). */
  private tokens: number;
  private at?: number;

  public constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  /** Takes a token at `now` (ms): the ms until it is there, 0 when it is there now. */
  public reserve(now: number): number {
    this.tokens = Math.min(this.burst, this.tokens + ((now - (this.at ?? now)) / 1000) * this.perSecond) - 1;
    this.at = now;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.perSecond) * 1000;
  }
}

export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  public constructor(
    private readonly clock: Clock,
    private readonly limits: Readonly<Record<string, number>> = CLIENT_RATE_LIMITS,
    /** Told of each call held back, with the ms it waits. @default nobody */
    private readonly onWait?: (ms: number) => void,
  ) {}

  /** Waits until a call of `operation` in `scope` (account/region) may start. */
  public async acquire(operation: string, scope: string): Promise<void> {
    const tps = this.limits[operation];
    if (!tps) return;
    const key = `${operation}/${scope}`;
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(tps, burstOf(tps))));
    const ms = bucket.reserve(this.clock.now());
    if (ms === 0) return;
    this.onWait?.(ms);
    await this.clock.sleep(ms);
  }
}
