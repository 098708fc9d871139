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

export class RateLimiter {
  /** Per key, the earliest time (ms) the next call may start. */
  private readonly nextSlot = new Map<string, number>();

  public constructor(
    private readonly clock: Clock,
    private readonly limits: Readonly<Record<string, number>> = CLIENT_RATE_LIMITS,
  ) {}

  /** Waits until a call of `operation` in `scope` (account/region) may start. */
  public async acquire(operation: string, scope: string): Promise<void> {
    const tps = this.limits[operation];
    if (!tps) return;
    const key = `${operation}/${scope}`;
    const now = this.clock.now();
    // Calls are spaced evenly: a slot is reserved before waiting, so concurrent callers queue.
    const slot = Math.max(now, this.nextSlot.get(key) ?? now);
    this.nextSlot.set(key, slot + 1000 / tps);
    if (slot > now) await this.clock.sleep(slot - now);
  }
}
