/** The simulator decides member-role calls by the member role's policy, and tasks' own calls by their role's, as AWS does. */
import { DescribeDestinationsCommand, PutDestinationPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeAccountCommand } from '@aws-sdk/client-organizations';
import { DeleteFlowLogsCommand } from '@aws-sdk/client-ec2';
import { CreateMembersCommand } from '@aws-sdk/client-guardduty';
import { createOfflineEnvironment } from '../../sim/environment';
import { lambdaInvocation } from '../../sim/lambda-invocation';
import { LOCK_TABLE_NAME } from '../../tasks/lib/lease-lock';
import { memberAccountId } from '../../sim/scenario';
import type { Region } from '../../tasks/lib/domain';

const REGION = 'eu-west-1' as Region;

function member() {
  const env = createOfflineEnvironment();
  const account = memberAccountId(0);
  env.state.addAccount({ id: account, name: 'team', regions: [REGION] });
  return { env, account };
}

describe('member-role calls decided by the member role policy', () => {
  it('refuses writing a destination policy anywhere but the logging account', async () => {
    // Prepare
    const { env, account } = member();
    const logs = await env.context.clients.logs(account, REGION);

    // Act
    const call = env.clock.run(() => logs.send(new PutDestinationPolicyCommand({ destinationName: 'tributary-central-logging', accessPolicy: '{}' })));

    // Assess
    await expect(call).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining(`logs:PutDestinationPolicy on resource: arn:aws:logs:eu-west-1:${account}:destination:tributary-central-logging`) });
  });

  it('refuses deleting a flow log that is not tagged as Tributary’s', async () => {
    // Prepare: another team's flow log
    const { env, account } = member();
    const vpc = env.state.createVpc(account, REGION);
    const foreign = { FlowLogId: 'fl-network0000000001', ResourceId: vpc.VpcId, TrafficType: 'REJECT', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::network-team', LogFormat: '${version}', Tags: [{ Key: 'team', Value: 'network' }], CreationTime: 1 };
    env.state.accountRegion(account, REGION).flowLogs.set(foreign.FlowLogId, foreign);
    const ec2 = await env.context.clients.ec2(account, REGION);

    // Act
    const call = env.clock.run(() => ec2.send(new DeleteFlowLogsCommand({ FlowLogIds: [foreign.FlowLogId] })));

    // Assess
    await expect(call).rejects.toMatchObject({ name: 'UnauthorizedOperation' });
    expect(env.state.accountRegion(account, REGION).flowLogs.has(foreign.FlowLogId)).toBe(true);
  });

  it('refuses destination reads outside the logging account and GuardDuty administrator calls outside the administrator account', async () => {
    // Prepare
    const { env, account } = member();
    const logs = await env.context.clients.logs(account, REGION);
    const guardDuty = await env.context.clients.guardDuty(account, REGION);

    // Act
    const read = env.clock.run(() => logs.send(new DescribeDestinationsCommand({})));
    const invite = env.clock.run(() => guardDuty.send(new CreateMembersCommand({ DetectorId: 'd', AccountDetails: [{ AccountId: env.config.accounts.logging, Email: 'x@example.com' }] })));

    // Assess
    await expect(read).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('logs:DescribeDestinations') });
    await expect(invite).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('guardduty:CreateMembers') });
  });
});

describe('task-role calls decided by the task role policy (infra/task-permissions.ts)', () => {
  function asTask<T>(task: string, call: () => Promise<T>): Promise<T> {
    return lambdaInvocation.run({ terminated: false, task }, call);
  }

  it('refuses a task a call its permissions do not name, and allows the task that has it', async () => {
    // Prepare
    const { env, account } = member();
    const organizations = env.context.clients.organizations();

    // Act
    const refused = env.clock.run(() => asTask('CheckRegion', () => organizations.send(new DescribeAccountCommand({ AccountId: account }))));
    const allowed = env.clock.run(() => asTask('DescribeMemberAccount', () => organizations.send(new DescribeAccountCommand({ AccountId: account }))));

    // Assess
    await expect(refused).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining(`tributary-task-CheckRegion/tributary is not authorized to perform: organizations:DescribeAccount on resource: arn:aws:organizations::${env.config.accounts.management}:account/${env.config.organizationId}/${account}`) });
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
