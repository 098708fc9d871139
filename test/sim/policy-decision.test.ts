/**
 * Decisions are remembered for the process (sim/policy-decision.ts): a remembered decision must
 * still be the one AWS would make, so every input that decides one keeps two requests apart. Each
 * question is first asked where it is allowed, so that decision is remembered, then with one input
 * changed.
 */
import { decide, type ApplicablePolicies, type PolicyDocument, type PolicyRequest } from '../../sim/policy-decision';

const CALLER = '111111111111';
const OTHER = '333333333333';
const ROLE = `arn:aws:iam::${CALLER}:role/tributary-member`;
const GROUP = `arn:aws:logs:us-east-1:${CALLER}:log-group:/app/orders:*`;

const document = (...Statement: unknown[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
const allow = (Action: string, Resource: string, Condition?: unknown) => ({ Effect: 'Allow', Action, Resource, ...(Condition ? { Condition } : {}) });
const deny = (Action: string, Resource: string) => ({ Effect: 'Deny', Action, Resource });

const request: PolicyRequest = { principal: ROLE, action: 'logs:PutSubscriptionFilter', resource: GROUP, resourceAccount: CALLER };
const allowed: ApplicablePolicies = { identity: [document(allow('logs:PutSubscriptionFilter', '*'))] };

/** Asks `first`, which must be allowed, then `then`: the second decision. */
async function afterAllowed(first: [PolicyRequest, ApplicablePolicies], then: [PolicyRequest, ApplicablePolicies]): Promise<string> {
  expect(await decide(...first)).toBe('Allowed');
  return decide(...then);
}

describe('remembered policy decisions', () => {
  it('decides again, not from memory, when a policy differs', async () => {
    // Act
    const decisions = {
      identity: await afterAllowed([request, allowed], [request, { identity: [document(allow('logs:DescribeLogGroups', '*'))] }]),
      session: await afterAllowed([request, allowed], [request, { ...allowed, session: document(allow('logs:DescribeLogGroups', '*')) }]),
      scp: await afterAllowed([request, allowed], [request, { ...allowed, scps: [[document(allow('*', '*'), deny('logs:PutSubscriptionFilter', '*'))]] }]),
    };

    // Assess
    expect(decisions).toEqual({ identity: 'ImplicitlyDenied', session: 'ImplicitlyDenied', scp: 'ExplicitlyDenied' });
  });

  it('decides again, not from memory, when the request differs', async () => {
    // Prepare
    const groupOnly = { identity: [document(allow('logs:PutSubscriptionFilter', GROUP))] };
    const fromOurs = { identity: [document(allow('logs:PutSubscriptionFilter', '*', { StringEquals: { 'aws:PrincipalOrgID': 'o-ours' } }))] };
    const noGrant = { ...allowed, resource: document() };

    // Act
    const decisions = {
      action: await afterAllowed([request, allowed], [{ ...request, action: 'logs:DeleteSubscriptionFilter' }, allowed]),
      resource: await afterAllowed([request, groupOnly], [{ ...request, resource: `arn:aws:logs:us-east-1:${CALLER}:log-group:/tributary/own:*` }, groupOnly]),
      context: await afterAllowed(
        [{ ...request, context: { 'aws:PrincipalOrgID': 'o-ours' } }, fromOurs],
        [{ ...request, context: { 'aws:PrincipalOrgID': 'o-other' } }, fromOurs],
      ),
      // The same group ARN, owned by another account: its (empty) policy must allow the caller too.
      resourceAccount: await afterAllowed([request, noGrant], [{ ...request, resourceAccount: OTHER }, noGrant]),
    };

    // Assess
    expect(decisions).toEqual({ action: 'ImplicitlyDenied', resource: 'ImplicitlyDenied', context: 'ImplicitlyDenied', resourceAccount: 'ImplicitlyDenied' });
  });

  it('tells apart a resource policy that grants from one that does not, and the principal it grants from another', async () => {
    // Prepare
    const crossAccount = { ...request, resource: GROUP.replace(CALLER, OTHER), resourceAccount: OTHER };
    const grants = { ...allowed, resource: document({ Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'logs:PutSubscriptionFilter', Resource: '*' }) };

    // Act
    const decisions = {
      withoutGrant: await afterAllowed([crossAccount, grants], [crossAccount, { ...allowed, resource: document() }]),
      anotherPrincipal: await afterAllowed([crossAccount, grants], [{ ...crossAccount, principal: `arn:aws:iam::${CALLER}:role/someone-else` }, grants]),
    };

    // Assess
    expect(decisions).toEqual({ withoutGrant: 'ImplicitlyDenied', anotherPrincipal: 'ImplicitlyDenied' });
  });
});
