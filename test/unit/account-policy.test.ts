/**
 * Subscription mode `account-policy`'s decisions (tasks/lib/account-policy.ts): the policy Tributary
 * writes, and whether the policy a member account holds sends a group where it should. That policy
 * lives in the member account, so a member (or a stolen credential there) may have written anything
 * into it: what is not Tributary's policy, exactly, covers nothing. Then ensuring the policy
 * against a stubbed member client: what it writes, when it writes nothing, and what it refuses.
 */
import { DescribeAccountPoliciesCommand, DescribeLogGroupsCommand, PutAccountPolicyCommand, type AccountPolicy } from '@aws-sdk/client-cloudwatch-logs';
import { accountPolicyFor, ensureAccountPolicy, policyCovers } from '../../tasks/lib/account-policy';
import { EXAMPLE_CONFIG_PATH, loadConfig } from '../../tasks/lib/config';
import type { TaskContext } from '../../tasks/lib/context';
import type { AccountId, Region } from '../../tasks/lib/domain';
import { InvalidInputError } from '../../tasks/lib/errors';
import { ACCOUNT_POLICY_NAME } from '../../tasks/lib/ownership';
import { desiredFilter } from '../../tasks/lib/subscription-filter';
import type { DesiredFilter } from '../../tasks/lib/subscription-plan';

const desired: DesiredFilter = {
  destinationArn: 'arn:aws:logs:eu-west-1:222222222222:destination:tributary-eu-west-1',
  filterPattern: '',
  roleArn: 'arn:aws:iam::123456789012:role/tributary-subscription',
  distribution: 'ByLogStream',
};
const GROUP = '/aws/lambda/orders';

/** The policy Tributary writes, as CloudWatch Logs gives it back. */
const written = (excluded: readonly string[] = [], wanted: DesiredFilter = desired): AccountPolicy => ({
  policyName: 'tributary',
  ...accountPolicyFor(wanted, excluded),
});

describe('the account policy Tributary writes', () => {
  it('sends everything to the destination when nothing is excluded, with no selection criteria', () => {
    // Act
    const policy = accountPolicyFor(desired, []);

    // Assess
    expect(policy).toEqual({
      policyDocument: JSON.stringify({ DestinationArn: desired.destinationArn, RoleArn: desired.roleArn, FilterPattern: '', Distribution: 'ByLogStream' }),
    });
  });

  it('excludes exact names, sorted, whatever order they were found in', () => {
    expect(accountPolicyFor(desired, ['/b', '/a"quoted', '/a']).selectionCriteria).toBe('LogGroupName NOT IN ["/a","/a\\"quoted","/b"]');
  });
});

describe('whether a member account policy covers a group', () => {
  it.each<[string, AccountPolicy | undefined, boolean]>([
    ['our policy', written(), true],
    ['our policy, excluding other groups', written(['/aws/lambda/other', '/tmp/x']), true],
    ['our policy, excluding this group', written(['/aws/lambda/other', GROUP]), false],
    ['no policy', undefined, false],
    ['a policy without a document', { policyName: 'tributary' }, false],
    ['a policy to another destination', written([], { ...desired, destinationArn: desired.destinationArn.replace('222222222222', '999999999999') }), false],
    ['a policy with a stale filter pattern', written([], { ...desired, filterPattern: 'ERROR' }), false],
    ['a policy with another role', written([], { ...desired, roleArn: 'arn:aws:iam::123456789012:role/other' }), false],
    ['a policy with another distribution', written([], { ...desired, distribution: 'Random' }), false],
    ['a document that is not JSON', { policyDocument: '{"DestinationArn":', selectionCriteria: undefined }, false],
    ['a document that is JSON null', { policyDocument: 'null' }, false],
    ['a document that is a list', { policyDocument: '[]' }, false],
    ['criteria whose list is not JSON', { ...written(), selectionCriteria: "LogGroupName NOT IN ['/aws/lambda/other']" }, false],
    ['criteria whose list holds other than names', { ...written(), selectionCriteria: 'LogGroupName NOT IN [{"name":"/aws/lambda/orders"}]' }, false],
    [
      'a document without a filter pattern (the empty pattern: every event), where every event is wanted',
      { policyDocument: JSON.stringify({ DestinationArn: desired.destinationArn, RoleArn: desired.roleArn, Distribution: desired.distribution }) },
      true,
    ],
    ['criteria whose list holds a name and a number', { ...written(), selectionCriteria: 'LogGroupName NOT IN ["/aws/lambda/other", 1]' }, false],
    ['criteria with no space before the list, excluding another group', { ...written(), selectionCriteria: 'LogGroupName NOT IN["/aws/lambda/other"]' }, true],
    ['criteria with spaces before the list, excluding this group', { ...written(), selectionCriteria: 'LogGroupName NOT IN   ["/aws/lambda/orders"]' }, false],
  ])('%s: %s', (_name, policy, covers) => {
    expect(policyCovers(policy, desired, GROUP)).toBe(covers);
  });
});

describe('ensuring the account policy in a member account-region', () => {
  const ACCOUNT = '123456789012' as AccountId;
  const REGION = 'eu-west-1' as Region;
  const config = loadConfig(EXAMPLE_CONFIG_PATH);
  const wanted = (excluded: readonly string[]) => accountPolicyFor(desiredFilter(config, ACCOUNT, REGION), excluded);

  /** A member's CloudWatch Logs: its log groups (two per page), its account policies, and the writes made to it. */
  function memberLogs(groups: readonly string[], policies: AccountPolicy[] = [], failures: Record<string, Error> = {}) {
    const puts: Array<Record<string, unknown>> = [];
    const send = async (command: { constructor: { name: string }; input: Record<string, any> }) => {
      const failure = failures[command.constructor.name];
      if (failure) throw failure;
      if (command instanceof DescribeLogGroupsCommand) {
        const start = Number(command.input.nextToken ?? 0);
        const next = start + 2 < groups.length ? { nextToken: String(start + 2) } : {};
        return { logGroups: groups.slice(start, start + 2).map((logGroupName) => ({ logGroupName })), ...next };
      }
      if (command instanceof DescribeAccountPoliciesCommand) return { accountPolicies: policies };
      if (command instanceof PutAccountPolicyCommand) return void puts.push({ ...command.input });
      throw new Error(`unexpected ${command.constructor.name}`);
    };
    const context = { config, clients: { logs: async () => ({ send }) } } as unknown as TaskContext;
    return { context, puts };
  }
  const denied = (name: string) => Object.assign(new Error(`not authorized to perform ${name}`), { name: 'AccessDeniedException', $fault: 'client' });

  it('puts the policy for every group, excluding by exact name the groups the config excludes', async () => {
    // Prepare
    const { context, puts } = memberLogs(['/aws/lambda/orders', '/aws/lambda/sandbox-a', '/dev/x/y', '/aws/lambda/sandbox-b', '/app']);

    // Act
    const outcome = await ensureAccountPolicy(context, ACCOUNT, REGION);

    // Assess
    expect(outcome).toEqual({ changed: true, excludedGroups: 3 });
    expect(puts).toEqual([
      {
        policyName: ACCOUNT_POLICY_NAME,
        policyType: 'SUBSCRIPTION_FILTER_POLICY',
        scope: 'ALL',
        ...wanted(['/aws/lambda/sandbox-a', '/dev/x/y', '/aws/lambda/sandbox-b']),
      },
    ]);
  });

  it('writes nothing when the policy of its name is already what it wants', async () => {
    // Prepare
    const { context, puts } = memberLogs(['/aws/lambda/orders', '/dev/a'], [{ policyName: ACCOUNT_POLICY_NAME, ...wanted(['/dev/a']) }]);

    // Act
    const outcome = await ensureAccountPolicy(context, ACCOUNT, REGION);

    // Assess
    expect(outcome).toEqual({ changed: false, excludedGroups: 1 });
    expect(puts).toEqual([]);
  });

  it.each<[string, AccountPolicy]>([
    ['another exclusion list', { policyName: ACCOUNT_POLICY_NAME, ...wanted([]), selectionCriteria: 'LogGroupName NOT IN ["/aws/lambda/orders"]' }],
    ['no exclusion list where one is wanted', { policyName: ACCOUNT_POLICY_NAME, policyDocument: wanted(['/dev/a']).policyDocument }],
    [
      'another destination',
      { policyName: ACCOUNT_POLICY_NAME, ...wanted(['/dev/a']), policyDocument: '{"DestinationArn":"arn:aws:logs:eu-west-1:999999999999:destination:x"}' },
    ],
    ["the wanted policy under another policy's name", { policyName: 'someone-elses', ...wanted(['/dev/a']) }],
  ])('puts the policy again over %s', async (_name, current) => {
    // Prepare
    const { context, puts } = memberLogs(['/aws/lambda/orders', '/dev/a'], [current]);

    // Act
    const outcome = await ensureAccountPolicy(context, ACCOUNT, REGION);

    // Assess
    expect(outcome).toEqual({ changed: true, excludedGroups: 1 });
    expect(puts.map(({ selectionCriteria, policyDocument }) => ({ selectionCriteria, policyDocument }))).toEqual([wanted(['/dev/a'])]);
  });

  it('excludes 50 groups, and refuses 51 naming config.logGroupExclusions, the count and the place, writing nothing', async () => {
    // Prepare
    const names = (n: number) => Array.from({ length: n }, (_, i) => `/dev/team-${i}`);
    const fifty = memberLogs(names(50));
    const fiftyOne = memberLogs(names(51));

    // Act
    const outcome = await ensureAccountPolicy(fifty.context, ACCOUNT, REGION);
    const refusal = ensureAccountPolicy(fiftyOne.context, ACCOUNT, REGION);

    // Assess
    expect(outcome).toEqual({ changed: true, excludedGroups: 50 });
    await expect(refusal).rejects.toThrow(InvalidInputError);
    await expect(refusal).rejects.toMatchObject({
      field: 'config.logGroupExclusions',
      message: expect.stringContaining(
        `match 51 log groups in ${ACCOUNT} ${REGION}; an account-level policy can exclude at most 50: use subscription mode "log-group"`,
      ),
    });
    expect(fiftyOne.puts).toEqual([]);
  });

  it.each([
    ['DescribeAccountPoliciesCommand', 'logs:DescribeAccountPolicies: AccessDeniedException'],
    ['PutAccountPolicyCommand', `logs:PutAccountPolicy ${ACCOUNT_POLICY_NAME} in 123456789012 eu-west-1: AccessDeniedException`],
  ])('names the call when %s is refused', async (command, named) => {
    // Prepare
    const { context } = memberLogs(['/aws/lambda/orders'], [], { [command]: denied(command) });

    // Act
    const run = ensureAccountPolicy(context, ACCOUNT, REGION);

    // Assess
    await expect(run).rejects.toThrow(named);
  });
});
