import { Duration } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * What every record-keeping bucket of Tributary's is (the archive, the organization trail's): its
 * own KMS key with S3 Bucket Keys, versioning, Object Lock in COMPLIANCE mode for `objectLockDays`,
 * no public access, TLS only, owner-enforced objects, and server access logs under `accessLogsPrefix`.
 */
export function lockedBucketProps(props: {
  readonly key: kms.IKey;
  readonly objectLockDays: number;
  readonly accessLogs: s3.IBucket;
  readonly accessLogsPrefix: string;
}): s3.BucketProps {
  return {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: props.key,
    bucketKeyEnabled: true,
    versioned: true,
    objectLockEnabled: true,
    objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(props.objectLockDays)),
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: props.accessLogs,
    serverAccessLogsPrefix: props.accessLogsPrefix,
  };
}
