import { RATE_QUOTAS, RateLimits } from '../../sim/quotas';

/** A quota of 2 calls a second (burst 2) for each scope kind. */
const QUOTAS = {
  'CloudWatchLogs.PutSubscriptionFilter': { ...RATE_QUOTAS['CloudWatchLogs.PutSubscriptionFilter']!, tps: 2, burst: 2 },
  'STS.AssumeRole': { ...RATE_QUOTAS['STS.AssumeRole']!, tps: 2, burst: 2 },
  'DynamoDB.UpdateItem': { ...RATE_QUOTAS['DynamoDB.UpdateItem']!, tps: 2, burst: 2 },
};

describe('RateLimits', () => {
  it('fills one bucket per account-region, per account or per item, as the quota says', () => {
    const limits = new RateLimits(QUOTAS);

    expect(limits.bucketKeys('CloudWatchLogs.PutSubscriptionFilter', '111122223333', 'eu-west-1')(undefined)).toBe(
      'CloudWatchLogs.PutSubscriptionFilter/111122223333/eu-west-1',
    );
    expect(limits.bucketKeys('STS.AssumeRole', '111122223333', 'eu-west-1')(undefined)).toBe(
      limits.bucketKeys('STS.AssumeRole', '111122223333', 'us-east-1')(undefined),
    );
    const items = limits.bucketKeys('DynamoDB.UpdateItem', '111122223333', 'eu-west-1');
    expect(items('lock#a')).not.toBe(items('lock#b'));
    expect(limits.bucketKeys('CloudWatchLogs.DescribeLogStreams', '111122223333', 'eu-west-1')(undefined)).toBeUndefined();
    // An item is part of the key only where the quota is kept per item.
    expect(limits.bucketKeys('STS.AssumeRole', '111122223333', 'eu-west-1')('lock#a')).toBe('STS.AssumeRole/111122223333');
  });

  it('takes from the same bucket through a kept key as through its scope', () => {
    const limits = new RateLimits(QUOTAS);
    const scope = { account: '111122223333', region: 'eu-west-1' };
    const kept = limits.bucketKeys('CloudWatchLogs.PutSubscriptionFilter', scope.account, scope.region)(undefined);

    const admitted = [
      limits.takeFrom('CloudWatchLogs.PutSubscriptionFilter', kept, 0),
      limits.take('CloudWatchLogs.PutSubscriptionFilter', scope, 0),
      limits.takeFrom('CloudWatchLogs.PutSubscriptionFilter', kept, 0),
      limits.take('CloudWatchLogs.PutSubscriptionFilter', scope, 500),
      limits.takeFrom('CloudWatchLogs.DescribeLogStreams', undefined, 500),
    ];

    expect(admitted).toEqual([true, true, false, true, true]);
    expect(limits.throttles()).toEqual({ 'CloudWatchLogs.PutSubscriptionFilter': 1 });
  });
});
