import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/** What ends a key's data: deleting or disabling the key (or its imported material) crypto-shreds everything it encrypts. */
export const KEY_DESTRUCTION_ACTIONS = ['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:DeleteImportedKeyMaterial'] as const;

/**
 * The account administers a key without the default `kms:*`: what the key encrypts, and for
 * whom, is granted in statements of its own.
 */
export function keyAdministration(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'AccountAdministersKey',
    principals: [new iam.AccountRootPrincipal()],
    actions: [
      'kms:Create*',
      'kms:Describe*',
      'kms:Enable*',
      'kms:List*',
      'kms:Put*',
      'kms:Update*',
      'kms:Revoke*',
      'kms:Disable*',
      'kms:Get*',
      'kms:Delete*',
      'kms:TagResource',
      'kms:UntagResource',
      'kms:ScheduleKeyDeletion',
      'kms:CancelKeyDeletion',
    ],
    resources: ['*'],
  });
}

/**
 * Nobody but the break-glass role may delete or disable the key (an explicit Deny wins over any
 * IAM grant, https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html). A key
 * administrator could still rewrite the policy (kms:PutKeyPolicy, which CloudFormation needs for
 * updates): the organization SCP in docs/archive-protection.md closes that.
 */
export function onlyBreakGlassDestroys(breakGlassRoleArn: string): iam.PolicyStatement {
  return denyAllBut(breakGlassRoleArn, { sid: 'OnlyBreakGlassDeletesOrDisablesKey', actions: [...KEY_DESTRUCTION_ACTIONS], resources: ['*'] });
}

/**
 * A resource-policy Deny of `actions` to every principal whose ARN is not one of `principalArns`
 * (plus any `conditions` that narrow it further): how the archive's keys and buckets reserve an
 * action to named roles, whatever IAM grants elsewhere.
 */
export function denyAllBut(
  principalArns: string | readonly string[],
  statement: {
    readonly sid: string;
    readonly actions: readonly string[];
    readonly resources: readonly string[];
    readonly conditions?: Record<string, unknown>;
  },
): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: statement.sid,
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: [...statement.actions],
    resources: [...statement.resources],
    conditions: { ArnNotEquals: { 'aws:PrincipalArn': typeof principalArns === 'string' ? principalArns : [...principalArns] }, ...statement.conditions },
  });
}

/** A customer-managed key as every Tributary key is: rotating, retained, administered as above, used as `usage` says. */
export function tributaryKey(scope: Construct, id: string, description: string, usage: readonly iam.PolicyStatement[]): kms.Key {
  return new kms.Key(scope, id, {
    description,
    enableKeyRotation: true,
    // Retained, except when the stack that created it fails its first deployment (nothing to keep yet).
    removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    policy: new iam.PolicyDocument({ statements: [keyAdministration(), ...usage] }),
  });
}
