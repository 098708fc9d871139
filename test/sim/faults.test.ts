import { FaultInjector, NO_FAULTS } from '../../sim/faults';
import { unitHash } from '../../workflows/local/unit-hash';

describe('FaultInjector draws', () => {
  it('gives the n-th draw on a key whether it is asked by key or through the series a call site keeps', () => {
    // Prepare
    const byKey = new FaultInjector({ ...NO_FAULTS, seed: 7 });
    const mixed = new FaultInjector({ ...NO_FAULTS, seed: 7 });
    const key = 'latency/100000000001/us-east-1/CloudWatchLogsClient.DescribeSubscriptionFiltersCommand';

    // Act
    const expected = [1, 2, 3, 4].map(() => byKey.nextDraw(key));
    const series = mixed.drawSeries(key);
    const drawn = [series.next(), mixed.nextDraw(key), series.next(), mixed.drawSeries(key).next()];

    // Assess
    expect(drawn).toEqual(expected);
    expect(expected).toEqual([1, 2, 3, 4].map((n) => unitHash(7, key, n)));
    expect(new Set(expected).size).toBe(4);
  });

  it('keeps the fault draws of a call and the other draws apart, each key counted on its own', () => {
    const faults = new FaultInjector({ ...NO_FAULTS, seed: 3, throttleRate: 1 });

    expect(faults.next('CloudWatchLogs.PutSubscriptionFilter', '100000000001', 'eu-west-1')).toBe('throttle');
    expect(faults.nextDraw('CloudWatchLogs.PutSubscriptionFilter/100000000001/eu-west-1')).toBe(
      unitHash(3, 'CloudWatchLogs.PutSubscriptionFilter/100000000001/eu-west-1', 2),
    );
    expect(faults.nextDraw('after/CloudWatchLogs.PutSubscriptionFilter/100000000001/eu-west-1')).toBe(
      unitHash(3, 'after/CloudWatchLogs.PutSubscriptionFilter/100000000001/eu-west-1', 1),
    );
  });
});
