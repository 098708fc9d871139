import * as iam from 'aws-cdk-lib/aws-iam';

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
