import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { denyAllBut, onlyBreakGlassDestroys, tributaryKey } from './key-policy';
import { lockedBucketProps } from './locked-bucket';

export interface OrganizationTrailBucketProps {
  readonly bucketName: string;
  /** The trail that delivers here (the organization events stack creates it in the management account). */
  readonly trailArn: string;
  readonly managementAccount: string;
  readonly organizationId: string;
  /** Object Lock retention, COMPLIANCE mode. */
  readonly objectLockDays: number;
  readonly glacierAfterDays: number;
  readonly breakGlassRoleArn: string;
  /** Where the bucket's server access logs go (the archive's access-log bucket). */
  readonly accessLogs: s3.IBucket;
  /** @default `alias/tributary-organization-trail` */
  readonly keyAlias?: string;
}

export const ORGANIZATION_TRAIL_KEY_ALIAS = 'alias/tributary-organization-trail';

/**
 * Where the organization trail delivers (config `cloudTrail: "create"`), in the logging account:
 * a bucket with Object Lock in COMPLIANCE mode, versioning, its own rotating key, TLS only, no
 * public access, server access logs, and a policy that lets only that trail write, under the
 * prefixes CloudTrail uses for an organization trail
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html).
 */
export class OrganizationTrailBucket extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly key: kms.Key;

  public constructor(scope: Construct, id: string, props: OrganizationTrailBucketProps) {
    super(scope, id);
    const { partition } = Stack.of(this);
    const fromTheTrail = { StringEquals: { 'aws:SourceArn': props.trailArn } };
    const cloudTrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    this.key = tributaryKey(this, 'Key', 'Tributary organization trail: encrypts its log files', [
      onlyBreakGlassDestroys(props.breakGlassRoleArn),
      // CloudTrail encrypts each log file with a data key from this key, for the trail alone
      // (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html).
      new iam.PolicyStatement({
        sid: 'TheTrailEncryptsLogFiles',
        principals: [cloudTrail],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          ...fromTheTrail,
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${partition}:cloudtrail:*:${props.managementAccount}:trail/*` },
        },
      }),
      new iam.PolicyStatement({
        sid: 'TheTrailDescribesKey',
        principals: [cloudTrail],
        actions: ['kms:DescribeKey'],
        resources: ['*'],
        conditions: fromTheTrail,
      }),
    ]);
    this.key.addAlias(props.keyAlias ?? ORGANIZATION_TRAIL_KEY_ALIAS);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      ...lockedBucketProps({ key: this.key, objectLockDays: props.objectLockDays, accessLogs: props.accessLogs, accessLogsPrefix: 'organization-trail/' }),
      lifecycleRules: [
        {
          id: 'ToGlacier',
          transitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(props.glacierAfterDays) }],
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'TheTrailChecksAcl',
        principals: [cloudTrail],
        actions: ['s3:GetBucketAcl'],
        resources: [this.bucket.bucketArn],
        conditions: fromTheTrail,
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'TheTrailWrites',
        principals: [cloudTrail],
        actions: ['s3:PutObject'],
        // The management account's own log files, and every member's under the organization id.
        resources: [this.bucket.arnForObjects(`AWSLogs/${props.managementAccount}/*`), this.bucket.arnForObjects(`AWSLogs/${props.organizationId}/*`)],
        conditions: { StringEquals: { ...fromTheTrail.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' } },
      }),
    );
    this.bucket.addToResourcePolicy(
      denyAllBut(props.breakGlassRoleArn, {
        sid: 'OnlyRetentionDeletes',
        actions: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutBucketVersioning'],
        resources: [this.bucket.bucketArn, this.bucket.arnForObjects('*')],
      }),
    );
  }
}
