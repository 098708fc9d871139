import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { TributaryConfig } from '../../tasks/lib/config';
import { ArchiveBucket } from '../constructs/archive-bucket';
import { ArchiveDigests, DIGEST_WRITER_ROLE_NAME } from '../constructs/archive-digests';
import { ArchiveTables } from '../constructs/archive-tables';
import { HeartbeatMonitor } from '../constructs/heartbeat-monitor';
import { archiveBucketName, deliveryRoleArns, organizationTrailArn, organizationTrailBucketName } from '../../tasks/lib/resource-names';
import { OrganizationTrailBucket } from '../constructs/organization-trail-bucket';
import { MetricsSharingRole } from '../constructs/metrics-sharing-role';

export interface ArchiveStackProps extends StackProps {
  readonly config: TributaryConfig;
}

/** The logging account's archive, in the home region, and the heartbeat check over it. */
export class ArchiveStack extends Stack {
  public readonly archive: ArchiveBucket;

  public constructor(scope: Construct, id: string, props: ArchiveStackProps) {
    super(scope, id, props);
    const { config } = props;
    const breakGlass = `arn:${this.partition}:iam::${config.accounts.logging}:role/${config.archive.breakGlassRoleName}`;
    this.archive = new ArchiveBucket(this, 'Archive', {
      bucketName: archiveBucketName(config.accounts.logging, config.homeRegion),
      objectLockDays: config.retention.objectLockDays,
      glacierAfterDays: config.retention.glacierAfterDays,
      writerArns: deliveryRoleArns(this.partition, config.accounts.logging, config.governedRegions),
      breakGlassRoleArn: breakGlass,
      digestWriterArn: `arn:${this.partition}:iam::${config.accounts.logging}:role/${DIGEST_WRITER_ROLE_NAME}`,
      ...(config.flowLogs.enabled && config.flowLogs.destination === 's3' ? { flowLogDelivery: { organizationId: config.organizationId } } : {}),
      ...(config.backfill ? { backfillWriter: { orchestrationAccount: config.accounts.orchestration } } : {}),
    });
    if (config.cloudTrail === 'create') {
      new OrganizationTrailBucket(this, 'OrganizationTrail', {
        bucketName: organizationTrailBucketName(config.accounts.logging, config.homeRegion),
        trailArn: organizationTrailArn(this.partition, config.accounts.management),
        managementAccount: config.accounts.management,
        organizationId: config.organizationId,
        objectLockDays: config.retention.objectLockDays,
        glacierAfterDays: config.retention.glacierAfterDays,
        breakGlassRoleArn: breakGlass,
        accessLogs: this.archive.accessLogs,
      });
    }
    new ArchiveTables(this, 'Tables', {
      bucket: this.archive.bucket,
      regions: config.governedRegions,
      partitioning: config.archive.partitioning,
      accessLogs: this.archive.accessLogs,
    });
    const digests = new ArchiveDigests(this, 'Digests', {
      bucket: this.archive.bucket,
      bucketKey: this.archive.key,
      regions: config.governedRegions,
      breakGlassRoleArn: breakGlass,
      managementAccount: config.accounts.management,
      orchestrationAccount: config.accounts.orchestration,
    });
    new HeartbeatMonitor(this, 'Heartbeat', {
      bucket: this.archive.bucket,
      regions: config.governedRegions,
      loggingAccount: config.accounts.logging,
      partitioning: config.archive.partitioning,
    });
    // The hub's dashboard shows the data path's metrics from here (IAM is global: one role for every region).
    new MetricsSharingRole(this, 'MetricsSharing', { monitoringAccount: config.accounts.orchestration });
    new CfnOutput(this, 'ArchiveBucketName', { value: this.archive.bucket.bucketName });
    // Pin it: `tributary trusted-key --key <this ARN>` prints its fingerprint for archive.trustedDigestKey.
    new CfnOutput(this, 'DigestSigningKeyArn', {
      value: digests.signingKey.keyArn,
      description: 'Record this key and its fingerprint (tributary trusted-key) outside the logging account; verify trusts it alone',
    });
  }
}
