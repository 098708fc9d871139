/** The simulator behaves like the AWS APIs it stands in for: limits, errors, identities, faults. */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  LimitExceededException,
  PutDestinationPolicyCommand,
  PutSubscriptionFilterCommand,
  ResourceNotFoundException,
  DescribeSubscriptionFiltersCommand,
  InvalidParameterException,
  AccessDeniedException,
  PutAccountPolicyCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createOfflineEnvironment, type OfflineEnvironment } from '../../sim/environment';
import { virtualClockRetry } from '../../sim/sdk-retry';
import { runSimulation } from '../../sim/simulation';
import type { AccountId, Region } from '../../tasks/lib/domain';
import { BaselineRoleNotReadyError } from '../../tasks/lib/errors';
import { DESTINATION_NAME } from '../../tasks/lib/ownership';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { OPERATOR_ROLE_NAME } from '../../sim/services/sts';

const ACCOUNT = '123456789012' as AccountId;
const REGION = 'eu-west-1' as Region;

function clientAs(env: OfflineEnvironment, account: string, region: string = REGION): CloudWatchLogsClient {
  const client = new CloudWatchLogsClient({ region, credentials: env.aws.credentialsFor(account) });
  env.aws.attach(client);
  return client;
}

function setUp(): { env: OfflineEnvironment; logs: CloudWatchLogsClient } {
  const env = createOfflineEnvironment();
  env.state.addAccount({ id: ACCOUNT, name: 'workload', regions: env.config.governedRegions });
  return { env, logs: clientAs(env, ACCOUNT) };
}

const filter = (filterName: string) =>
  new PutSubscriptionFilterCommand({
    logGroupName: '/app',
    filterName,
    filterPattern: '',
    destinationArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${filterName}`,
  });

describe('simulated CloudWatch Logs', () => {
  it('allows two subscription filters per log group and throws the SDK LimitExceededException for a third', async () => {
    // Prepare
    const { env, logs } = setUp();
    env.state.createLogGroup(ACCOUNT, REGION, '/app');
    await logs.send(filter('one'));
    await logs.send(filter('two'));

    // Act / Assess
    await expect(logs.send(filter('three'))).rejects.toBeInstanceOf(LimitExceededException);
    // The SDK retries LimitExceededException as throttling: those attempts used up the 5 TPS burst.
    await env.clock.sleep(1000);
    await expect(logs.send(filter('two'))).resolves.toBeDefined();
    expect(env.state.accountRegion(ACCOUNT, REGION).logGroups.get('/app')!.filters.size).toBe(2);
  });

  it('lists the subscription filters ASCII-sorted by name, those with filterNamePrefix, limit at a time', async () => {
    // Prepare: added in the opposite order.
    const { env, logs } = setUp();
    env.state.createLogGroup(ACCOUNT, REGION, '/app');
    await logs.send(filter('zeta'));
    await logs.send(filter('Zeta'));
    const names = async (input: { filterNamePrefix?: string; limit?: number; nextToken?: string }) => {
      const page = await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: '/app', ...input }));
      return { names: page.subscriptionFilters!.map((f) => f.filterName), nextToken: page.nextToken };
    };

    // Act
    const all = await names({});
    const prefixed = await names({ filterNamePrefix: 'ze' });
    const first = await names({ limit: 1 });
    const second = await names({ limit: 1, nextToken: first.nextToken! });

    // Assess
    expect(all).toEqual({ names: ['Zeta', 'zeta'], nextToken: undefined });
    expect(prefixed.names).toEqual(['zeta']);
    expect([first.names, second]).toEqual([['Zeta'], { names: ['zeta'], nextToken: undefined }]);
    await expect(names({ limit: 51 })).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('throws ResourceNotFoundException for a log group that is not visible yet, then shows it', async () => {
    // Prepare
    const { env, logs } = setUp();
    env.state.createLogGroup(ACCOUNT, REGION, '/late', { hiddenReads: 2 });
    const read = () => logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: '/late' }));

    // Act / Assess
    await expect(read()).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(read()).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(read()).resolves.toMatchObject({ subscriptionFilters: [] });
  });

  it('requires a role for an organization-scoped destination and refuses accounts outside its policy', async () => {
    // Prepare
    const { env, logs } = setUp();
    env.state.createLogGroup(ACCOUNT, REGION, '/app');
    const destinationArn = `arn:aws:logs:${REGION}:${env.config.accounts.logging}:destination:${DESTINATION_NAME}`;
    const put = (roleArn?: string) =>
      new PutSubscriptionFilterCommand({ logGroupName: '/app', filterName: 'tributary-x', filterPattern: '', destinationArn, ...(roleArn ? { roleArn } : {}) });
    const destination = env.state.accountRegion(env.config.accounts.logging, REGION).destinations.get(DESTINATION_NAME)!;

    // Act / Assess
    await expect(logs.send(put())).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(logs.send(put(`arn:aws:iam::${ACCOUNT}:role/TributaryLogsDelivery`))).resolves.toBeDefined();
    destination.accessPolicy = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: ['999999999999'] }, Action: 'logs:PutSubscriptionFilter' }] });
    await expect(logs.send(put(`arn:aws:iam::${ACCOUNT}:role/TributaryLogsDelivery`))).rejects.toBeInstanceOf(AccessDeniedException);
  });

  it('refuses a destination access policy over 5,120 bytes', async () => {
    // Prepare
    const { env } = setUp();
    const logging = clientAs(env, env.config.accounts.logging);
    const accessPolicy = JSON.stringify({
      Statement: [
        { Effect: 'Allow', Principal: { AWS: Array.from({ length: 400 }, (_, i) => String(100000000000 + i)) }, Action: 'logs:PutSubscriptionFilter' },
      ],
    });

    // Act / Assess
    await expect(logging.send(new PutDestinationPolicyCommand({ destinationName: DESTINATION_NAME, accessPolicy }))).rejects.toThrow(/limit is 5120/);
  });

  it('pages DescribeLogGroups 50 at a time', async () => {
    // Prepare
    const { env, logs } = setUp();
    for (let i = 0; i < 120; i++) env.state.createLogGroup(ACCOUNT, REGION, `/app/${String(i).padStart(3, '0')}`);

    // Act
    const pages: number[] = [];
    let nextToken: string | undefined;
    do {
      const page = await logs.send(new DescribeLogGroupsCommand({ nextToken }));
      pages.push(page.logGroups!.length);
      nextToken = page.nextToken;
    } while (nextToken);

    // Assess
    expect(pages).toEqual([50, 50, 20]);
  });

  it('lists the groups ASCII-sorted by name, and refuses a limit outside 1 to 50', async () => {
    // Prepare: names a locale-aware sort would put in another order.
    const { env, logs } = setUp();
    for (const name of ['/app/b', '/app/B', '/app/_x', '/app/#y', '/app/a.1', '/app/a-1']) env.state.createLogGroup(ACCOUNT, REGION, name);

    // Act
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({}));
    const refused = await Promise.all(
      [0, 51, 2.5].map((limit) =>
        logs.send(new DescribeLogGroupsCommand({ limit })).then(
          () => 'listed',
          (e: Error) => e.name,
        ),
      ),
    );

    // Assess
    expect(logGroups!.map((g) => g.logGroupName)).toEqual(['/app/#y', '/app/B', '/app/_x', '/app/a-1', '/app/a.1', '/app/b']);
    expect(refused).toEqual(['InvalidParameterException', 'InvalidParameterException', 'InvalidParameterException']);
  });

  it('lists the groups in name order as they are when listed: created, deleted or shown up since the last listing', async () => {
    // Prepare
    const { env, logs } = setUp();
    const groups = env.state.accountRegion(ACCOUNT, REGION).logGroups;
    for (const name of ['/b', '/d']) env.state.createLogGroup(ACCOUNT, REGION, name);
    env.state.createLogGroup(ACCOUNT, REGION, '/c-late', { hiddenReads: 1 });
    const names = async () => (await logs.send(new DescribeLogGroupsCommand({}))).logGroups!.map((g) => g.logGroupName);

    // Act
    const first = await names();
    groups.delete('/d');
    const second = await names();
    env.state.createLogGroup(ACCOUNT, REGION, '/a');
    const third = await names();

    // Assess
    expect(first).toEqual(['/b', '/d']);
    expect(second).toEqual(['/b', '/c-late']);
    expect(third).toEqual(['/a', '/b', '/c-late']);
  });

  it("names each group's ARN in the caller's account and region, with and without the trailing :*", async () => {
    // Prepare: every kind of character a name may hold.
    const { env, logs } = setUp();
    env.state.createLogGroup(ACCOUNT, REGION, '/aws/lambda/#odd.name_-1');

    // Act
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({}));

    // Assess
    expect(logGroups).toEqual([
      expect.objectContaining({
        logGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/#odd.name_-1`,
        arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/#odd.name_-1:*`,
      }),
    ]);
  });

  it("refuses a log group name outside CreateLogGroup's pattern, through the API and in the console", async () => {
    // Prepare
    const { env, logs } = setUp();
    const names = ["/app/it's", '/app/"quoted"', '/app/a b', '', 'x'.repeat(513)];

    // Act
    const refused = await Promise.all(
      names.map((logGroupName) =>
        logs.send(new CreateLogGroupCommand({ logGroupName })).then(
          () => 'created',
          (e: Error) => e.name,
        ),
      ),
    );

    // Assess
    expect(refused).toEqual(names.map(() => 'InvalidParameterException'));
    expect(() => env.state.createLogGroup(ACCOUNT, REGION, "/app/it's")).toThrow(/not a log group name/);
    expect(env.state.accountRegion(ACCOUNT, REGION).logGroups.size).toBe(0);
  });

  it('refuses an account policy whose document is not JSON with InvalidParameterException, and keeps none', async () => {
    // Prepare
    const { env, logs } = setUp();

    // Act
    const put = logs.send(
      new PutAccountPolicyCommand({ policyName: 'p', policyType: 'SUBSCRIPTION_FILTER_POLICY', policyDocument: '{"DestinationArn":', scope: 'ALL' }),
    );

    // Assess
    await expect(put).rejects.toBeInstanceOf(InvalidParameterException);
    expect(env.state.accountRegion(ACCOUNT, REGION).accountPolicies.size).toBe(0);
  });

  it('refuses a FilterLogEvents token it did not make with InvalidParameterException', async () => {
    // Prepare
    const { env, logs } = setUp();
    env.state.createLogGroup(ACCOUNT, REGION, '/app');
    const tokens = ['not a token', Buffer.from('[1,2]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url')];

    // Act
    const answers = await Promise.all(
      tokens.map((nextToken) =>
        logs.send(new FilterLogEventsCommand({ logGroupName: '/app', nextToken })).then(
          () => 'answered',
          (e: Error) => e.name,
        ),
      ),
    );

    // Assess
    expect(answers).toEqual(tokens.map(() => 'InvalidParameterException'));
  });

  it('counts calls per Service.Operation and successful writes separately', async () => {
    // Prepare
    const { env, logs } = setUp();
    env.state.createLogGroup(ACCOUNT, REGION, '/app');

    // Act
    await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: '/app' }));
    await logs.send(filter('one'));
    await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: '/missing' })).catch(() => undefined);

    // Assess
    expect(env.aws.ledger.apiCalls()).toEqual({ 'CloudWatchLogs.DescribeSubscriptionFilters': 2, 'CloudWatchLogs.PutSubscriptionFilter': 1 });
    expect(env.aws.ledger.writes).toBe(1);
  });
});

describe('simulated EC2', () => {
  it('pages DescribeVpcs MaxResults (5 to 1,000) at a time, and refuses MaxResults out of range or with VpcIds', async () => {
    // Prepare
    const { env } = setUp();
    const vpcs = Array.from({ length: 7 }, () => env.state.createVpc(ACCOUNT, REGION));
    const ec2 = env.aws.directClient('EC2', ACCOUNT, REGION);
    const describe = (input: { MaxResults?: number; VpcIds?: string[]; NextToken?: string }) =>
      env.clock.run(() =>
        ec2.send(new DescribeVpcsCommand(input)).then(
          (out: { Vpcs: unknown[]; NextToken?: string }) => ({ vpcs: out.Vpcs.length, more: out.NextToken !== undefined }),
          (e: Error) => e.name,
        ),
      );

    // Act / Assess
    expect(await describe({ MaxResults: 5 })).toEqual({ vpcs: 5, more: true });
    expect(await describe({ VpcIds: [vpcs[0]!.VpcId] })).toEqual({ vpcs: 1, more: false });
    expect(await describe({ MaxResults: 4 })).toBe('InvalidParameterValue');
    expect(await describe({ MaxResults: 1001 })).toBe('InvalidParameterValue');
    expect(await describe({ MaxResults: 5, VpcIds: [vpcs[0]!.VpcId] })).toBe('InvalidParameterCombination');
  });
});

describe('simulated STS', () => {
  it('refuses the member role until the baseline exists, which the factory reports as BaselineRoleNotReady', async () => {
    // Prepare
    const { env } = setUp();
    env.state.account(ACCOUNT)!.roleMissingAttempts = 2;

    // Act / Assess
    await expect(env.context.clients.logs(ACCOUNT, REGION)).rejects.toBeInstanceOf(BaselineRoleNotReadyError);
    await expect(env.context.clients.logs(ACCOUNT, REGION)).rejects.toBeInstanceOf(BaselineRoleNotReadyError);
    await expect(env.context.clients.logs(ACCOUNT, REGION)).resolves.toBeInstanceOf(CloudWatchLogsClient);
    expect(env.aws.ledger.apiCalls()['STS.AssumeRole']).toBe(3);
  });

  it('gives a session of the duration asked, 900 s to 1 hour (a role session assuming a role), and refuses a malformed session name', async () => {
    // Prepare: the orchestration account's own STS, assuming the operator's role.
    const { env } = setUp();
    const sts = env.aws.directClient('STS', env.config.accounts.orchestration, env.config.homeRegion);
    const assume = (input: { DurationSeconds?: number; RoleSessionName?: string }) =>
      env.clock.run(() =>
        sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/${OPERATOR_ROLE_NAME}`, RoleSessionName: 'tributary', ...input })).then(
          (out: { Credentials: { Expiration: Date } }) => (out.Credentials.Expiration.getTime() - env.clock.now()) / 1000,
          (e: Error) => `${e.name}: ${e.message}`,
        ),
      );

    // Act
    const outcomes = [
      await assume({}),
      await assume({ DurationSeconds: 900 }),
      await assume({ DurationSeconds: 7200 }),
      await assume({ DurationSeconds: 600 }),
      await assume({ RoleSessionName: 'a b' }),
    ];

    // Assess: what the calls' 20-50 ms on the wire leave of each session.
    expect(outcomes.slice(0, 2).map((seconds) => Math.round(Number(seconds)))).toEqual([3600, 900]);
    expect(outcomes.slice(2)).toEqual([
      expect.stringMatching(/^ValidationError: .*1 hour session limit for roles assumed by role chaining/),
      expect.stringMatching(/^ValidationError: .*durationSeconds.*greater than or equal to 900/),
      expect.stringMatching(/^ValidationError: .*roleSessionName/),
    ]);
  });

  it('caches assumed credentials: one AssumeRole per account however many clients', async () => {
    const { env } = setUp();
    await env.context.clients.logs(ACCOUNT, REGION);
    await env.context.clients.logs(ACCOUNT, 'us-east-1' as Region);
    expect(env.aws.ledger.apiCalls()['STS.AssumeRole']).toBe(1);
  });
});

describe('seeded faults', () => {
  const options = {
    seed: 11,
    size: { accounts: 3, logGroupsPerRegion: 20 },
    faults: { throttleRate: 0.2, serverErrorRate: 0.02, lateLogGroupReads: 1, lateRoleAttempts: 1 },
  };
  // One run shared by the tests below (whichever asks first runs it), so that no test runs more
  // than two whole simulations.
  let seeded: ReturnType<typeof runSimulation> | undefined;
  const firstRun = () => (seeded ??= runSimulation(options));

  it('injects throttling at about the configured rate, and every workflow still completes', async () => {
    // Act
    const first = await firstRun();

    // Assess
    const calls = Object.values(first.apiCalls).reduce((a, b) => a + b, 0);
    expect(first.faultsInjected.throttle! / calls).toBeGreaterThan(0.12);
    expect(first.faultsInjected.throttle! / calls).toBeLessThan(0.28);
    expect(first.executions.failed).toBe(0);
    expect(first.coverage.logGroups.missing).toBe(0);
  });

  it('makes the same calls and injects the same faults for the same seed, in one process', async () => {
    // Act: a second run after the first, with every cache of the process warm.
    const first = await firstRun();
    const second = await runSimulation(options);

    // Assess
    expect(second.apiCalls).toEqual(first.apiCalls);
    expect(second.faultsInjected).toEqual(first.faultsInjected);
  });

  it('makes other calls for another seed', async () => {
    const first = await firstRun();
    const other = await runSimulation({ ...options, seed: 12 });
    expect(other.apiCalls).not.toEqual(first.apiCalls);
  });
});

/** A filter on `/app/<i>` of `account`, to a function of its own. */
const put = (account: string, i: number) =>
  new PutSubscriptionFilterCommand({
    logGroupName: `/app/${i}`,
    filterName: 'f',
    filterPattern: '',
    destinationArn: `arn:aws:lambda:${REGION}:${account}:function:f`,
  });

describe('rate quotas', () => {
  it('throttles a sixth PutSubscriptionFilter in one virtual second in one account-region, not the same calls over two accounts', async () => {
    // Prepare: clients without SDK retries, so every refusal shows.
    const env = createOfflineEnvironment();
    const other = '210987654321' as AccountId;
    for (const id of [ACCOUNT, other]) {
      env.state.addAccount({ id, name: id, regions: env.config.governedRegions });
      for (let i = 0; i < 6; i++) env.state.createLogGroup(id, REGION, `/app/${i}`);
    }
    const client = (account: string) => {
      const logs = new CloudWatchLogsClient({ region: REGION, credentials: env.aws.credentialsFor(account), maxAttempts: 1 });
      env.aws.attach(logs);
      return logs;
    };
    const one = client(ACCOUNT);
    const [a, b] = [client(ACCOUNT), client(other)];

    // Act
    const sameAccount = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => one.send(put(ACCOUNT, i))));
    await env.clock.sleep(2000);
    const twoAccounts = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? a.send(put(ACCOUNT, i)) : b.send(put(other, i)))));

    // Assess
    expect(sameAccount.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.name)).toEqual(['ThrottlingException']);
    expect(twoAccounts.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(env.aws.rateLimits.throttles()).toEqual({ 'CloudWatchLogs.PutSubscriptionFilter': 1 });
  });
});

describe("a client the simulator answers keeps the SDK's behaviour a caller sees", () => {
  it("retries a throttled call through the SDK's retry middleware and the simulator's loop, each attempt reaching the simulator", async () => {
    // Prepare
    const env = createOfflineEnvironment();
    env.state.addAccount({ id: ACCOUNT, name: ACCOUNT, regions: env.config.governedRegions });
    for (let i = 0; i < 6; i++) env.state.createLogGroup(ACCOUNT, REGION, `/app/${i}`);
    const logs = new CloudWatchLogsClient({
      region: REGION,
      credentials: env.aws.credentialsFor(ACCOUNT),
      retryStrategy: virtualClockRetry(env.clock, () => 0.5, { maxAttempts: 3 }),
    });
    env.aws.attach(logs);

    // Act
    const outputs = await env.clock.run(() => Promise.all(Array.from({ length: 6 }, (_, i) => logs.send(put(ACCOUNT, i)))));

    // Assess: the sixth was refused once by the quota, then sent again by the SDK.
    expect(outputs.map((output) => output.$metadata.attempts).sort()).toEqual([1, 1, 1, 1, 1, 2]);
    expect(env.aws.ledger.apiCalls()['CloudWatchLogs.PutSubscriptionFilter']).toBe(7);
    expect(env.aws.rateLimits.throttles()).toEqual({ 'CloudWatchLogs.PutSubscriptionFilter': 1 });
  });

  it('acts as whoever its credentials name at each call, when they change between calls', async () => {
    // Prepare: one client whose credentials provider hands out another account's keys after the first call.
    const env = createOfflineEnvironment();
    const other = '210987654321' as AccountId;
    for (const account of [ACCOUNT, other]) {
      env.state.addAccount({ id: account, name: account, regions: env.config.governedRegions });
      env.state.createLogGroup(account, REGION, `/app/of-${account}`);
    }
    let current = ACCOUNT;
    // Credentials that expire at once: the SDK asks its provider again for every call.
    const logs = new CloudWatchLogsClient({ region: REGION, credentials: async () => ({ ...env.aws.credentialsFor(current), expiration: new Date(0) }) });
    env.aws.attach(logs);

    // Act
    const names = await env.clock.run(async () => {
      const list = async () => ((await logs.send(new DescribeLogGroupsCommand({}))).logGroups ?? []).map((g) => g.logGroupName);
      const first = await list();
      current = other;
      return [first, await list()];
    });

    // Assess
    expect(names).toEqual([[`/app/of-${ACCOUNT}`], [`/app/of-${other}`]]);
  });

  it("paces a factory's member client with its rate limiter, so AWS refuses none of a burst", async () => {
    // Prepare
    const env = createOfflineEnvironment();
    env.state.addAccount({ id: ACCOUNT, name: ACCOUNT, regions: env.config.governedRegions });
    for (let i = 0; i < 12; i++) env.state.createLogGroup(ACCOUNT, REGION, `/app/${i}`);
    const factory = env.aws.clientFactory(env.config.accounts.orchestration, REGION);

    // Act
    await env.clock.run(async () => {
      const logs = await factory.logs(ACCOUNT, REGION);
      await Promise.all(Array.from({ length: 12 }, (_, i) => logs.send(put(ACCOUNT, i))));
    });

    // Assess
    expect(env.aws.ledger.apiCalls()['CloudWatchLogs.PutSubscriptionFilter']).toBe(12);
    expect(env.aws.rateLimits.throttles()).toEqual({});
  });

  it('refuses a bucket name with a slash in the client, as the SDK does, without a call', async () => {
    // Prepare
    const env = createOfflineEnvironment();
    const s3 = new S3Client({ region: REGION, credentials: env.aws.credentialsFor(env.config.accounts.logging) });
    env.aws.attach(s3);

    // Act
    const sent = env.clock.run(() => s3.send(new HeadObjectCommand({ Bucket: 'archive/../other', Key: 'k' })));

    // Assess
    await expect(sent).rejects.toThrow("Bucket name shouldn't contain '/'");
    expect(env.aws.ledger.apiCalls()).toEqual({});
  });
});
