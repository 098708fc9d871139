/**
 * A page of log groups throttled past the SDK's retries keeps what it finished and resumes after
 * it: no handled group is read again, and the region still ends fully subscribed.
 */
import { createOfflineEnvironment } from '../../../sim/environment';
import { RATE_QUOTAS } from '../../../sim/quotas';
import type { AccountId } from '../../../tasks/lib/domain';
import { SUBSCRIPTION_FILTER_NAME } from '../../../tasks/lib/ownership';
import {
  HAND_BACK_AFTER_SECONDS,
  PAGE_INTERVAL_MS,
  PAGE_SIZE,
  shouldHandBack,
  subscribeLogGroupsPage,
  type PageResult,
} from '../../../tasks/subscribe-log-groups-page';

const ACCOUNT = '123456789012' as AccountId;
const REGION = 'eu-west-1';
const GROUPS = 120;

describe('SubscribeLogGroupsPage under throttling', () => {
  it('returns the groups it finished and resumes after them, never reading a handled group again', async () => {
    // Prepare: an account whose filter reads are allowed 1 a second, far under what the task paces itself to.
    const quota = RATE_QUOTAS['CloudWatchLogs.DescribeSubscriptionFilters']!;
    const env = createOfflineEnvironment({ quotas: { ...RATE_QUOTAS, 'CloudWatchLogs.DescribeSubscriptionFilters': { ...quota, tps: 1, burst: 1 } } });
    env.state.addAccount({ id: ACCOUNT, name: 'workload', regions: env.config.governedRegions });
    for (let i = 0; i < GROUPS; i++) env.state.createLogGroup(ACCOUNT, REGION, `/app/service-${String(i).padStart(3, '0')}`);

    // Act: invoke the task page after page, as the workflow does.
    const results: PageResult[] = [];
    let page: PageResult | undefined;
    let refused = 0;
    do {
      try {
        page = await subscribeLogGroupsPage({ accountId: ACCOUNT, region: REGION, page: page ?? {} }, env.context);
        results.push(page);
      } catch (error) {
        // Not one group could be handled: the workflow's Retry waits, then invokes again.
        expect((error as Error).name).toBe('Throttled');
        refused++;
        await env.clock.sleep(5000);
      }
    } while (page === undefined || page.nextToken !== undefined || page.resume !== undefined);

    // Assess
    expect(results.filter((r) => r.resume).length).toBeGreaterThan(0);
    expect(page.totals).toMatchObject({ pages: GROUPS / PAGE_SIZE, total: GROUPS, subscribed: GROUPS, failed: 0 });
    const groups = [...env.state.accountRegion(ACCOUNT, REGION).logGroups.values()];
    expect(groups.every((g) => g.filters.has(SUBSCRIPTION_FILTER_NAME))).toBe(true);
    // Successful reads: one per group, plus at most the few finished out of order when a page stopped.
    const reads =
      env.aws.ledger.apiCalls()['CloudWatchLogs.DescribeSubscriptionFilters']! -
      (env.aws.rateLimits.throttles()['CloudWatchLogs.DescribeSubscriptionFilters'] ?? 0);
    const stops = results.filter((r) => r.resume).length + refused;
    expect(reads).toBeGreaterThanOrEqual(GROUPS);
    expect(reads).toBeLessThanOrEqual(GROUPS + 3 * stops);
    expect(env.aws.ledger.apiCalls()['CloudWatchLogs.PutSubscriptionFilter']).toBe(GROUPS);
  });
});

describe('SubscribeLogGroupsPage inside an Express run', () => {
  it.each([
    [undefined, 10 * 60_000, false],
    [0, HAND_BACK_AFTER_SECONDS * 1000 - 1, false],
    [0, HAND_BACK_AFTER_SECONDS * 1000, true],
  ])('run started at %p, now %p: hands back %p', (runStartedAt, now, expected) => {
    expect(shouldHandBack(runStartedAt, now)).toBe(expected);
  });

  it.each([['yesterday'], [''], [1_700_000_000_000], [null]])('refuses runStartedAt %p, naming the field', async (runStartedAt) => {
    // Prepare
    const env = createOfflineEnvironment();
    env.state.addAccount({ id: ACCOUNT, name: 'workload', regions: env.config.governedRegions });

    // Act
    const page = subscribeLogGroupsPage({ accountId: ACCOUNT, region: REGION, page: {}, runStartedAt }, env.context);

    // Assess
    await expect(page).rejects.toMatchObject({ name: 'InvalidInput', message: expect.stringContaining('runStartedAt') });
    expect(env.aws.ledger.totalCalls()).toBe(0);
  });

  it('hands back only when there is more to do', async () => {
    // Prepare: a run that started an hour ago, and one page left.
    const env = createOfflineEnvironment();
    env.state.addAccount({ id: ACCOUNT, name: 'workload', regions: env.config.governedRegions });
    for (let i = 0; i < PAGE_SIZE + 1; i++) env.state.createLogGroup(ACCOUNT, REGION, `/app/"quoted"-${i}`);
    const runStartedAt = new Date(env.clock.now() - 3_600_000).toISOString();

    // Act
    const firstStarted = env.clock.now();
    const first = await subscribeLogGroupsPage({ accountId: ACCOUNT, region: REGION, page: {}, runStartedAt }, env.context);
    const last = await subscribeLogGroupsPage({ accountId: ACCOUNT, region: REGION, page: first, runStartedAt }, env.context);

    // Assess: the next page's slot is a second after this one started, however long its calls took.
    expect(env.clock.now()).toBeGreaterThan(firstStarted);
    expect(first).toMatchObject({ handBack: true, nextToken: expect.any(String), nextPageAt: new Date(firstStarted + PAGE_INTERVAL_MS).toISOString() });
    expect(last.nextPageAt).toBeUndefined();
    expect(last.handBack).toBeUndefined();
    expect(last.nextToken).toBeUndefined();
    expect(last.totals).toMatchObject({ pages: 2, subscribed: PAGE_SIZE + 1 });
  });
});
