/**
 * One role, one job (issue #18): every task's member role, decided by the simulator, refuses at
 * least one action of every other task's, unless the two do the same job (listed below, with why).
 * Every other refusal the simulator decides is the same one AWS would: the role's own policy.
 */
import { join } from 'path';
import { EXAMPLE_CONFIG_PATH, loadConfig } from '../../tasks/lib/config';
import { memberRoles, planRoleGrants, planRoleName, type Grant } from '../../infra/member-role-policy';
import type { IamRequest } from '../../sim/iam-authorizer';
import { createOfflineEnvironment } from '../../sim/environment';
import { memberAccountId } from '../../sim/scenario';
import type { TaskName } from '../../tasks/registry';

/** Pairs of tasks one of which may hold every action of the other, because they do the same job. */
const SAME_JOB: ReadonlyArray<readonly [TaskName, TaskName, string]> = [
  ['SubscribeLogGroup', 'SubscribeLogGroupsPage', 'subscription filters: the log group just created, or a page of them'],
  ['SubscribeLogGroup', 'EnsureAccountPolicy', 'the account-level subscription policy: a new excluded group joins its exclusions'],
  [
    'SubscribeLogGroupsPage',
    'EnsureAccountPolicy',
    "a subscription filter policy's writer needs the subscription-filter permissions on the log groups (API_PutAccountPolicy), though not on the destination",
  ],
  ['EnableFlowLogs', 'EnsureFlowLogsPage', 'flow logs: the VPC just created, or a page of them'],
  [
    'EnsureDestinationAccess',
    'ReconcileDestinationAccess',
    'the reconcile reads the destination policies whose intents it records; the one writer reads and writes them',
  ],
  ['ReconcileDestinationAccess', 'FindDepartedAccounts', 'both only read the destination policies'],
  ['OffboardRegion', 'FindDepartedAccounts', 'FindDepartedAccounts reads only what offboarding reads: destination policies and GuardDuty members'],
];

const sameJob = (a: TaskName, b: TaskName) => SAME_JOB.find(([x, y]) => (x === a && y === b) || (x === b && y === a))?.[2];

/** A request the statement allows: a concrete resource for each wildcard, and the context its conditions ask for. */
function requestFor(grant: Grant, action: string): { request: IamRequest; account?: string } {
  const resource = grant.statement.Resource[0]!.replace(/^(arn:aws:[a-z0-9-]+):\*:/, '$1:eu-west-1:')
    .replace(/log-group:\*$/, 'log-group:/app/orders')
    .replace(/vpc\/\*$/, 'vpc/vpc-0123456789abcdef0')
    .replace(/vpc-flow-log\/\*$/, 'vpc-flow-log/fl-0123456789abcdef0')
    .replace(/guardduty\.amazonaws\.com\/\*$/, 'guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty');
  const context: Record<string, string> = {};
  let account: string | undefined;
  for (const [key, value] of Object.entries(grant.statement.Condition?.StringEquals ?? {})) {
    const first = [value].flat()[0]!;
    if (key === 'aws:PrincipalAccount') account = first;
    else context[key] = first;
  }
  return { request: { action, resource, context }, ...(account ? { account } : {}) };
}

const ACCOUNT_LIST_EXAMPLE = join(__dirname, '..', '..', 'infra', 'config', 'tributary.account-list.example.json');

describe.each([
  ['the example config', EXAMPLE_CONFIG_PATH],
  ['the account-list example config', ACCOUNT_LIST_EXAMPLE],
])("each task's member role, with %s", (_name, path) => {
  const env = createOfflineEnvironment({ config: loadConfig(path) });
  const member = memberAccountId(0);
  env.state.addAccount({ id: member, name: 'team', regions: env.config.governedRegions });
  const roles = memberRoles(env.config, { partition: 'aws', account: member });
  const working = roles.filter((role) => role.grants.length > 0);

  it.each(roles.map((role) => [role.task, role] as const))('%s is refused an action of every other task that works in member accounts', async (_task, role) => {
    // Prepare
    const own = new Set(role.grants.flatMap((grant) => grant.statement.Action));
    const outcome: Record<string, string> = {};
    const expected: Record<string, string> = {};

    // Act: for each other task, the first of its actions this role holds no statement for, decided for both roles.
    for (const other of working.filter((candidate) => candidate.task !== role.task)) {
      const same = sameJob(role.task, other.task);
      expected[other.task] = 'refused';
      const [first] = other.grants.flatMap((grant) => grant.statement.Action.filter((action) => !own.has(action)).map((action) => requestFor(grant, action)));
      if (!first) {
        outcome[other.task] = same ? 'refused' : 'nothing: this role may do everything the other may';
        continue;
      }
      const account = first.account ?? member;
      const deniedToThis = await env.aws.authorizer!.denied([first.request], account, role.roleName);
      const deniedToOther = await env.aws.authorizer!.denied([first.request], account, other.roleName);
      outcome[other.task] =
        deniedToThis && !deniedToOther
          ? 'refused'
          : `${first.request.action} on ${first.request.resource}: ${deniedToThis ? 'refused' : 'allowed'} to this role, ${deniedToOther ? 'refused' : 'allowed'} to ${other.task}'s`;
    }

    // Assess
    expect(outcome).toEqual(expected);
  });
});

describe.each([
  ['the example config', EXAMPLE_CONFIG_PATH],
  ['the account-list example config', ACCOUNT_LIST_EXAMPLE],
])('the read-only plan role, with %s', (_name, path) => {
  const env = createOfflineEnvironment({ config: loadConfig(path) });
  const member = memberAccountId(0);
  env.state.addAccount({ id: member, name: 'team', regions: env.config.governedRegions });
  const writes = memberRoles(env.config, { partition: 'aws', account: member }).flatMap((role) =>
    role.grants.flatMap((grant) =>
      grant.statement.Action.filter((action) => !/:(Describe|List|Get)/.test(action)).map((action) => ({ task: role.task, ...requestFor(grant, action) })),
    ),
  );

  it('holds no write action of any task', () => {
    const actions = planRoleGrants(env.config, { partition: 'aws', account: member }).flatMap((grant) => grant.statement.Action);
    expect(actions.filter((action) => !/^[a-z0-9-]+:(Describe|List|Get)[A-Za-z]*$/.test(action))).toEqual([]);
  });

  it('is refused, through the simulator, every write every task may make', async () => {
    // Act
    const allowed: string[] = [];
    for (const { task, request, account } of writes) {
      if (!(await env.aws.authorizer!.denied([request], account ?? member, planRoleName(env.config))))
        allowed.push(`${task}: ${request.action} on ${request.resource}`);
    }

    // Assess
    expect(writes.length).toBeGreaterThan(10);
    expect(allowed).toEqual([]);
  });
});
