/**
 * A page of log groups throttled past the SDK's retries keeps what it finished and resumes after
 * it: no handled group is read again, and the region still ends fully subscribed.
 */
import { createOfflineEnvironment } from '../../../sim/environment';
import { RATE_QUOTAS } from '../../../sim/quotas';
import type { AccountId, Region } from '../../../tasks/lib/domain';
import { SUBSCRIPTION_FILTER_NAME } from '../../../tasks/lib/ownership';
import { MAX_STALLS } from '../../../tasks/lib/log-group-paging';
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
        page = await subscribeLogGroupsPage({ accountId: ACCOUNT, regions: [REGION], page: page ?? {} }, env.context);
        results.push(page);
      } catch (error) {
        // Not one group could be handled: the workflow's Retry waits, then invokes again.
        expect((error as Error).name).toBe('Throttled');
        refused++;
        await env.clock.sleep(5000);
      }
    } while (page === undefined || page.nextPageAt !== undefined);

    // Assess
    const resumed = results.filter((r) => r.regions[0]!.cursor?.resume).length;
    expect(resumed).toBeGreaterThan(0);
    expect(page.regions[0]).toMatchObject({ status: 'Done', totals: { pages: GROUPS / PAGE_SIZE, total: GROUPS, subscribed: GROUPS, failed: 0 } });
    const groups = [...env.state.accountRegion(ACCOUNT, REGION).logGroups.values()];
    expect(groups.every((g) => g.filters.has(SUBSCRIPTION_FILTER_NAME))).toBe(true);
    // Successful reads: one per group, plus at most the few finished out of order when a page stopped.
    const reads =
      env.aws.ledger.apiCalls()['CloudWatchLogs.DescribeSubscriptionFilters']! -
      (env.aws.rateLimits.throttles()['CloudWatchLogs.DescribeSubscriptionFilters'] ?? 0);
    const stops = resumed + refused;
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
    const page = subscribeLogGroupsPage({ accountId: ACCOUNT, regions: [REGION], page: {}, runStartedAt }, env.context);

    // Assess
    await expect(page).rejects.toMatchObject({ name: 'InvalidInput', message: expect.stringContaining('runStartedAt') });
    expect(env.aws.ledger.totalCalls()).toBe(0);
  });

  it('hands back only when there is more to do', async () => {
    // Prepare: a run that started an hour ago, and one page left.
    const env = createOfflineEnvironment();
    env.state.addAccount({ id: ACCOUNT, name: 'workload', regions: env.config.governedRegions });
    for (let i = 0; i < PAGE_SIZE + 1; i++) env.state.createLogGroup(ACCOUNT, REGION, `/app/#odd_${i}`);
    const runStartedAt = new Date(env.clock.now() - 3_600_000).toISOString();

    const listedAt: number[] = [];
    env.aws.interceptors.push((call) => {
      if (call.phase === 'after' && call.operation === 'DescribeLogGroups') listedAt.push(env.clock.now());
    });

    // Act
    const first = await subscribeLogGroupsPage({ accountId: ACCOUNT, regions: [REGION], page: {}, runStartedAt }, env.context);
    const firstEnded = env.clock.now();
    const last = await subscribeLogGroupsPage({ accountId: ACCOUNT, regions: [REGION], page: first, runStartedAt }, env.context);

    // Assess: the next page's slot is a second after this one listed its groups, however long its calls took.
    expect(firstEnded).toBeGreaterThan(listedAt[0]!);
    expect(first).toMatchObject({
      handBack: true,
      regions: [{ status: 'Paging', cursor: { nextToken: expect.any(String) } }],
      nextPageAt: new Date(listedAt[0]! + PAGE_INTERVAL_MS).toISOString(),
    });
    expect(last.nextPageAt).toBeUndefined();
    expect(last.handBack).toBeUndefined();
    expect(last.regions).toEqual([expect.objectContaining({ status: 'Done', totals: expect.objectContaining({ pages: 2, subscribed: PAGE_SIZE + 1 }) })]);
  });

  it("keeps a region's pages a second apart when a page waited for its credentials", async () => {
    // Prepare: STS answers the page's first AssumeRole a second and a half late.
    const env = createOfflineEnvironment();
    const region = env.config.governedRegions[0] as Region;
    env.state.addAccount({ id: ACCOUNT, name: 'workload', regions: env.config.governedRegions });
    for (let i = 0; i < 3 * PAGE_SIZE; i++) env.state.createLogGroup(ACCOUNT, region, `/app/slow-credentials-${i}`);
    let delayed = false;
    env.aws.interceptors.push(async (call) => {
      if (call.phase === 'before' && call.operation === 'AssumeRole' && String(call.input.RoleArn).endsWith('-SubscribeLogGroupsPage') && !delayed) {
        delayed = true;
        await env.clock.sleep(1500);
      }
    });

    // Act
    const execution = await env.runner.start('onboard-region', { accountId: ACCOUNT, region });

    // Assess: every group subscribed, and not one filter read over the region's quota.
    expect(execution.status).toBe('SUCCEEDED');
    expect(delayed).toBe(true);
    expect(execution.output).toMatchObject({ logGroups: { status: 'Done', totals: { subscribed: 3 * PAGE_SIZE } } });
    expect(env.aws.rateLimits.throttles()['CloudWatchLogs.DescribeSubscriptionFilters'] ?? 0).toBe(0);
  });
});

describe("SubscribeLogGroupsPage across an account's regions", () => {
  it('pages every region in one invocation with one set of credentials, and reports a region that keeps stalling failed while the others finish', async () => {
    // Prepare: two regions; every listing in the second is refused as throttled, while the first has pages to go.
    const env = createOfflineEnvironment();
    const [good, stuck] = env.config.governedRegions.slice(0, 2) as [Region, Region];
    const pagesOfGood = MAX_STALLS + 2;
    env.state.addAccount({ id: ACCOUNT, name: 'workload', regions: env.config.governedRegions });
    for (const region of [good, stuck]) for (let i = 0; i < pagesOfGood * PAGE_SIZE; i++) env.state.createLogGroup(ACCOUNT, region, `/app/${region}.${i}`);
    let assumed = 0;
    env.aws.interceptors.push((call) => {
      if (call.phase === 'before' && call.operation === 'AssumeRole') assumed++;
      if (call.phase === 'before' && call.operation === 'DescribeLogGroups' && call.region === stuck)
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    });

    // Act: pages a second apart, as the workflow runs them.
    const pages: PageResult[] = [];
    let page: PageResult | undefined;
    do {
      if (page?.nextPageAt) await env.clock.sleep(Math.max(0, Date.parse(page.nextPageAt) - env.clock.now()));
      page = await subscribeLogGroupsPage({ accountId: ACCOUNT, regions: [good, stuck], page: page ?? {} }, env.context);
      pages.push(page);
    } while (page.nextPageAt !== undefined);

    // Assess
    expect(assumed).toBe(1);
    expect(page.regions).toEqual([
      expect.objectContaining({ region: good, status: 'Done', totals: expect.objectContaining({ pages: pagesOfGood, subscribed: pagesOfGood * PAGE_SIZE }) }),
      expect.objectContaining({ region: stuck, status: 'Failed', error: 'Throttled', totals: expect.objectContaining({ total: 0 }) }),
    ]);
    expect(pages.findIndex((p) => p.regions[1]!.status === 'Failed')).toBe(MAX_STALLS - 1);
    expect(pages).toHaveLength(pagesOfGood);
  });

  it('fails the page when no region gets anywhere, for the workflow to retry', async () => {
    // Prepare
    const env = createOfflineEnvironment();
    const region = env.config.governedRegions[0] as Region;
    env.state.addAccount({ id: ACCOUNT, name: 'workload', regions: env.config.governedRegions });
    env.state.createLogGroup(ACCOUNT, region, '/app/one');
    env.aws.interceptors.push((call) => {
      if (call.phase === 'before' && call.operation === 'DescribeLogGroups')
        throw Object.assign(new Error('User is not authorized to perform: logs:DescribeLogGroups'), { name: 'AccessDeniedException' });
    });

    // Act
    const page = subscribeLogGroupsPage({ accountId: ACCOUNT, regions: [region], page: {} }, env.context);

    // Assess
    await expect(page).rejects.toMatchObject({ name: 'AwsRequestRejected', message: expect.stringContaining(`logs:DescribeLogGroups ${ACCOUNT} ${region}`) });
  });

  it('answers at once, calling nothing, when the account left no region to page', async () => {
    // Prepare
    const env = createOfflineEnvironment();
    env.state.addAccount({ id: ACCOUNT, name: 'workload', regions: env.config.governedRegions });

    // Act
    const page = await subscribeLogGroupsPage(
      { accountId: ACCOUNT, regions: [{ region: REGION, status: 'Onboarded', logGroups: { status: 'Done' } }], page: {} },
      env.context,
    );

    // Assess
    expect(page).toEqual({ accountId: ACCOUNT, regions: [] });
    expect(env.aws.ledger.totalCalls()).toBe(0);
  });
});
