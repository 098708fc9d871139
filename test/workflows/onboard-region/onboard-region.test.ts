/** onboard-region end to end on the simulator: forwarding rule, every existing log group, page by page. */
import { createOfflineEnvironment, type OfflineEnvironment, type OfflineEnvironmentOptions } from '../../../sim/environment';
import { regionOptInEvent } from '../../../sim/events';
import type { AccountId } from '../../../tasks/lib/domain';
import { FORWARDING_RULE_NAME, SUBSCRIPTION_FILTER_NAME } from '../../../tasks/lib/ownership';
import { memberForwardingPattern, tributaryCallers } from '../../../workflows/forwarding';
import { causeMessage } from '../../../workflows/local/runner';
import { HAND_BACK_AFTER_SECONDS, PAGE_SIZE } from '../../../tasks/subscribe-log-groups-page';

const ACCOUNT = '123456789012' as AccountId;
const REGION = 'eu-west-1';

function setUp(groups: number, options: OfflineEnvironmentOptions = {}): OfflineEnvironment {
  const env = createOfflineEnvironment(options);
  env.state.addAccount({ id: ACCOUNT, name: 'workload', regions: env.config.governedRegions });
  for (let i = 0; i < groups; i++) env.state.createLogGroup(ACCOUNT, REGION, `/aws/lambda/fn-${String(i).padStart(4, '0')}`);
  return env;
}

describe('onboard-region workflow', () => {
  it('subscribes every existing log group across pages and creates the forwarding rule to the hub bus', async () => {
    // Prepare
    const env = setUp(120);
    env.state.createLogGroup(ACCOUNT, REGION, '/aws/lambda/sandbox-experiment');

    // Act
    const execution = await env.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION });

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toMatchObject({
      status: 'Onboarded',
      eventForwarding: { changed: true },
      logGroups: { status: 'Done', totals: { pages: Math.ceil(121 / PAGE_SIZE), total: 121, subscribed: 120, excluded: 1, failed: 0 } },
    });
    const groups = [...env.state.accountRegion(ACCOUNT, REGION).logGroups.values()];
    expect(groups.filter((g) => g.filters.has(SUBSCRIPTION_FILTER_NAME))).toHaveLength(120);
    const rule = env.state.accountRegion(ACCOUNT, REGION).eventRules.get(FORWARDING_RULE_NAME)!;
    expect(JSON.parse(rule.eventPattern)).toEqual(memberForwardingPattern(tributaryCallers(env.config)));
    expect([...rule.targets.values()]).toEqual([
      {
        Id: 'tributary-hub-bus',
        Arn: `arn:aws:events:${env.config.homeRegion}:${env.config.accounts.orchestration}:event-bus/tributary-hub`,
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/TributaryEventForwarding`,
      },
    ]);
  });

  it('makes zero writes when run again', async () => {
    // Prepare
    const env = setUp(60);
    await env.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION });
    const writes = env.aws.ledger.writes;

    // Act
    const again = await env.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION });

    // Assess
    expect(again.output).toMatchObject({ eventForwarding: { changed: false }, logGroups: { totals: { alreadySubscribed: 60, subscribed: 0 } } });
    expect(env.aws.ledger.writes).toBe(writes);
  });

  it('ends with RegionNotGoverned for an enabled region outside the config, calling nothing', async () => {
    // Prepare
    const env = setUp(0);
    const route = env.router.route(regionOptInEvent(ACCOUNT, 'me-central-1'));
    if (route.workflow === null) throw new Error(route.reason);

    // Act
    const execution = await env.runner.start(route.workflow, route.input);

    // Assess
    expect(execution.output).toEqual({ accountId: ACCOUNT, region: 'me-central-1', status: 'RegionNotGoverned' });
    expect(env.aws.ledger.totalCalls()).toBe(0);
  });

  it('paces 500 log groups by the state machine: no Lambda waits for rate tokens, one page a second, none throttled', async () => {
    // Prepare
    const env = setUp(500);
    const started = env.clock.now();

    // Act
    const execution = await env.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION });

    // Assess: 125 pages, each starting a second after the one before listed its groups (not a
    // second after it ended; the simulator answers a call in 20-50 ms); the quota allows 500 reads in 100 s.
    const logGroups = (execution.output as { logGroups: { totals: Record<string, number> } }).logGroups;
    expect(logGroups.totals).toMatchObject({ pages: 500 / PAGE_SIZE, subscribed: 500 });
    expect(env.limiterWaits).toEqual({ calls: 0, ms: 0 });
    expect(env.aws.rateLimits.throttles()).toEqual({});
    expect(env.clock.secondsSince(started)).toBeGreaterThanOrEqual(500 / PAGE_SIZE - 1);
    expect(env.clock.secondsSince(started)).toBeLessThan((500 / PAGE_SIZE) * 1.05 + 3);
    expect(execution.children.map((c) => c.type)).toEqual(['EXPRESS']);
  });

  it('covers a region of 1,000 log groups in Express runs of under 5 minutes each, each handing its cursor to the next', async () => {
    // Prepare: 250 pages a second apart would take over 4 minutes in one run.
    const env = setUp(1000);

    // Act
    const execution = await env.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION });

    // Assess
    const runs = execution.children;
    const logGroups = (execution.output as { logGroups: { status: string; totals: Record<string, number> } }).logGroups;
    expect(logGroups).toMatchObject({ status: 'Done', totals: { pages: 1000 / PAGE_SIZE, subscribed: 1000, failed: 0 } });
    expect(runs.length).toBe(2);
    expect(runs.every((r) => r.status === 'SUCCEEDED' && r.stoppedAt - r.startedAt < HAND_BACK_AFTER_SECONDS * 1000 + 60_000)).toBe(true);
    expect((runs[0]!.output as { handBack?: boolean }).handBack).toBe(true);
    // The run that continues keeps the pace: its first page waits for the slot the last one gave it.
    expect(env.aws.rateLimits.throttles()).toEqual({});
  });

  it('reruns a failed Express run from the cursor the last run handed back: nothing lost, little read twice', async () => {
    // Prepare: 1,000 groups take two runs; 200 s in, during the second, one listing is refused for good, failing its run.
    const env = setUp(1000);
    const started = env.clock.now();
    let refused = 0;
    env.aws.interceptors.push((call) => {
      if (call.phase === 'before' && call.operation === 'DescribeLogGroups' && env.clock.secondsSince(started) > 200 && refused === 0) {
        refused++;
        throw Object.assign(new Error('User is not authorized to perform: logs:DescribeLogGroups'), { name: 'AccessDeniedException' });
      }
    });

    // Act
    const execution = await env.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION });

    // Assess: the rerun starts where the first run ended, so only the failed run's pages are read twice.
    const logGroups = (execution.output as { logGroups: { status: string; totals: Record<string, number> } }).logGroups;
    expect(refused).toBe(1);
    expect(execution.children.map((r) => r.status)).toEqual(['SUCCEEDED', 'FAILED', 'SUCCEEDED']);
    expect(logGroups.status).toBe('Done');
    const groups = [...env.state.accountRegion(ACCOUNT, REGION).logGroups.values()];
    expect(groups.every((g) => g.filters.has(SUBSCRIPTION_FILTER_NAME))).toBe(true);
    const reads = env.aws.ledger.apiCalls()['CloudWatchLogs.DescribeSubscriptionFilters']!;
    const failedRunSeconds = (execution.children[1]!.stoppedAt - execution.children[1]!.startedAt) / 1000;
    expect(reads).toBeGreaterThanOrEqual(1000);
    expect(reads).toBeLessThanOrEqual(1000 + PAGE_SIZE * Math.ceil(failedRunSeconds));
  });

  it('converges under 15% throttling and 2% 5xx, with billed state transitions well under 0.2 per log group', async () => {
    // Prepare
    const env = setUp(500, { faults: { seed: 4, throttleRate: 0.15, serverErrorRate: 0.02 } });

    // Act
    const execution = await env.runner.start('onboard-region', { accountId: ACCOUNT, region: REGION });

    // Assess
    // A page retried after throttling finds some of its groups already subscribed.
    const totals = (execution.output as { logGroups: { status: string; totals: Record<string, number> } }).logGroups;
    expect(totals.status).toBe('Done');
    expect(totals.totals.subscribed! + totals.totals.alreadySubscribed!).toBe(500);
    expect(totals.totals.failed).toBe(0);
    const groups = [...env.state.accountRegion(ACCOUNT, REGION).logGroups.values()];
    expect(groups.every((g) => g.filters.size === 1 && g.filters.has(SUBSCRIPTION_FILTER_NAME))).toBe(true);
    expect(env.aws.ledger.faultsInjected().throttle).toBeGreaterThan(50);
    expect(execution.billedTransitions / 500).toBeLessThanOrEqual(0.2);
  });
});

describe('onboard-region with incomplete input', () => {
  it('fails with InvalidInput naming the missing field', async () => {
    const env = createOfflineEnvironment();
    const execution = await env.runner.start('onboard-region', { accountId: '123456789012' });
    expect(execution).toMatchObject({ status: 'FAILED', error: 'InvalidInput' });
    expect(causeMessage(execution.cause)).toContain('region: undefined is not a known AWS region');
  });
});
