/** The simulator decides member-role calls by the member role's policy, and tasks' own calls by their role's, as AWS does. */
import {
  DescribeDestinationsCommand,
  DescribeLogGroupsCommand,
  DescribeSubscriptionFiltersCommand,
  PutDestinationPolicyCommand,
  PutSubscriptionFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { accountListDestinationPolicy } from '../../tasks/lib/destination-policy';
import { destinationArn, DESTINATION_NAME, memberRoleNameFor } from '../../tasks/lib/ownership';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeAccountCommand } from '@aws-sdk/client-organizations';
import { DeleteFlowLogsCommand } from '@aws-sdk/client-ec2';
import { CreateMembersCommand } from '@aws-sdk/client-guardduty';
import { createOfflineEnvironment } from '../../sim/environment';
import { DECIDED_BY_INPUT, IamAuthorizer, iamRequests } from '../../sim/iam-authorizer';
import type { PolicyDocument } from '../../sim/policy-decision';
import { lambdaInvocation } from '../../workflows/local/lambda-invocation';
import { LOCK_TABLE_NAME } from '../../tasks/lib/lease-lock';
import { memberAccountId } from '../../sim/scenario';
import type { AccountId, Region } from '../../tasks/lib/domain';

const REGION = 'eu-west-1' as Region;

function member() {
  const env = createOfflineEnvironment();
  const account = memberAccountId(0);
  env.state.addAccount({ id: account, name: 'team', regions: [REGION] });
  return { env, account };
}

/** `call` as `task`'s Lambda makes it. */
function asTask<T>(task: string, call: () => Promise<T>): Promise<T> {
  return lambdaInvocation.run({ terminated: false, task }, call);
}

/** SubscribeLogGroup's member role subscribes `/app` of `account` to `destination`. */
function subscribeToDestination(env: ReturnType<typeof createOfflineEnvironment>, account: AccountId, destination: string): Promise<unknown> {
  return asTask('SubscribeLogGroup', () =>
    env
      .contextFor('SubscribeLogGroup')
      .clients.logs(account, REGION)
      .then((logs) =>
        logs.send(
          new PutSubscriptionFilterCommand({
            logGroupName: '/app',
            filterName: 'tributary-central-logging',
            filterPattern: '',
            destinationArn: destination,
            roleArn: `arn:aws:iam::${account}:role/TributaryLogsDelivery`,
          }),
        ),
      ),
  );
}

describe("member-role calls decided by the task's own member role policy", () => {
  it.each([
    ['s3', ['logs:DeleteLogDelivery *']],
    ['cloud-watch-logs', []],
  ])('asks DeleteFlowLogs of a flow log to %s for the log delivery permissions too', (LogDestinationType, extra) => {
    // Prepare
    const { env, account } = member();
    const flowLog = { FlowLogId: 'fl-0000000000000001', ResourceId: 'vpc-1', TrafficType: 'ALL', LogDestinationType, LogFormat: '', Tags: [], CreationTime: 1 };
    env.state.accountRegion(account, REGION).flowLogs.set(flowLog.FlowLogId, flowLog);

    // Act
    const requests = iamRequests('EC2', 'DeleteFlowLogs', { FlowLogIds: ['fl-unknown', flowLog.FlowLogId] }, account, REGION, env.state);

    // Assess
    expect(requests.map((r) => `${r.action} ${r.resource}`)).toEqual([
      `ec2:DeleteFlowLogs arn:aws:ec2:${REGION}:${account}:vpc-flow-log/fl-unknown`,
      `ec2:DeleteFlowLogs arn:aws:ec2:${REGION}:${account}:vpc-flow-log/${flowLog.FlowLogId}`,
      ...extra,
    ]);
  });

  it.each([
    ['PutAccountPolicy', 'logs:PutSubscriptionFilter'],
    ['DescribeAccountPolicies', 'logs:DescribeSubscriptionFilters'],
    ['DeleteAccountPolicy', 'logs:DeleteSubscriptionFilter'],
  ])('asks %s of a subscription filter policy for %s on the log groups too, as AWS does, and not of another policy type', (operation, action) => {
    // Prepare
    const { env, account } = member();
    const requests = (policyType: string) =>
      iamRequests('CloudWatchLogs', operation, { policyName: 'p', policyType, policyDocument: '{}' }, account, REGION, env.state).map(
        (r) => `${r.action} ${r.resource}`,
      );

    // Act
    const subscription = requests('SUBSCRIPTION_FILTER_POLICY');
    const dataProtection = requests('DATA_PROTECTION_POLICY');

    // Assess
    expect(subscription).toEqual([`logs:${operation} *`, `${action} arn:aws:logs:${REGION}:${account}:log-group:*`]);
    expect(dataProtection).toEqual([`logs:${operation} *`]);
  });

  it('refuses writing a destination policy anywhere but the logging account', async () => {
    // Prepare
    const { env, account } = member();
    const logs = await env.contextFor('EnsureDestinationAccess').clients.logs(account, REGION);

    // Act
    const call = env.clock.run(() => logs.send(new PutDestinationPolicyCommand({ destinationName: 'tributary-central-logging', accessPolicy: '{}' })));

    // Assess
    await expect(call).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(`logs:PutDestinationPolicy on resource: arn:aws:logs:eu-west-1:${account}:destination:tributary-central-logging`),
    });
  });

  it('answers a request decided before as it did the first time, refused or allowed, in the same order as the calls', async () => {
    // Prepare: the second of each pair is answered from the decisions already made.
    const { env, account } = member();
    const logs = await env.contextFor('SubscribeLogGroup').clients.logs(account, REGION);
    const refused = () => logs.send(new PutDestinationPolicyCommand({ destinationName: 'tributary-central-logging', accessPolicy: '{}' }));
    const allowed = () => logs.send(new DescribeLogGroupsCommand({}));

    // Act
    const outcomes = await env.clock.run(async () => {
      const settle = (call: () => Promise<unknown>) =>
        call().then(
          () => 'allowed',
          (error: Error) => error.message,
        );
      return [await settle(refused), await settle(allowed), await settle(refused), await settle(allowed)];
    });

    // Assess
    const denial = expect.stringContaining(`not authorized to perform: logs:PutDestinationPolicy on resource: arn:aws:logs:eu-west-1:${account}:destination:`);
    expect(outcomes).toEqual([denial, 'allowed', denial, 'allowed']);
    expect(env.aws.ledger.apiCalls()).toEqual({ 'STS.AssumeRole': 1, 'CloudWatchLogs.DescribeLogGroups': 2 });
  });

  it("answers a call decided before for each role on its own, in every account of the same kind, and names each denied call's own resource", async () => {
    // Prepare: SubscribeLogGroup's member role may read a group's filters; EnsureEventForwarding's may not.
    const { env, account } = member();
    const other = memberAccountId(1);
    env.state.addAccount({ id: other, name: 'other team', regions: [REGION] });
    const readFilters = async (task: string, inAccount: AccountId) => {
      const logs = await env.contextFor(task as 'SubscribeLogGroup').clients.logs(inAccount, REGION);
      return logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: '/app' })).then(
        () => 'allowed',
        (error: Error) => error.message,
      );
    };

    // Act: each role in one account, then in the other, where the decisions are known already.
    const outcomes = await env.clock.run(async () => [
      await readFilters('SubscribeLogGroup', account),
      await readFilters('EnsureEventForwarding', account),
      await readFilters('SubscribeLogGroup', other),
      await readFilters('EnsureEventForwarding', other),
    ]);

    // Assess: the group does not exist, so an allowed call reaches the service and is told so.
    const notFound = expect.stringContaining('does not exist');
    const denied = (inAccount: AccountId) =>
      expect.stringMatching(
        new RegExp(
          `^User: arn:aws:sts::${inAccount}:assumed-role/${memberRoleNameFor(env.config.memberRoleName, 'EnsureEventForwarding')}/tributary is not authorized to perform: logs:DescribeSubscriptionFilters on resource: arn:aws:logs:${REGION}:${inAccount}:log-group:/app$`,
        ),
      );
    expect(outcomes).toEqual([notFound, denied(account), notFound, denied(other)]);
  });

  it.each(Object.entries(DECIDED_BY_INPUT))(
    'builds the requests of %s from its deciding field (%j) alone, whatever else the input and the organization hold',
    (operation, field) => {
      // Prepare: another account of the same kind, other input fields, and state the other operations read (a destination policy, flow logs).
      const { env, account } = member();
      const other = memberAccountId(1);
      env.state.addAccount({ id: other, name: 'other team', regions: [REGION] });
      const [service, action] = operation.split('.') as [string, string];
      const noise = (n: number) => ({
        destinationArn: destinationArn(env.config.accounts.logging, REGION),
        roleArn: `arn:aws:iam::${account}:role/role-${n}`,
        FlowLogIds: [`fl-${n}`],
        Name: `rule-${n}`,
        Rule: `rule-${n}`,
        Targets: [{ Id: 'hub', RoleArn: `arn:aws:iam::${account}:role/events-${n}` }],
        ResourceIds: [`vpc-${n}`],
        LogDestinationType: n === 1 ? 's3' : 'cloud-watch-logs',
        destinationName: `destination-${n}`,
        TrailName: `trail-${n}`,
        policyType: n === 1 ? 'SUBSCRIPTION_FILTER_POLICY' : 'DATA_PROTECTION_POLICY',
        logGroupNamePrefix: `/p${n}`,
      });
      const requests = (inAccount: string, input: Record<string, unknown>) =>
        JSON.stringify(iamRequests(service, action, input, inAccount, REGION, env.state)).replaceAll(inAccount, '<account>');
      const decided = (value: string, n: number) => (field === '' ? noise(n) : { ...noise(n), [field]: value });

      // Act
      const first = requests(account, decided('/app', 1));
      env.state.accountRegion(env.config.accounts.logging, REGION).destinations.get(DESTINATION_NAME)!.accessPolicy = '{"Statement":[]}';
      const again = requests(other, decided('/app', 2));
      const otherValue = requests(account, decided('/other', 1));

      // Assess
      expect(again).toBe(first);
      if (field !== '') expect(otherValue).not.toBe(first);
    },
  );

  it('refuses deleting a flow log that is not tagged as Tributary’s', async () => {
    // Prepare: another team's flow log
    const { env, account } = member();
    const vpc = env.state.createVpc(account, REGION);
    const foreign = {
      FlowLogId: 'fl-network0000000001',
      ResourceId: vpc.VpcId,
      TrafficType: 'REJECT',
      LogDestinationType: 's3',
      LogDestination: 'arn:aws:s3:::network-team',
      LogFormat: '${version}',
      Tags: [{ Key: 'team', Value: 'network' }],
      CreationTime: 1,
    };
    env.state.accountRegion(account, REGION).flowLogs.set(foreign.FlowLogId, foreign);
    const ec2 = await env.contextFor('EnableFlowLogs').clients.ec2(account, REGION);

    // Act
    const call = env.clock.run(() => ec2.send(new DeleteFlowLogsCommand({ FlowLogIds: [foreign.FlowLogId] })));

    // Assess
    await expect(call).rejects.toMatchObject({ name: 'UnauthorizedOperation' });
    expect(env.state.accountRegion(account, REGION).flowLogs.has(foreign.FlowLogId)).toBe(true);
  });

  it('refuses destination reads outside the logging account and GuardDuty administrator calls outside the administrator account', async () => {
    // Prepare
    const { env, account } = member();
    const logs = await env.contextFor('EnsureDestinationAccess').clients.logs(account, REGION);
    const guardDuty = await env.contextFor('EnsureGuardDuty').clients.guardDuty(account, REGION);

    // Act
    const read = env.clock.run(() => logs.send(new DescribeDestinationsCommand({})));
    const invite = env.clock.run(() =>
      guardDuty.send(new CreateMembersCommand({ DetectorId: 'd', AccountDetails: [{ AccountId: env.config.accounts.logging, Email: 'x@example.com' }] })),
    );

    // Assess
    await expect(read).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('logs:DescribeDestinations') });
    await expect(invite).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('guardduty:CreateMembers') });
  });
});

describe('IamAuthorizer.deniedCall', () => {
  const HUB = '111111111111';
  const policy = (Statement: object[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
  const authorizer = (statements: object[]) =>
    new IamAuthorizer({
      policyFor: () => policy(statements),
      taskPolicyFor: () => policy([]),
      hubAccount: HUB,
      organizationId: 'o-exampleorgid',
      specialAccounts: [],
      memberRoleTrust: () => undefined,
      hubBus: { arn: `arn:aws:events:${REGION}:${HUB}:event-bus/hub`, account: HUB, policy: policy([]) },
      hold: () => undefined,
    });

  it('answers from the values it allowed without building the requests again, but not a value that only reads as one, and another authorizer given them decides for itself', async () => {
    // Prepare: one authorizer allows reading filters, one allows nothing.
    const { env, account } = member();
    const allowing = authorizer([{ Effect: 'Allow', Action: 'logs:DescribeSubscriptionFilters', Resource: '*' }]);
    const refusing = authorizer([]);
    const decidedBy = allowing.decidedByInput('CloudWatchLogs.DescribeSubscriptionFilters', account, REGION, 'role');
    const input = { logGroupName: '/app' };
    const requests = () => iamRequests('CloudWatchLogs', 'DescribeSubscriptionFilters', input, account, REGION, env.state);

    // Act
    const first = await allowing.deniedCall(decidedBy, input, account, 'role', requests);
    const again = allowing.deniedCall(decidedBy, input, account, 'role', () => {
      throw new Error('requests built again');
    });
    let built = 0;
    const lookalike = { logGroupName: { toString: () => '/app' } };
    const notAString = await allowing.deniedCall(decidedBy, lookalike, account, 'role', () => {
      built++;
      return iamRequests('CloudWatchLogs', 'DescribeSubscriptionFilters', lookalike, account, REGION, env.state);
    });
    const byAnother = await refusing.deniedCall(decidedBy, input, account, 'role', requests);

    // Assess
    expect(first).toBeUndefined();
    expect(again).toBeUndefined();
    expect([notAString, built]).toEqual([undefined, 1]);
    expect(byAnother).toMatchObject({ action: 'logs:DescribeSubscriptionFilters', resource: `arn:aws:logs:${REGION}:${account}:log-group:/app` });
  });
});

describe('task-role calls decided by the task role policy (infra/task-permissions.ts)', () => {
  it('refuses a task a call its permissions do not name, and allows the task that has it', async () => {
    // Prepare
    const { env, account } = member();
    const organizations = env.context.clients.organizations();

    // Act
    const refused = env.clock.run(() => asTask('CheckRegion', () => organizations.send(new DescribeAccountCommand({ AccountId: account }))));
    const allowed = env.clock.run(() => asTask('DescribeMemberAccount', () => organizations.send(new DescribeAccountCommand({ AccountId: account }))));

    // Assess
    await expect(refused).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(
        `tributary-task-CheckRegion/tributary is not authorized to perform: organizations:DescribeAccount on resource: arn:aws:organizations::${env.config.accounts.management}:account/${env.config.organizationId}/${account}`,
      ),
    });
    await expect(allowed).resolves.toMatchObject({ Account: { Id: account } });
  });

  it('keeps each task to its own keys of the lock table', async () => {
    // Prepare
    const { env } = member();
    const dynamo = env.context.clients.dynamo();
    const put = (key: string) => new PutItemCommand({ TableName: LOCK_TABLE_NAME, Item: { pk: { S: key }, owner: { S: 'test' } } });

    // Act
    const intoReconcileRecords = env.clock.run(() => asTask('EnsureDestinationAccess', () => dynamo.send(put('reconcile/run-1'))));
    const intoItsOwn = env.clock.run(() => asTask('AcquireReconcileLease', () => dynamo.send(put('reconcile/run-1'))));

    // Assess
    await expect(intoReconcileRecords).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('dynamodb:PutItem') });
    await expect(intoItsOwn).resolves.toBeDefined();
  });
});

describe('resource policies decided with the caller’s grant', () => {
  it("refuses AssumeRole of a member role to a task role its trust policy does not name, though the task's own grant allows it", async () => {
    // Prepare: the baseline's trust of SubscribeLogGroupsPage's member role, naming another task role instead.
    const { env, account } = member();
    const roleName = memberRoleNameFor(env.config.memberRoleName, 'SubscribeLogGroupsPage');
    const trust = env.aws.authorizer!.memberRoleTrust(roleName) as unknown as {
      Statement: Array<{ Condition: { ArnEquals: { 'aws:PrincipalArn': string } } }>;
    };
    const logGroups = () =>
      asTask('SubscribeLogGroupsPage', () =>
        env
          .contextFor('SubscribeLogGroupsPage')
          .clients.logs(account, REGION)
          .then((logs) => logs.send(new DescribeLogGroupsCommand({}))),
      );
    const before = await env.clock.run(logGroups);
    trust.Statement[0]!.Condition.ArnEquals['aws:PrincipalArn'] = `arn:aws:iam::${env.config.accounts.orchestration}:role/tributary-task-CheckBaselineRole`;

    // Act
    const other = memberAccountId(1);
    env.state.addAccount({ id: other, name: 'other', regions: [REGION] });
    const after = env.clock.run(() =>
      asTask('SubscribeLogGroupsPage', () =>
        env
          .contextFor('SubscribeLogGroupsPage')
          .clients.logs(other, REGION)
          .then((logs) => logs.send(new DescribeLogGroupsCommand({}))),
      ),
    );

    // Assess
    expect(before).toBeDefined();
    // AWS answers a refused trust as it answers a role not yet there: AccessDenied, which the client factory reads as not ready.
    await expect(after).rejects.toMatchObject({
      name: 'BaselineRoleNotReady',
      cause: { name: 'AccessDenied', message: expect.stringContaining(`sts:AssumeRole on resource: arn:aws:iam::${other}:role/${roleName}`) },
    });
  });

  it("refuses a task role another task's member role: stolen credentials of one task cannot do another's job", async () => {
    // Prepare: CheckBaselineRole's credentials, pointed at SubscribeLogGroup's member role.
    const { env, account } = member();
    const stolen = env.aws.clientFactory(
      env.config.accounts.orchestration,
      env.config.homeRegion,
      memberRoleNameFor(env.config.memberRoleName, 'SubscribeLogGroup'),
    );

    // Act
    const call = env.clock.run(() => asTask('CheckBaselineRole', () => stolen.logs(account, REGION)));

    // Assess
    await expect(call).rejects.toMatchObject({
      name: 'BaselineRoleNotReady',
      cause: {
        name: 'AccessDenied',
        message: expect.stringContaining(
          `tributary-task-CheckBaselineRole/tributary is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${account}:role/${env.config.memberRoleName}-SubscribeLogGroup`,
        ),
      },
    });
  });

  it("decides a subscription by a policy that lists one account for each account: the listed account's decision does not carry over", async () => {
    // Prepare: an account-list destination that lists the first account only.
    const base = createOfflineEnvironment();
    const env = createOfflineEnvironment({ config: { ...base.config, destinationAccess: 'account-list' } });
    const [listed, unlisted] = [memberAccountId(0), memberAccountId(1)];
    for (const account of [listed, unlisted]) {
      env.state.addAccount({ id: account, name: account, regions: [REGION] });
      env.state.createLogGroup(account, REGION, '/app');
    }
    const destination = destinationArn(env.config.accounts.logging, REGION);
    env.state.accountRegion(env.config.accounts.logging, REGION).destinations.get(DESTINATION_NAME)!.accessPolicy = JSON.stringify(
      accountListDestinationPolicy(destination, [listed]),
    );
    const put = (account: string) => () => subscribeToDestination(env, account as AccountId, destination);

    // Act
    const allowed = await env.clock.run(put(listed));
    const refused = env.clock.run(put(unlisted));

    // Assess
    expect(allowed).toBeDefined();
    await expect(refused).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining(`on resource: ${destination}`) });
  });

  it("refuses a subscription to the destination when the destination's access policy does not list the account", async () => {
    // Prepare: an account-list destination that lists another account only.
    const base = createOfflineEnvironment();
    const env = createOfflineEnvironment({ config: { ...base.config, destinationAccess: 'account-list' } });
    const account = memberAccountId(0);
    env.state.addAccount({ id: account, name: 'team', regions: [REGION] });
    env.state.createLogGroup(account, REGION, '/app');
    const destination = destinationArn(env.config.accounts.logging, REGION);
    env.state.accountRegion(env.config.accounts.logging, REGION).destinations.get(DESTINATION_NAME)!.accessPolicy = JSON.stringify(
      accountListDestinationPolicy(destination, [memberAccountId(1)]),
    );
    const put = () => subscribeToDestination(env, account, destination);

    // Act
    const refused = env.clock.run(put);
    await refused.catch(() => undefined);
    env.state.accountRegion(env.config.accounts.logging, REGION).destinations.get(DESTINATION_NAME)!.accessPolicy = JSON.stringify(
      accountListDestinationPolicy(destination, [account]),
    );
    const allowed = env.clock.run(put);

    // Assess
    await expect(refused).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(`logs:PutSubscriptionFilter on resource: ${destination}`),
    });
    await expect(allowed).resolves.toBeDefined();
  });
});
