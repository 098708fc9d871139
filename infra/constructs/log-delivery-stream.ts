import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'path';
import { ARCHIVE_ERROR_PREFIX, archivePrefix, type ArchivePartitioning } from '../../tasks/lib/data-path/archive-layout';
import { ACCOUNTS_TABLE_VARIABLE, LOGGING_ACCOUNT_VARIABLE, PARTITIONING_VARIABLE } from '../../tasks/process-log-records';
import { ORGANIZATION_ACCOUNTS_KEY } from '../../tasks/lib/organization-accounts';
import { acknowledgePinnedRuntime, LAMBDA_RUNTIME, lambdaHeapOptions } from './runtime';

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
 * Firehose's input buffer for the record processor, in MB of records (gzip): its smallest (0.2 to
 * 3 MB, https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html). Logs inflate 10
 * to 20 times, so larger buffers would render past the 6 MB response and re-ingest most batches.
 */
export const PROCESSOR_BUFFER_MB = 0.2;

/** The record processor's memory: a 64 MiB payload's rendering with room to spare. */
export const PROCESSOR_MEMORY_MB = 1536;

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

    const processorLogs = new logs.LogGroup(this, 'ProcessorLogs', {
      logGroupName: `/aws/lambda/${props.processorName}`,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    const processorRole = new iam.Role(this, 'ProcessorRole', {
      roleName: props.processorRoleName,
      description: 'Tributary record processor: writes its logs and re-ingests records to the source stream',
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': account } }),
    });
    processorRole.addToPolicy(
      new iam.PolicyStatement({ sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${processorLogs.logGroupArn}`] }),
    );
    processorRole.addToPolicy(new iam.PolicyStatement({ sid: 'ReingestToSourceStream', actions: ['kinesis:PutRecords'], resources: [props.stream.streamArn] }));
    processorRole.addToPolicy(new iam.PolicyStatement({ sid: 'EncryptReingested', actions: ['kms:GenerateDataKey'], resources: [props.streamKey.keyArn] }));
    // The organization's accounts, published by the hub: one item of its table, nothing else.
    processorRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadOrganizationAccounts',
        actions: ['dynamodb:GetItem'],
        resources: [props.organizationAccountsTableArn],
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [ORGANIZATION_ACCOUNTS_KEY] } },
      }),
    );

    this.processor = new nodejs.NodejsFunction(this, 'Processor', {
      functionName: props.processorName,
      entry: join(__dirname, '..', '..', 'tasks', 'process-log-records.ts'),
      handler: 'handler',
      runtime: LAMBDA_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: PROCESSOR_MEMORY_MB,
      // Firehose waits at most 5 minutes for a transformation.
      timeout: Duration.minutes(5),
      role: processorRole,
      logGroup: processorLogs,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        NODE_OPTIONS: lambdaHeapOptions(PROCESSOR_MEMORY_MB),
        POWERTOOLS_SERVICE_NAME: 'tributary-record-processor',
        [LOGGING_ACCOUNT_VARIABLE]: props.loggingAccount,
        [PARTITIONING_VARIABLE]: props.partitioning,
        [ACCOUNTS_TABLE_VARIABLE]: props.organizationAccountsTableArn,
      },
      bundling: { minify: true, sourceMap: true, target: 'node22' },
    });
    acknowledgePinnedRuntime(this.processor);

    const firehoseLogs = new logs.LogGroup(this, 'DeliveryLogs', {
      logGroupName: `/aws/kinesisfirehose/${props.deliveryStreamName}`,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    const errorLogStream = new logs.LogStream(this, 'DeliveryErrors', { logGroup: firehoseLogs, logStreamName: 'DestinationDelivery' });

    this.role = new iam.Role(this, 'Role', {
      roleName: props.deliveryRoleName,
      description: 'Firehose reads the central stream, runs the processor and writes the archive',
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': account } }),
    });
    const allow = (sid: string, actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
      this.role.addToPolicy(new iam.PolicyStatement({ sid, actions, resources, ...(conditions ? { conditions } : {}) }));
    allow(
      'ReadSourceStream',
      ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetShardIterator', 'kinesis:GetRecords', 'kinesis:ListShards'],
      [props.stream.streamArn],
    );
    allow('DecryptSourceStream', ['kms:Decrypt'], [props.streamKey.keyArn], { StringEquals: { 'kms:ViaService': `kinesis.${region}.amazonaws.com` } });
    allow('RunRecordProcessor', ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration'], [this.processor.functionArn]);
    allow(
      'WriteArchive',
      ['s3:AbortMultipartUpload', 's3:GetBucketLocation', 's3:GetObject', 's3:ListBucket', 's3:ListBucketMultipartUploads', 's3:PutObject'],
      [bucketArn, `${bucketArn}/*`],
    );
    allow('EncryptArchive', ['kms:GenerateDataKey', 'kms:Decrypt'], [props.bucketKeyArn]);
    allow(
      'LogDeliveryErrors',
      ['logs:PutLogEvents'],
      [`arn:${partition}:logs:${region}:${account}:log-group:${firehoseLogs.logGroupName}:log-stream:${errorLogStream.logStreamName}`],
    );
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
        processingConfiguration: {
          enabled: true,
          processors: [
            {
              type: 'Lambda',
              parameters: [
                { parameterName: 'LambdaArn', parameterValue: this.processor.functionArn },
                { parameterName: 'NumberOfRetries', parameterValue: '3' },
                { parameterName: 'BufferSizeInMBs', parameterValue: String(PROCESSOR_BUFFER_MB) },
                { parameterName: 'BufferIntervalInSeconds', parameterValue: '60' },
              ],
            },
          ],
        },
        cloudWatchLoggingOptions: { enabled: true, logGroupName: firehoseLogs.logGroupName, logStreamName: errorLogStream.logStreamName },
      },
    });
    this.deliveryStream.node.addDependency(this.role);
  }
}
