/**
 * One request decided the way AWS decides it, from every policy that applies: the caller's
 * identity policies, its session policy, the resource's own policy (a KMS key policy, a bucket
 * policy, a destination or bus policy, a role's trust policy) and the SCPs of the caller's
 * account (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
 * The evaluation is @cloud-copilot/iam-simulate's, which models the services whose resource policy
 * must grant even a same-account caller: KMS (a key policy is required, an IAM grant alone has no
 * effect: https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html) and
 * role trust (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html).
 *
 * @cloud-copilot/iam-simulate is AGPL-3.0: a development dependency of the offline world only,
 * never bundled into a Lambda.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { createHash } from 'crypto';

export type PolicyDocument = { readonly Version: string; readonly Statement: readonly unknown[] };

export interface PolicyRequest {
  /** The calling principal's ARN (a role's ARN, or a service principal such as `logs.amazonaws.com`). */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** The account that owns the resource. */
  readonly resourceAccount: string;
  readonly context?: Readonly<Record<string, string | string[]>>;
}

export interface ApplicablePolicies {
  readonly identity?: readonly PolicyDocument[];
  readonly session?: PolicyDocument;
  /** The resource's own policy. */
  readonly resource?: PolicyDocument;
  /** SCPs of the caller's account, one list per level from the root down. */
  readonly scps?: readonly (readonly PolicyDocument[])[];
}

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** Policies parsed from their text, which every subscription reads again (a destination's access policy). */
const parsed = new Map<string, PolicyDocument>();
const PARSED_POLICIES_KEPT = 1000;

/** A policy document from its JSON text, parsed once; never to be modified. */
export function parsePolicyText(text: string): PolicyDocument {
  let policy = parsed.get(text);
  if (!policy) {
    policy = JSON.parse(text) as PolicyDocument;
    if (parsed.size >= PARSED_POLICIES_KEPT) parsed.clear();
    parsed.set(text, policy);
  }
  return policy;
}

/**
 * Decisions already made in this process, by a digest of everything that decides them (the request
 * and every policy's text): each offline organization asks the same questions of the same
 * policies, and an evaluation costs about a millisecond (a third of a typical simulated test's CPU).
 */
const decided = new Map<string, Promise<Decision>>();
const DECISIONS_KEPT = 20_000;

export function decide(request: PolicyRequest, policies: ApplicablePolicies): Promise<Decision> {
  const { principal, action, resource, resourceAccount, context } = request;
  const { identity, session, resource: held, scps } = policies;
  const key = createHash('sha256')
    .update(JSON.stringify([principal, action, resource, resourceAccount, context ?? {}, identity ?? [], session ?? null, held ?? null, scps ?? []]))
    .digest('base64');
  let decision = decided.get(key);
  if (!decision) {
    decision = evaluate(request, policies);
    if (decided.size >= DECISIONS_KEPT) decided.clear();
    decided.set(key, decision);
    // A failed evaluation is asked again, not remembered.
    decision.catch(() => decided.delete(key));
  }
  return decision;
}

async function evaluate(request: PolicyRequest, policies: ApplicablePolicies): Promise<Decision> {
  const result = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: request.resourceAccount },
        contextVariables: { ...request.context },
      },
      identityPolicies: (policies.identity ?? []).map((policy, i) => ({ name: `identity-${i}`, policy })),
      ...(policies.session ? { sessionPolicy: policies.session } : {}),
      ...(policies.resource ? { resourcePolicy: policies.resource } : {}),
      serviceControlPolicies: (policies.scps ?? []).map((level, i) => ({
        orgIdentifier: `level-${i}`,
        policies: level.map((policy, j) => ({ name: `scp-${i}-${j}`, policy })),
      })),
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === 'error')
    throw new Error(`simulator: policy evaluation of ${request.action} on ${request.resource} failed: ${JSON.stringify(result.errors).slice(0, 400)}`);
  return result.overallResult as Decision;
}
