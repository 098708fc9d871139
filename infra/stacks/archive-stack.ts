import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { TributaryConfig } from '../config/schema';
import { ArchiveBucket } from '../constructs/archive-bucket';
import { archiveBucketName, deliveryRoleArnPattern } from '../names';

export interface ArchiveStackProps extends StackProps {
  readonly config: TributaryConfig;
}

/** The logging account's archive, in the home region. */
export class ArchiveStack extends Stack {
  public readonly archive: ArchiveBucket;

  public constructor(scope: Construct, id: string, props: ArchiveStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.archive = new ArchiveBucket(this, 'Archive', {
      bucketName: archiveBucketName(config.accounts.logging, config.homeRegion),
      objectLockDays: config.retention.objectLockDays,
      glacierAfterDays: config.retention.glacierAfterDays,
      writerArnPattern: deliveryRoleArnPattern(config.accounts.logging),
      ...(config.flowLogs.enabled && config.flowLogs.destination === 's3' ? { flowLogDelivery: { organizationId: config.organizationId } } : {}),
    });
    new CfnOutput(this, 'ArchiveBucketName', { value: this.archive.bucket.bucketName });
  }
}
