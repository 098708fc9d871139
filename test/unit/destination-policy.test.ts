/**
 * The destination's access policy, read and written: the exact documents written, and what a read
 * takes as granted, with principals and conditions an attacker or a hand edit would write.
 */
import { accountListDestinationPolicy, accountsInPolicy, grantsOrganization, organizationDestinationPolicy } from '../../tasks/lib/destination-policy';
import type { AccountId, OrganizationId } from '../../tasks/lib/domain';

const ARN = 'arn:aws:logs:eu-west-1:222222222222:destination:tributary-central-logging';
const ORG = 'o-exampleorg1' as OrganizationId;
const doc = (...Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const allow = (principal: unknown, extra: object = {}) => ({
  Effect: 'Allow',
  Principal: principal,
  Action: 'logs:PutSubscriptionFilter',
  Resource: ARN,
  ...extra,
});

describe('destination policy documents', () => {
  it('grants the organization with its id as the only condition', () => {
    expect(organizationDestinationPolicy(ARN, ORG)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'TributaryOrganizationMembers',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['logs:PutSubscriptionFilter', 'logs:PutAccountPolicy'],
          Resource: ARN,
          Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } },
        },
      ],
    });
  });

  it('lists accounts sorted, without changing the list it was given', () => {
    // Prepare
    const accounts = ['333333333333', '111111111111', '222222222222'] as AccountId[];

    // Act
    const policy = accountListDestinationPolicy(ARN, accounts);

    // Assess
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'TributaryMemberAccounts',
          Effect: 'Allow',
          Principal: { AWS: ['111111111111', '222222222222', '333333333333'] },
          Action: ['logs:PutSubscriptionFilter', 'logs:PutAccountPolicy'],
          Resource: ARN,
        },
      ],
    });
    expect(accounts).toEqual(['333333333333', '111111111111', '222222222222']);
  });
});

describe('accountsInPolicy', () => {
  it.each<[string, string | undefined, string[]]>([
    ['no policy', undefined, []],
    ['an empty policy', '', []],
    [
      'ids and root ARNs, sorted, each once',
      doc(allow({ AWS: ['333333333333', 'arn:aws:iam::111111111111:root', '333333333333'] })),
      ['111111111111', '333333333333'],
    ],
    ['a root ARN of another partition', doc(allow({ AWS: 'arn:aws-us-gov:iam::444444444444:root' })), ['444444444444']],
    ['a single principal as a string', doc(allow({ AWS: '555555555555' })), ['555555555555']],
    ['a Deny statement', doc({ ...allow({ AWS: '555555555555' }), Effect: 'Deny' }), []],
    ['a wildcard principal string', doc(allow('*')), []],
    ['a statement without AWS principals', doc(allow({ Service: 'logs.amazonaws.com' })), []],
    ['a role ARN, not the account', doc(allow({ AWS: 'arn:aws:iam::666666666666:role/Admin' })), []],
    ['a root ARN with a suffix', doc(allow({ AWS: 'arn:aws:iam::666666666666:rootkit' })), []],
    ['a root ARN with a prefix', doc(allow({ AWS: 'xarn:aws:iam::666666666666:root' })), []],
    ['an id with a prefix', doc(allow({ AWS: 'x666666666666' })), []],
    ['an id with a suffix', doc(allow({ AWS: '666666666666x' })), []],
    ['11 digits', doc(allow({ AWS: '66666666666' })), []],
    ['an ARN with 11 digits', doc(allow({ AWS: 'arn:aws:iam::66666666666:root' })), []],
    ['an ARN with letters for digits', doc(allow({ AWS: 'arn:aws:iam::abcdefghijkl:root' })), []],
    ['an ARN whose partition has a space', doc(allow({ AWS: 'arn:aws x:iam::666666666666:root' })), []],
    ['one statement (not a list)', JSON.stringify({ Statement: allow({ AWS: '777777777777' }) }), ['777777777777']],
  ])('%s', (_, policy, expected) => {
    expect(accountsInPolicy(policy)).toEqual(expected);
  });

  it('reads back exactly the accounts it wrote', () => {
    const accounts = ['999999999999', '100000000001'] as AccountId[];
    expect(accountsInPolicy(JSON.stringify(accountListDestinationPolicy(ARN, accounts)))).toEqual(['100000000001', '999999999999']);
  });
});

describe('grantsOrganization', () => {
  it.each<[string, string | undefined, boolean]>([
    ['the policy it writes', JSON.stringify(organizationDestinationPolicy(ARN, ORG)), true],
    ['no policy', undefined, false],
    ['another organization', JSON.stringify(organizationDestinationPolicy(ARN, 'o-otherorg123' as OrganizationId)), false],
    ['the organization in a list of two', doc(allow('*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': ['o-otherorg123', ORG] } } })), true],
    ['a Deny with the organization', doc(allow('*', { Effect: 'Deny', Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } })), false],
    ['only PutAccountPolicy', doc(allow('*', { Action: 'logs:PutAccountPolicy', Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } })), false],
    ['no condition at all', doc(allow('*')), false],
    ['the id under StringLike', doc(allow('*', { Condition: { StringLike: { 'aws:PrincipalOrgID': ORG } } })), false],
    ['another key', doc(allow('*', { Condition: { StringEquals: { 'aws:PrincipalAccount': ORG } } })), false],
    ['an account list', JSON.stringify(accountListDestinationPolicy(ARN, ['111111111111' as AccountId])), false],
  ])('%s: %s', (_, policy, expected) => {
    expect(grantsOrganization(policy, ORG)).toBe(expected);
  });
});
