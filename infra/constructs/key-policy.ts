import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/**
 * The account administers a key without the default `kms:*`: what the key encrypts, and for
 * whom, is granted in statements of its own.
 */
export function keyAdministration(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'AccountAdministersKey',
    principals: [new iam.AccountRootPrincipal()],
    actions: [
      'kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*',
      'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion',
    ],
    resources: ['*'],
  });
}

/** A customer-managed key as every Tributary key is: rotating, retained, administered as above, used as `usage` says. */
export function tributaryKey(scope: Construct, id: string, description: string, usage: readonly iam.PolicyStatement[]): kms.Key {
  return new kms.Key(scope, id, {
    description,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
    policy: new iam.PolicyDocument({ statements: [keyAdministration(), ...usage] }),
  });
}
