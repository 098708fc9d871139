/**
 * subscribe-log-group end to end: a CreateLogGroup event is routed, the real ASL runs offline,
 * the real task acts on the simulated organization.
 */
import { createOfflineEnvironment, type OfflineEnvironment, type OfflineEnvironmentOptions } from '../../../sim/environment';
import { createLogGroupEvent } from '../../../sim/events';
import type { SimLogGroup } from '../../../sim/state';
import type { AccountId } from '../../../tasks/lib/domain';
import { destinationArn, SUBSCRIPTION_FILTER_NAME } from '../../../tasks/lib/ownership';
import { causeMessage } from '../../../workflows/local/runner';

const ACCOUNT = '123456789012' as AccountId;
const REGION = 'eu-west-1';

function setUp(options: OfflineEnvironmentOptions = {}): OfflineEnvironment {
  const env = createOfflineEnvironment(options);
  env.state.addAccount({ id: ACCOUNT, name: 'workload', regions: env.config.governedRegions });
  return env;
}

async function fire(env: OfflineEnvironment, logGroupName: string, account: string = ACCOUNT, region = REGION) {
  const route = env.router.route(createLogGroupEvent(account, region, logGroupName));
  if (route.workflow === null) throw new Error(`not routed: ${route.reason}`);
  return env.runner.start(route.workflow, route.input);
}

function addForeignFilter(group: SimLogGroup, filterName: string): void {
  group.filters.set(filterName, {
    filterName,
    logGroupName: group.logGroupName,
    filterPattern: '{ $.level = "ERROR" }',
    destinationArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${filterName}`,
    distribution: 'ByLogStream',
    creationTime: 1,
  });
}

describe('subscribe-log-group workflow', () => {
  it('puts exactly one Tributary filter on a new log group, pointing at its region destination with the delivery role', async () => {
    // Prepare
    const env = setUp();
    const group = env.state.createLogGroup(ACCOUNT, REGION, '/aws/lambda/orders');

    // Act
    const execution = await fire(env, '/aws/lambda/orders');

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toMatchObject({ status: 'Subscribed', changed: true });
    expect([...group.filters.values()]).toEqual([
      expect.objectContaining({
        filterName: SUBSCRIPTION_FILTER_NAME,
        destinationArn: destinationArn(env.config.accounts.logging, REGION as never),
        roleArn: `arn:aws:iam::${ACCOUNT}:role/TributaryLogsDelivery`,
        filterPattern: '',
      }),
    ]);
  });

  it('makes zero writes when the same event arrives again', async () => {
    // Prepare
    const env = setUp();
    env.state.createLogGroup(ACCOUNT, REGION, '/aws/lambda/orders');
    await fire(env, '/aws/lambda/orders');
    const writesBefore = env.aws.ledger.writes;

    // Act
    const again = await fire(env, '/aws/lambda/orders');

    // Assess
    expect(again.output).toMatchObject({ status: 'AlreadySubscribed', changed: false, actions: [] });
    expect(env.aws.ledger.writes).toBe(writesBefore);
  });

  it('leaves two foreign filters byte-for-byte intact and reports NoFilterSlot naming them', async () => {
    // Prepare
    const env = setUp();
    const group = env.state.createLogGroup(ACCOUNT, REGION, '/aws/lambda/payments');
    addForeignFilter(group, 'security-team-siem');
    addForeignFilter(group, 'vendor-apm-forwarder');
    const before = JSON.stringify([...group.filters.values()]);

    // Act
    const execution = await fire(env, '/aws/lambda/payments');

    // Assess
    expect(execution.output).toMatchObject({ status: 'NoFilterSlot', changed: false, foreignFilters: ['security-team-siem', 'vendor-apm-forwarder'] });
    expect(JSON.stringify([...group.filters.values()])).toBe(before);
    expect(env.aws.ledger.writes).toBe(0);
  });

  it('adds its filter beside one foreign filter without touching it', async () => {
    // Prepare
    const env = setUp();
    const group = env.state.createLogGroup(ACCOUNT, REGION, '/ecs/checkout');
    addForeignFilter(group, 'security-team-siem');
    const foreign = JSON.stringify(group.filters.get('security-team-siem'));

    // Act
    await fire(env, '/ecs/checkout');

    // Assess
    expect([...group.filters.keys()].sort()).toEqual(['security-team-siem', SUBSCRIPTION_FILTER_NAME]);
    expect(JSON.stringify(group.filters.get('security-team-siem'))).toBe(foreign);
  });

  it('updates a stale Tributary filter in place, under its own name', async () => {
    // Prepare
    const env = setUp();
    const group = env.state.createLogGroup(ACCOUNT, REGION, '/aws/lambda/orders');
    group.filters.set(SUBSCRIPTION_FILTER_NAME, {
      filterName: SUBSCRIPTION_FILTER_NAME,
      logGroupName: '/aws/lambda/orders',
      filterPattern: 'ERROR',
      destinationArn: `arn:aws:logs:${REGION}:999999999999:destination:old`,
      distribution: 'ByLogStream',
      creationTime: 1,
    });

    // Act
    const execution = await fire(env, '/aws/lambda/orders');

    // Assess
    expect(execution.output).toMatchObject({ status: 'Subscribed', actions: [`PutSubscriptionFilter ${SUBSCRIPTION_FILTER_NAME} (update)`] });
    expect(group.filters.size).toBe(1);
    expect(group.filters.get(SUBSCRIPTION_FILTER_NAME)).toMatchObject({
      filterPattern: '',
      destinationArn: destinationArn(env.config.accounts.logging, REGION as never),
    });
  });

  it.each([
    ['a config exclusion glob', '/aws/lambda/sandbox-experiment-7', '/aws/lambda/sandbox-*', 'member'],
    ["the pipeline's own Lambda logs, in the logging account", '/aws/lambda/tributary-record-processor', '/aws/lambda/tributary-*', 'logging'],
    [
      "the pipeline's own Firehose logs, in the logging account",
      '/aws/kinesisfirehose/tributary-central-logging',
      '/aws/kinesisfirehose/tributary-*',
      'logging',
    ],
  ])('leaves a group excluded by %s untouched, with no call to its account', async (_why, name, rule, where) => {
    // Prepare
    const env = setUp();
    const account = where === 'logging' ? env.config.accounts.logging : ACCOUNT;
    const group = env.state.createLogGroup(account, REGION, name);

    // Act
    const execution = await fire(env, name, account);

    // Assess
    expect(execution.output).toMatchObject({ status: 'Excluded', changed: false, excludedBy: rule });
    expect(group.filters.size).toBe(0);
    expect(env.aws.ledger.totalCalls()).toBe(0);
  });

  it('succeeds for every execution with 20% throttling, 5xx and late-visible log groups, with one filter each', async () => {
    // Prepare
    const env = setUp({ faults: { seed: 7, throttleRate: 0.2, serverErrorRate: 0.02, lateLogGroupReads: 3, lateRoleAttempts: 2 } });
    const late = env.state.account(ACCOUNT)!;
    late.roleMissingAttempts = 2;
    const names = Array.from({ length: 60 }, (_, i) => `/aws/lambda/fn-${i}`);
    const groups = names.map((name) => env.state.createLogGroup(ACCOUNT, REGION, name, { hiddenReads: 3 }));

    // Act
    const executions = await Promise.all(names.map((name) => fire(env, name)));

    // Assess
    expect(executions.filter((e) => e.status !== 'SUCCEEDED')).toEqual([]);
    expect(groups.every((g) => g.filters.size === 1 && g.filters.has(SUBSCRIPTION_FILTER_NAME))).toBe(true);
    expect(env.aws.ledger.faultsInjected().throttle).toBeGreaterThan(10);
    expect(executions.some((e) => e.stateTransitions > 1)).toBe(true);
  });

  it('fails with a clear InvalidInput error and writes nothing for an invalid log group name', async () => {
    // Prepare
    const env = setUp();

    // Act
    const execution = await env.runner.start('subscribe-log-group', { accountId: ACCOUNT, region: REGION, logGroupName: 'bad name with spaces' });

    // Assess
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('InvalidInput');
    expect(causeMessage(execution.cause)).toContain('logGroupName: "bad name with spaces" is not a valid log group name');
    expect(execution.statesEntered).toEqual(['SubscribeLogGroup', 'RecordFailure', 'Failed']);
    expect(env.aws.ledger.writes).toBe(0);
  });

  it('fails with RegionNotGoverned for a region outside the config, without calling the account', async () => {
    // Prepare
    const env = setUp();

    // Act
    const execution = await env.runner.start('subscribe-log-group', { accountId: ACCOUNT, region: 'sa-east-1', logGroupName: '/aws/lambda/orders' });

    // Assess
    expect(execution).toMatchObject({ status: 'FAILED', error: 'RegionNotGoverned' });
    expect(env.aws.ledger.totalCalls()).toBe(0);
  });

  it('reports a group covered by the account-level subscription policy in account-policy mode', async () => {
    // Prepare
    const base = createOfflineEnvironment();
    const env = setUp({ config: { ...base.config, subscription: { mode: 'account-policy', filterPattern: '' } } });
    env.state.createLogGroup(ACCOUNT, REGION, '/aws/lambda/orders');
    env.state.accountRegion(ACCOUNT, REGION).accountPolicies.set('tributary-central-logging', {
      policyName: 'tributary-central-logging',
      policyType: 'SUBSCRIPTION_FILTER_POLICY',
      policyDocument: JSON.stringify({
        DestinationArn: destinationArn(env.config.accounts.logging, REGION as never),
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/TributaryLogsDelivery`,
        FilterPattern: '',
      }),
      selectionCriteria: 'LogGroupName NOT IN ["/aws/lambda/other"]',
      scope: 'ALL',
      lastUpdatedTime: 1,
    });

    // Act
    const execution = await fire(env, '/aws/lambda/orders');

    // Assess
    expect(execution.output).toMatchObject({ status: 'CoveredByAccountPolicy', changed: false });
    expect(env.aws.ledger.writes).toBe(0);
  });
});

describe('subscribe-log-group with incomplete input', () => {
  it('fails with InvalidInput naming the missing field, not a path error', async () => {
    const env = createOfflineEnvironment();
    const execution = await env.runner.start('subscribe-log-group', { accountId: '123456789012', region: 'eu-west-1' });
    expect(execution).toMatchObject({ status: 'FAILED', error: 'InvalidInput' });
    expect(causeMessage(execution.cause)).toContain('logGroupName: undefined is not a valid log group name');
  });
});
