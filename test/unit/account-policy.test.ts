/**
 * Subscription mode `account-policy`'s decisions (tasks/lib/account-policy.ts): the policy Tributary
 * writes, and whether the policy a member account holds sends a group where it should. That policy
 * lives in the member account, so a member (or a stolen credential there) may have written anything
 * into it: what is not Tributary's policy, exactly, covers nothing.
 */
import type { AccountPolicy } from '@aws-sdk/client-cloudwatch-logs';
import { accountPolicyFor, policyCovers } from '../../tasks/lib/account-policy';
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
  ])('%s: %s', (_name, policy, covers) => {
    expect(policyCovers(policy, desired, GROUP)).toBe(covers);
  });
});
