import { CfnOutput, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { Region } from '../../tasks/lib/domain';
import type { TributaryConfig } from '../../tasks/lib/config';
import { CentralLogDestination } from '../constructs/central-log-destination';
import { DATA_PATH_THRESHOLDS, dataPathMetrics } from '../constructs/data-path-metrics';
import { HeartbeatCanary } from '../constructs/heartbeat-canary';
import { LogDeliveryStream } from '../constructs/log-delivery-stream';
import {
  archiveBucketName,
  DELIVERY_STREAM_NAME,
  deliveryRoleName,
  processorRoleName,
  RECORD_PROCESSOR_NAME,
  SIEM_DELIVERY_STREAM_NAME,
  SIEM_PROCESSOR_NAME,
  siemProcessorRoleName,
  STREAM_NAME,
} from '../../tasks/lib/resource-names';
import { SiemDeliveryStream } from '../constructs/siem-delivery-stream';
import { LOCK_TABLE_NAME } from '../../tasks/lib/lease-lock';

export interface PipelineStackProps extends StackProps {
  readonly config: TributaryConfig;
  readonly region: Region;
  /** The archive's key (home region), referenced across regions through CDK's SSM-backed references. */
  readonly archiveKey: IKey;
}

/** One governed region's data path in the logging account: destination -> stream -> Firehose -> archive. */
export class PipelineStack extends Stack {
  public readonly destination: CentralLogDestination;
  public readonly delivery: LogDeliveryStream;
  /** The SIEM's consumer of the stream, when the config has `siem`. */
  public readonly siem?: SiemDeliveryStream;

  public constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.destination = new CentralLogDestination(this, 'Destination', {
      access: config.destinationAccess,
      organizationId: config.organizationId,
      streamRetentionHours: config.retention.streamHours,
      streamName: STREAM_NAME,
    });
    this.delivery = new LogDeliveryStream(this, 'Delivery', {
      stream: this.destination.stream,
      streamKey: this.destination.streamKey,
      bucketName: archiveBucketName(config.accounts.logging, config.homeRegion),
      bucketKeyArn: props.archiveKey.keyArn,
      deliveryRoleName: deliveryRoleName(props.region),
      deliveryStreamName: DELIVERY_STREAM_NAME,
      processorName: RECORD_PROCESSOR_NAME,
      processorRoleName: processorRoleName(props.region),
      organizationAccountsTableArn: `arn:${this.partition}:dynamodb:${config.homeRegion}:${config.accounts.orchestration}:table/${LOCK_TABLE_NAME}`,
      partitioning: config.archive.partitioning,
      loggingAccount: config.accounts.logging,
    });
    const canary = new HeartbeatCanary(this, 'Heartbeat', {
      streamArn: this.destination.stream.streamArn,
      deliveryRoleArn: this.destination.deliveryRole.roleArn,
    });
    canary.node.addDependency(this.destination.deliveryRole);
    Validations.of(this.delivery.deliveryStream).acknowledge({
      id: 'AwsSolutions-KDF1',
      reason:
        'Firehose server-side encryption does not apply to a Kinesis-stream source; the stream is KMS-encrypted and Firehose writes the archive with its KMS key.',
    });
    new CfnOutput(this, 'DestinationArn', { value: this.destination.destinationArn });
    if (config.siem) {
      this.siem = new SiemDeliveryStream(this, 'Siem', {
        stream: this.destination.stream,
        streamKey: this.destination.streamKey,
        siem: config.siem,
        deliveryStreamName: SIEM_DELIVERY_STREAM_NAME,
        processorName: SIEM_PROCESSOR_NAME,
        processorRoleName: siemProcessorRoleName(props.region),
        organizationAccountsTableArn: `arn:${this.partition}:dynamodb:${config.homeRegion}:${config.accounts.orchestration}:table/${LOCK_TABLE_NAME}`,
        loggingAccount: config.accounts.logging,
      });
    }

    // Delivery failures, stale data and a stream Firehose no longer keeps up with. The heartbeat
    // writes every minute, so a freshness metric that stops coming means the data path stopped:
    // those alarms treat missing data as breaching. A success ratio with no attempts is no failure.
    const metrics = dataPathMetrics(props.region);
    const alarm = (
      id: string,
      metric: cloudwatch.IMetric,
      threshold: number,
      comparisonOperator: cloudwatch.ComparisonOperator,
      missing: cloudwatch.TreatMissingData,
      description: string,
    ) =>
      new cloudwatch.Alarm(this, id, {
        metric,
        threshold,
        comparisonOperator,
        evaluationPeriods: 1,
        treatMissingData: missing,
        alarmDescription: `${props.region}: ${description}`,
      });
    const { BREACHING, NOT_BREACHING } = cloudwatch.TreatMissingData;
    alarm(
      'DeliveryFailures',
      metrics.deliverySuccess,
      1,
      cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      NOT_BREACHING,
      'Firehose failed to deliver to the archive',
    );
    alarm(
      'ProcessingFailures',
      metrics.processingSuccess,
      1,
      cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      NOT_BREACHING,
      'the record processor failed for a batch',
    );
    alarm(
      'DataFreshness',
      metrics.dataFreshness,
      DATA_PATH_THRESHOLDS.dataFreshnessSeconds,
      cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      BREACHING,
      'logs wait too long before reaching the archive, or nothing is delivered at all',
    );
    alarm(
      'IteratorAge',
      metrics.iteratorAge,
      DATA_PATH_THRESHOLDS.iteratorAgeMs,
      cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      BREACHING,
      config.siem
        ? "the slower of the stream's two consumers (the archive's Firehose or the SIEM's) falls behind, or reads nothing at all"
        : 'Firehose falls behind the central stream, or reads nothing at all',
    );
    if (config.siem) {
      alarm(
        'SiemDeliveryFailures',
        metrics.siemDeliverySuccess(config.siem.destination.type),
        1,
        cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        NOT_BREACHING,
        'Firehose failed to deliver to the SIEM; the batch is in the SIEM backup bucket (the archive is not affected)',
      );
    }
  }
}
