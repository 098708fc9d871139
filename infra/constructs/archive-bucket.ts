import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { denyAllBut, onlyBreakGlassDestroys, tributaryKey } from './key-policy';
import { lockedBucketProps } from './locked-bucket';
import { backfillWriterArn, backfillWriterBucketStatements } from '../backfill-writer-policy';

export interface ArchiveBucketProps {
  /** Default Object Lock retention, in COMPLIANCE mode: nobody can shorten it or delete a locked version. */
  readonly objectLockDays: number;
  /** Days after which objects move to Glacier Flexible Retrieval. */
  readonly glacierAfterDays: number;
  /** Exact ARNs (`aws:PrincipalArn`) of the only principals that may write objects: the Firehose delivery roles. */
  readonly writerArns: readonly string[];
  /** @default a name CloudFormation generates */
  readonly bucketName?: string;
  /** The only role that may delete or disable the key, or delete objects' versions. */
  readonly breakGlassRoleArn: string;
  /** The only principal that may write under digests/ (the digest writer). */
  readonly digestWriterArn: string;
  /**
   * Lets VPC Flow Logs of the organization's accounts deliver under `flow-logs/` (flow logs
   * destination `s3`). @default no log delivery: only the delivery roles write
   */
  readonly flowLogDelivery?: { readonly organizationId: string };
  /**
   * Lets the orchestration account's backfill role create `backfill-` objects under `logs/`, only if
   * absent (config `backfill`: infra/backfill-writer-policy.ts). @default no backfill writes
   */
  readonly backfillWriter?: { readonly orchestrationAccount: string };
}

/** VPC Flow Logs (and other vended logs) deliver to S3 as this service principal. */
const LOG_DELIVERY_SERVICE = 'delivery.logs.amazonaws.com';

/**
 * Where every log line ends: one bucket with a customer-managed key, versioning, Object Lock in
 * COMPLIANCE mode, TLS only, no public access, writes only by the delivery roles, a lifecycle to
 * Glacier, and server access logs in a bucket of their own. Only retention deletes: the key and
 * object versions yield to the break-glass role alone.
 */
export class ArchiveBucket extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly key: kms.Key;
  public readonly accessLogs: s3.Bucket;

  public constructor(scope: Construct, id: string, props: ArchiveBucketProps) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);
    const backfillWriter = props.backfillWriter && backfillWriterArn(partition, props.backfillWriter.orchestrationAccount);

    this.key = tributaryKey(this, 'Key', 'Tributary archive: encrypts every delivered log object', [
      onlyBreakGlassDestroys(props.breakGlassRoleArn),
      // Reading the archive is granted in IAM (an analyst role with s3:GetObject on the archive);
      // the key follows, through S3 only.
      new iam.PolicyStatement({
        sid: 'AccountDecryptsThroughS3',
        principals: [new iam.AccountRootPrincipal()],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com`, 'kms:CallerAccount': account } },
      }),
      new iam.PolicyStatement({
        sid: 'DeliveryRolesEncryptThroughS3',
        principals: [new iam.AccountRootPrincipal()],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: {
          ArnEquals: { 'aws:PrincipalArn': [...props.writerArns] },
          StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com`, 'kms:CallerAccount': account },
        },
      }),
      // S3 asks the key for a data key with the writer's own credentials: without this
      // statement the digest writer's IAM grant has no effect and every digest is refused
      // (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html).
      new iam.PolicyStatement({
        sid: 'DigestWriterEncryptsThroughS3',
        principals: [new iam.AccountRootPrincipal()],
        actions: ['kms:GenerateDataKey'],
        resources: ['*'],
        conditions: {
          ArnEquals: { 'aws:PrincipalArn': props.digestWriterArn },
          StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com`, 'kms:CallerAccount': account },
        },
      }),
      // The backfill writer is in the orchestration account: the key must name that account too.
      ...(props.backfillWriter && backfillWriter
        ? [
            new iam.PolicyStatement({
              sid: 'BackfillWriterEncryptsThroughS3',
              principals: [new iam.AccountPrincipal(props.backfillWriter.orchestrationAccount)],
              actions: ['kms:GenerateDataKey'],
              resources: ['*'],
              conditions: {
                ArnEquals: { 'aws:PrincipalArn': backfillWriter },
                StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com`, 'kms:CallerAccount': props.backfillWriter.orchestrationAccount },
              },
            }),
          ]
        : []),
      ...(props.flowLogDelivery
        ? [
            // The statement the VPC user guide asks of a customer managed key for flow logs to S3
            // (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html):
            // these actions, with no kms:ViaService, which it does not say the delivery goes through.
            new iam.PolicyStatement({
              sid: 'FlowLogDeliveryUsesTheKey',
              principals: [new iam.ServicePrincipal(LOG_DELIVERY_SERVICE)],
              actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
              resources: ['*'],
              conditions: { StringEquals: { 'aws:SourceOrgID': props.flowLogDelivery.organizationId } },
            }),
          ]
        : []),
    ]);

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      // Server access logs go only to a bucket without SSE-KMS default encryption and without
      // Object Lock (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html;
      // the S3 Tables logging page says "can't have S3 Object Lock enabled" outright). What keeps
      // the record instead: versioning, so an overwrite keeps the earlier version; a bucket policy
      // that lets no one but the break-glass role delete a log, a version of it, or suspend
      // versioning; and the SCP in docs/archive-protection.md against rewriting that policy.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        { expiration: Duration.days(Math.max(props.objectLockDays, 365)), noncurrentVersionExpiration: Duration.days(Math.max(props.objectLockDays, 365)) },
      ],
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    this.accessLogs.addToResourcePolicy(
      denyAllBut(props.breakGlassRoleArn, {
        sid: 'OnlyBreakGlassSuspendsVersioning',
        actions: ['s3:PutBucketVersioning'],
        resources: [this.accessLogs.bucketArn],
      }),
    );
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server access log bucket of the archive; logging it into itself would loop.',
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...(props.bucketName ? { bucketName: props.bucketName } : {}),
      ...lockedBucketProps({ key: this.key, objectLockDays: props.objectLockDays, accessLogs: this.accessLogs, accessLogsPrefix: 'archive/' }),
      lifecycleRules: [
        {
          id: 'ToGlacier',
          transitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(props.glacierAfterDays) }],
          noncurrentVersionTransitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(props.glacierAfterDays) }],
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    // Object Created events reach EventBridge, where the digest recorder takes them. Set on the
    // bucket itself: CDK's `eventBridgeEnabled` adds a custom-resource Lambda with a managed policy.
    (this.bucket.node.defaultChild as s3.CfnBucket).addPropertyOverride('NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled', true);
    for (const bucket of [this.bucket, this.accessLogs]) {
      // Delete markers would hide objects from readers; versions of the access logs carry no lock.
      // Only the lifecycle deletes, as S3 itself (no principal to deny).
      bucket.addToResourcePolicy(
        denyAllBut(props.breakGlassRoleArn, {
          sid: 'OnlyRetentionDeletes',
          actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
          resources: [bucket.arnForObjects('*')],
        }),
      );
    }
    this.bucket.addToResourcePolicy(
      denyAllBut(props.digestWriterArn, {
        sid: 'OnlyTheDigestWriterWritesDigests',
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('digests/*')],
      }),
    );
    this.bucket.addToResourcePolicy(
      denyAllBut([...props.writerArns, props.digestWriterArn, ...(backfillWriter ? [backfillWriter] : [])], {
        sid: 'OnlyDeliveryRolesWrite',
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('*')],
        // Log delivery has no principal ARN; it is let through only when it was granted below.
        ...(props.flowLogDelivery ? { conditions: { StringNotEqualsIfExists: { 'aws:PrincipalServiceName': LOG_DELIVERY_SERVICE } } } : {}),
      }),
    );
    if (props.backfillWriter) {
      for (const statement of backfillWriterBucketStatements(partition, this.bucket.bucketName, props.backfillWriter.orchestrationAccount)) {
        this.bucket.addToResourcePolicy(iam.PolicyStatement.fromJson(statement));
      }
    }
    if (props.flowLogDelivery) {
      const fromOrganization = { StringEquals: { 'aws:SourceOrgID': props.flowLogDelivery.organizationId } };
      this.bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'FlowLogDeliveryWrites',
          principals: [new iam.ServicePrincipal(LOG_DELIVERY_SERVICE)],
          actions: ['s3:PutObject'],
          resources: [this.bucket.arnForObjects('flow-logs/*')],
          conditions: { StringEquals: { ...fromOrganization.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' } },
        }),
      );
      this.bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'FlowLogDeliveryChecksAcl',
          principals: [new iam.ServicePrincipal(LOG_DELIVERY_SERVICE)],
          actions: ['s3:GetBucketAcl'],
          resources: [this.bucket.bucketArn],
          conditions: fromOrganization,
        }),
      );
    }
  }
}
