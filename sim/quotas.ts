/**
 * The request-rate quotas the simulator enforces, as token buckets on the virtual clock. A call
 * over its bucket gets the service's own throttling error, whatever the fault knobs say.
 *
 * Figures marked `verified: false` could not be confirmed in the AWS documentation available to
 * this project when they were written; each is a conservative reading of the service's quota page
 * named in `source`, and the closing note of the change that added them says so.
 */

export interface RateQuota {
  /** Tokens added per second. */
  readonly tps: number;
  /** Bucket size: calls allowed at once after a quiet period. */
  readonly burst: number;
  /** What one bucket is shared by. */
  readonly scope: 'account-region' | 'account' | 'item';
  readonly source: string;
  readonly verified: boolean;
}

const CWL = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html';
const EC2 = 'https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html';
const STS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html';
const ORGS = 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html';
const ACCOUNT = 'https://docs.aws.amazon.com/accounts/latest/reference/quotas.html';
const GUARDDUTY = 'https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_limits.html';
const EVENTS = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html';
const DYNAMODB = 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html';

const perSecond = (tps: number, source: string, verified: boolean, scope: RateQuota['scope'] = 'account-region'): RateQuota => ({
  tps,
  burst: tps,
  scope,
  source,
  verified,
});

/** EC2 throttles per account and Region with a token bucket per action category (bucket size, refill rate). */
const ec2NonMutating: RateQuota = { tps: 20, burst: 100, scope: 'account-region', source: EC2, verified: true };
const ec2Mutating: RateQuota = { tps: 5, burst: 50, scope: 'account-region', source: EC2, verified: true };

/** `Service.Operation` -> its quota. An operation missing here is not rate-limited offline. */
export const RATE_QUOTAS: Readonly<Record<string, RateQuota>> = {
  'CloudWatchLogs.DescribeLogGroups': perSecond(10, CWL, true),
  'CloudWatchLogs.DescribeSubscriptionFilters': perSecond(5, CWL, true),
  'CloudWatchLogs.FilterLogEvents': perSecond(5, CWL, false),
  'CloudWatchLogs.PutSubscriptionFilter': perSecond(5, CWL, true),
  'CloudWatchLogs.DeleteSubscriptionFilter': perSecond(5, CWL, false),
  'CloudWatchLogs.DescribeDestinations': perSecond(5, CWL, false),
  'CloudWatchLogs.PutDestinationPolicy': perSecond(5, CWL, false),
  'CloudWatchLogs.PutAccountPolicy': perSecond(5, CWL, false),
  'CloudWatchLogs.DescribeAccountPolicies': perSecond(5, CWL, false),
  'EC2.DescribeVpcs': ec2NonMutating,
  'EC2.DescribeFlowLogs': ec2NonMutating,
  'EC2.CreateFlowLogs': ec2Mutating,
  'EC2.DeleteFlowLogs': ec2Mutating,
  'EC2.CreateTags': ec2Mutating,
  'STS.AssumeRole': perSecond(600, STS, false, 'account'),
  // Unverified: AWS publishes no Organizations request rates (awsdocs/aws-organizations-docs#39).
  'Organizations.DescribeAccount': perSecond(10, ORGS, false, 'account'),
  'Organizations.ListAccounts': perSecond(10, ORGS, false, 'account'),
  // "Rate of ListRegions requests per account: 5 per second, burst to 5 per second" (the same for GetRegionOptStatus).
  'Account.ListRegions': perSecond(5, ACCOUNT, true, 'account'),
  'Account.GetRegionOptStatus': perSecond(5, ACCOUNT, true, 'account'),
  'GuardDuty.ListDetectors': perSecond(10, GUARDDUTY, false),
  'GuardDuty.CreateDetector': perSecond(10, GUARDDUTY, false),
  'GuardDuty.CreateMembers': perSecond(10, GUARDDUTY, false),
  'GuardDuty.InviteMembers': perSecond(10, GUARDDUTY, false),
  'GuardDuty.GetMembers': perSecond(10, GUARDDUTY, false),
  'GuardDuty.ListMembers': perSecond(10, GUARDDUTY, false),
  'GuardDuty.ListInvitations': perSecond(10, GUARDDUTY, false),
  'GuardDuty.AcceptAdministratorInvitation': perSecond(10, GUARDDUTY, false),
  'EventBridge.PutRule': perSecond(50, EVENTS, false),
  'EventBridge.PutTargets': perSecond(50, EVENTS, false),
  'EventBridge.DescribeRule': perSecond(50, EVENTS, false),
  'EventBridge.ListTargetsByRule': perSecond(50, EVENTS, false),
  // One partition key takes at most 1,000 write units a second: the lock items are hot keys.
  'DynamoDB.PutItem': perSecond(1000, DYNAMODB, true, 'item'),
  'DynamoDB.UpdateItem': perSecond(1000, DYNAMODB, true, 'item'),
  'DynamoDB.DeleteItem': perSecond(1000, DYNAMODB, true, 'item'),
  'DynamoDB.GetItem': perSecond(3000, DYNAMODB, true, 'item'),
};

/** Where a call is made: its account, its region and, for DynamoDB, the partition key it addresses. */
export interface QuotaScope {
  readonly account: string;
  readonly region: string;
  readonly item?: string;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets per quota scope; `take` answers whether a call at `now` (ms) fits. */
export class RateLimits {
  private readonly buckets = new Map<string, Bucket>();
  private readonly throttled = new Map<string, number>();

  public constructor(private readonly quotas: Readonly<Record<string, RateQuota>> = RATE_QUOTAS) {}

  public take(operation: string, scope: QuotaScope, now: number): boolean {
    return this.takeFrom(operation, this.bucketKeys(operation, scope.account, scope.region)(scope.item), now);
  }

  /**
   * The bucket a call of `operation` by `account` in `region` takes from, given the DynamoDB item
   * it addresses (the only quota kept per item); undefined where no quota applies.
   */
  public bucketKeys(operation: string, account: string, region: string): (item: string | undefined) => string | undefined {
    const quota = this.quotas[operation];
    if (!quota) return () => undefined;
    if (quota.scope === 'item') return (item) => `${operation}/${account}/${region}/${item ?? ''}`;
    const key = `${operation}/${quota.scope === 'account' ? account : `${account}/${region}`}`;
    return () => key;
  }

  /** `take` with the bucket's key from `bucketKeys`, which a caller making many calls in one scope keeps (a key built and hashed for each call was 3% of the simulator's CPU). */
  public takeFrom(operation: string, key: string | undefined, now: number): boolean {
    if (key === undefined) return true;
    const quota = this.quotas[operation]!;
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = { tokens: quota.burst, at: now }));
    bucket.tokens = Math.min(quota.burst, bucket.tokens + ((now - bucket.at) / 1000) * quota.tps);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return true;
    }
    this.throttled.set(operation, (this.throttled.get(operation) ?? 0) + 1);
    return false;
  }

  /** Calls refused by a rate quota, per `Service.Operation`. */
  public throttles(): Record<string, number> {
    return Object.fromEntries([...this.throttled.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
