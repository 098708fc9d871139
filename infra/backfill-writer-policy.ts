/**
 * The backfill's writes into the archive (config `backfill`): the task BackfillLogGroups, in the
 * orchestration account, puts its objects into the logging account's archive bucket. Cross-account,
 * so its role's grant, the bucket's policy and the key's policy must each allow it
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html).
 * Only new objects named `backfill-` under `logs/`, and only with `If-None-Match`, so the writer can
 * neither overwrite nor write elsewhere (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes-enforce.html).
 * The principal is the account with the role's exact ARN as a condition: a key or bucket policy
 * naming a role of another account directly fails to deploy before that role exists.
 */
import type { StatementJson } from './member-role-policy';
import { taskRoleName } from './member-role-policy';

/** The keys a backfill writes (tasks/lib/backfill.ts `backfillObjectKey`). */
export const BACKFILL_OBJECT_PATTERN = 'logs/*/backfill-*.gz';

const ONLY_IF_ABSENT = { Null: { 's3:if-none-match': 'false' } };

export function backfillWriterArn(partition: string, orchestrationAccount: string): string {
  return `arn:${partition}:iam::${orchestrationAccount}:role/${taskRoleName('BackfillLogGroups')}`;
}

/**
 * What the writer does, on either side: create backfill objects only if absent; read its own back
 * (HeadObject, to learn whether a page was written before its Lambda stopped); list keys, without
 * which S3 answers HeadObject of a missing key with 403 instead of 404
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html).
 */
function backfillWrites(partition: string, bucketName: string): Array<Omit<StatementJson, 'Effect'>> {
  const objects = `arn:${partition}:s3:::${bucketName}/${BACKFILL_OBJECT_PATTERN}`;
  return [
    { Sid: 'CreateBackfillObjects', Action: ['s3:PutObject'], Resource: [objects], Condition: ONLY_IF_ABSENT },
    { Sid: 'ReadBackfillObjects', Action: ['s3:GetObject'], Resource: [objects] },
    { Sid: 'ListArchiveKeys', Action: ['s3:ListBucket'], Resource: [`arn:${partition}:s3:::${bucketName}`] },
  ];
}

/** The task role's side. */
export function backfillWriterStatements(partition: string, bucketName: string): StatementJson[] {
  return backfillWrites(partition, bucketName).map((s) => ({ ...s, Effect: 'Allow' }));
}

/** The bucket's side: the orchestration account's backfill role alone, by its exact ARN. */
export function backfillWriterBucketStatements(
  partition: string,
  bucketName: string,
  orchestrationAccount: string,
): Array<StatementJson & { readonly Principal: { readonly AWS: string } }> {
  return backfillWrites(partition, bucketName).map((s) => ({
    ...s,
    Sid: `BackfillWriter${s.Sid}`,
    Effect: 'Allow',
    Principal: { AWS: `arn:${partition}:iam::${orchestrationAccount}:root` },
    Condition: { ...(s.Condition ?? {}), ArnEquals: { 'aws:PrincipalArn': backfillWriterArn(partition, orchestrationAccount) } },
  }));
}
