/** Tributary's own pacing stays under every quota the simulator enforces, and spaces calls evenly per operation and account-region. */
import { RATE_QUOTAS, RateLimits } from '../../sim/quotas';
import { burstOf, CLIENT_RATE_LIMITS, RateLimiter } from '../../tasks/lib/rate-limiter';
import { VirtualClock } from '../../workflows/local/virtual-clock';

/** Starts `count` acquires at once and returns the virtual time (ms since start) at which each was let through. */
async function admissions(limiter: RateLimiter, clock: VirtualClock, calls: ReadonlyArray<{ operation: string; scope: string }>): Promise<number[]> {
  const start = clock.now();
  return Promise.all(calls.map(async ({ operation, scope }) => (await limiter.acquire(operation, scope), clock.now() - start)));
}

describe('RateLimiter', () => {
  it.each(Object.entries(CLIENT_RATE_LIMITS))('paces %s at %d TPS, below the quota AWS enforces on it', (operation, tps) => {
    const quota = RATE_QUOTAS[operation];
    expect(quota).toBeDefined();
    expect(tps).toBeGreaterThan(0);
    expect(tps).toBeLessThan(quota.tps);
    expect(burstOf(tps)).toBeLessThanOrEqual(quota.burst);
  });

  it.each(Object.keys(CLIENT_RATE_LIMITS))('lets 200 concurrent %s calls in one account-region through without one throttle', async (operation) => {
    // Prepare
    const clock = new VirtualClock();
    const limiter = new RateLimiter(clock);
    const quotas = new RateLimits();
    let refused = 0;

    // Act
    await Promise.all(
      Array.from({ length: 200 }, async () => {
        await limiter.acquire(operation, '111122223333/eu-west-1');
        if (!quotas.take(operation, { account: '111122223333', region: 'eu-west-1' }, clock.now())) refused++;
      }),
    );

    // Assess
    expect(refused).toBe(0);
  });

  it('lets one second of calls through at once, then spaces the rest evenly at its rate', async () => {
    // Prepare
    const clock = new VirtualClock();
    const limiter = new RateLimiter(clock, { 'CloudWatchLogs.PutSubscriptionFilter': 4 });

    // Act
    const at = await admissions(limiter, clock, Array(7).fill({ operation: 'CloudWatchLogs.PutSubscriptionFilter', scope: 'a/eu-west-1' }));

    // Assess
    expect(at).toEqual([0, 0, 0, 0, 250, 500, 750]);
  });

  it('tells of each call it holds back, with the time it waits', async () => {
    // Prepare
    const clock = new VirtualClock();
    const waits: number[] = [];
    const limiter = new RateLimiter(clock, { 'A.Two': 2 }, (ms) => waits.push(ms));

    // Act
    await admissions(limiter, clock, Array(4).fill({ operation: 'A.Two', scope: 's' }));

    // Assess
    expect(waits).toEqual([500, 1000]);
  });

  it('lets a burst of a fractional rate be one call', async () => {
    // Prepare
    const clock = new VirtualClock();
    const limiter = new RateLimiter(clock, { 'A.Half': 0.5 });

    // Act
    const at = await admissions(limiter, clock, Array(3).fill({ operation: 'A.Half', scope: 's' }));

    // Assess
    expect(at).toEqual([0, 2000, 4000]);
  });

  it('keeps one queue per operation and per scope: another account-region or operation does not wait', async () => {
    // Prepare
    const clock = new VirtualClock();
    const limiter = new RateLimiter(clock, { 'A.One': 2, 'A.Two': 2 });

    // Act
    const at = await admissions(limiter, clock, [
      { operation: 'A.One', scope: 'x/eu-west-1' },
      { operation: 'A.One', scope: 'x/eu-west-1' },
      { operation: 'A.One', scope: 'x/eu-west-1' },
      { operation: 'A.One', scope: 'x/us-east-1' },
      { operation: 'A.One', scope: "y/eu-west-1'" },
      { operation: 'A.Two', scope: 'x/eu-west-1' },
    ]);

    // Assess
    expect(at).toEqual([0, 0, 500, 0, 0, 0]);
  });

  it('does not wait for an operation it has no rate for', async () => {
    // Prepare
    const clock = new VirtualClock();
    const limiter = new RateLimiter(clock, { 'A.One': 1 });

    // Act
    const at = await admissions(limiter, clock, Array(3).fill({ operation: 'A.Other', scope: 'x/eu-west-1' }));

    // Assess
    expect(at).toEqual([0, 0, 0]);
  });

  it('banks no more than one burst: after a quiet spell, a burst and then calls spaced from now', async () => {
    // Prepare
    const clock = new VirtualClock();
    const limiter = new RateLimiter(clock, { 'A.One': 2 });
    await admissions(limiter, clock, Array(4).fill({ operation: 'A.One', scope: 's' }));
    await clock.sleep(10_000);

    // Act
    const at = await admissions(limiter, clock, Array(4).fill({ operation: 'A.One', scope: 's' }));

    // Assess
    expect(at).toEqual([0, 0, 500, 1000]);
  });

  it('refills part of the burst after part of a second', async () => {
    // Prepare: the burst of 4 spent, then 500 ms pass (2 tokens back).
    const clock = new VirtualClock();
    const limiter = new RateLimiter(clock, { 'A.Four': 4 });
    await admissions(limiter, clock, Array(4).fill({ operation: 'A.Four', scope: 's' }));
    await clock.sleep(500);

    // Act
    const at = await admissions(limiter, clock, Array(3).fill({ operation: 'A.Four', scope: 's' }));

    // Assess
    expect(at).toEqual([0, 0, 250]);
  });
});
