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
    const at = (account: string, region: string, item?: string) => ({ account, region, ...(item === undefined ? {} : { item }) });

    expect(limits.bucketKey('CloudWatchLogs.PutSubscriptionFilter', at('111122223333', 'eu-west-1'))).toBe(
      'CloudWatchLogs.PutSubscriptionFilter/111122223333/eu-west-1',
    );
    expect(limits.bucketKey('STS.AssumeRole', at('111122223333', 'eu-west-1'))).toBe(limits.bucketKey('STS.AssumeRole', at('111122223333', 'us-east-1')));
    expect(limits.bucketKey('DynamoDB.UpdateItem', at('111122223333', 'eu-west-1', 'lock#a'))).not.toBe(
      limits.bucketKey('DynamoDB.UpdateItem', at('111122223333', 'eu-west-1', 'lock#b')),
    );
    expect(limits.bucketKey('CloudWatchLogs.DescribeLogStreams', at('111122223333', 'eu-west-1'))).toBeUndefined();
    expect([limits.perItem('DynamoDB.UpdateItem'), limits.perItem('STS.AssumeRole')]).toEqual([true, false]);
  });

  it('takes from the same bucket through a kept key as through its scope', () => {
    const limits = new RateLimits(QUOTAS);
    const scope = { account: '111122223333', region: 'eu-west-1' };
    const kept = limits.bucketKey('CloudWatchLogs.PutSubscriptionFilter', scope);

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
