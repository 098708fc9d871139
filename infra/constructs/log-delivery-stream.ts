import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { ARCHIVE_ERROR_PREFIX, archivePrefix, type ArchivePartitioning } from '../../tasks/lib/data-path/archive-layout';
import { PARTITIONING_VARIABLE } from '../../tasks/process-log-records';
import { addDeliveryLogs, addRecordProcessor, allowDeliveryErrorLog, allowStreamConsumer, processingConfiguration } from './stream-consumer';

export interface LogDeliveryStreamProps {
  readonly stream: kinesis.IStream;
  readonly streamKey: kms.IKey;
  /** Name of the archive bucket (in the home region); fixed, so no cross-region reference is needed. */
  readonly bucketName: string;
  /** ARN of the archive bucket's key (in the home region). */
  readonly bucketKeyArn: string;
  /** Physical name of Firehose's role: the archive lets only these roles write. */
  readonly deliveryRoleName: string;
  readonly deliveryStreamName: string;
  readonly processorName: string;
  /** Physical name of the processor's role: the hub's table lets these roles read the organization's accounts. */
  readonly processorRoleName: string;
  /** The hub's table holding the organization's accounts (tasks/lib/organization-accounts.ts), read across accounts. */
  readonly organizationAccountsTableArn: string;
  /** The archive key's layout: the prefix, and the partition keys the processor returns. */
  readonly partitioning: ArchivePartitioning;
  /** The logging account, whose heartbeat group the processor recognises. */
  readonly loggingAccount: string;
}

/**
 * Firehose reading the central stream, running the record processor, and writing GZIP JSON lines
 * (`.gz`) into the archive under the prefix of its layout (archive-layout.ts); failed records go
 * under the error prefix. Its own errors are logged to CloudWatch Logs.
 */
export class LogDeliveryStream extends Construct {
  public readonly deliveryStream: firehose.CfnDeliveryStream;
  public readonly processor: nodejs.NodejsFunction;
  public readonly role: iam.Role;

  public constructor(scope: Construct, id: string, props: LogDeliveryStreamProps) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);
    const prefix = archivePrefix(region, props.partitioning);
    const bucketArn = `arn:${partition}:s3:::${props.bucketName}`;

    this.processor = addRecordProcessor(this, {
      entry: 'process-log-records.ts',
      functionName: props.processorName,
      roleName: props.processorRoleName,
      description: 'Tributary record processor: writes its logs and re-ingests records to the source stream',
      serviceName: 'tributary-record-processor',
      stream: props.stream,
      streamKey: props.streamKey,
      organizationAccountsTableArn: props.organizationAccountsTableArn,
      loggingAccount: props.loggingAccount,
      environment: { [PARTITIONING_VARIABLE]: props.partitioning },
    });
    const errors = addDeliveryLogs(this, props.deliveryStreamName);

    this.role = new iam.Role(this, 'Role', {
      roleName: props.deliveryRoleName,
      description: 'Firehose reads the central stream, runs the processor and writes the archive',
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': account } }),
    });
    allowStreamConsumer(this.role, { stream: props.stream, streamKey: props.streamKey, processor: this.processor });
    const allow = (sid: string, actions: string[], resources: string[]) => this.role.addToPolicy(new iam.PolicyStatement({ sid, actions, resources }));
    allow(
      'WriteArchive',
      ['s3:AbortMultipartUpload', 's3:GetBucketLocation', 's3:GetObject', 's3:ListBucket', 's3:ListBucketMultipartUploads', 's3:PutObject'],
      [bucketArn, `${bucketArn}/*`],
    );
    allow('EncryptArchive', ['kms:GenerateDataKey', 'kms:Decrypt'], [props.bucketKeyArn]);
    allowDeliveryErrorLog(this.role, errors);
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${props.bucketName}/*]`,
      reason: 'Firehose writes objects under every partition prefix of the archive bucket; object keys are not known in advance.',
    });

    this.deliveryStream = new firehose.CfnDeliveryStream(this, 'DeliveryStream', {
      deliveryStreamName: props.deliveryStreamName,
      deliveryStreamType: 'KinesisStreamAsSource',
      kinesisStreamSourceConfiguration: { kinesisStreamArn: props.stream.streamArn, roleArn: this.role.roleArn },
      extendedS3DestinationConfiguration: {
        bucketArn,
        roleArn: this.role.roleArn,
        prefix,
        errorOutputPrefix: ARCHIVE_ERROR_PREFIX,
        compressionFormat: 'GZIP',
        fileExtension: '.gz',
        // Dynamic partitioning needs a buffer of at least 64 MB.
        bufferingHints: { sizeInMBs: 64, intervalInSeconds: 60 },
        encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: props.bucketKeyArn } },
        dynamicPartitioningConfiguration: { enabled: true, retryOptions: { durationInSeconds: 300 } },
        processingConfiguration: processingConfiguration(this.processor),
        cloudWatchLoggingOptions: { enabled: true, ...errors },
      },
    });
    this.deliveryStream.node.addDependency(this.role);
  }
}
