import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { join } from 'path';
import { ORGANIZATION_ACCOUNTS_KEY } from '../../tasks/lib/organization-accounts';
import { ACCOUNTS_TABLE_VARIABLE, LOGGING_ACCOUNT_VARIABLE } from '../../tasks/process-log-records';
import { acknowledgePinnedRuntime, LAMBDA_RUNTIME, lambdaHeapOptions } from './runtime';

/**
 * What the two consumers of a region's stream (the archive's LogDeliveryStream and the SIEM's
 * SiemDeliveryStream) build alike: a record processor with its role, and the statements a Firehose
 * role needs to read the stream through that processor and log its errors. Functions, not
 * constructs: they add their resources to the caller's scope under the ids the archive's stream
 * has always had, so that a deployed stack keeps its resources.
 */

/**
 * Firehose's input buffer for a record processor, in MB of records (gzip): its smallest (0.2 to
 * 3 MB, https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html). Logs inflate 10
 * to 20 times, so larger buffers would render past the 6 MB response and re-ingest most batches.
 */
export const PROCESSOR_BUFFER_MB = 0.2;

/** The record processor's memory: a 64 MiB payload's rendering with room to spare. */
export const PROCESSOR_MEMORY_MB = 1536;

export interface RecordProcessorProps {
  /** The handler's file below `tasks/`. */
  readonly entry: string;
  readonly functionName: string;
  /** Physical name: the hub's table lets these roles read the organization's accounts. */
  readonly roleName: string;
  readonly description: string;
  readonly serviceName: string;
  readonly stream: kinesis.IStream;
  readonly streamKey: kms.IKey;
  readonly organizationAccountsTableArn: string;
  readonly loggingAccount: string;
  /** Variables besides the logging account, the accounts table and the heap. */
  readonly environment: Readonly<Record<string, string>>;
}

/** The processor (`Processor`), its log group (`ProcessorLogs`) and role (`ProcessorRole`): its own logs, re-ingestion, the organization's accounts. */
export function addRecordProcessor(scope: Construct, props: RecordProcessorProps): nodejs.NodejsFunction {
  const { account } = Stack.of(scope);
  const processorLogs = new logs.LogGroup(scope, 'ProcessorLogs', {
    logGroupName: `/aws/lambda/${props.functionName}`,
    retention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
  });
  const role = new iam.Role(scope, 'ProcessorRole', {
    roleName: props.roleName,
    description: props.description,
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': account } }),
  });
  role.addToPolicy(
    new iam.PolicyStatement({ sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [processorLogs.logGroupArn] }),
  );
  role.addToPolicy(new iam.PolicyStatement({ sid: 'ReingestToSourceStream', actions: ['kinesis:PutRecords'], resources: [props.stream.streamArn] }));
  role.addToPolicy(new iam.PolicyStatement({ sid: 'EncryptReingested', actions: ['kms:GenerateDataKey'], resources: [props.streamKey.keyArn] }));
  // The organization's accounts, published by the hub: one item of its table, nothing else.
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ReadOrganizationAccounts',
      actions: ['dynamodb:GetItem'],
      resources: [props.organizationAccountsTableArn],
      conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [ORGANIZATION_ACCOUNTS_KEY] } },
    }),
  );
  const processor = new nodejs.NodejsFunction(scope, 'Processor', {
    functionName: props.functionName,
    entry: join(__dirname, '..', '..', 'tasks', props.entry),
    handler: 'handler',
    runtime: LAMBDA_RUNTIME,
    architecture: lambda.Architecture.ARM_64,
    memorySize: PROCESSOR_MEMORY_MB,
    // Firehose waits at most 5 minutes for a transformation.
    timeout: Duration.minutes(5),
    role,
    logGroup: processorLogs,
    loggingFormat: lambda.LoggingFormat.JSON,
    environment: {
      NODE_OPTIONS: lambdaHeapOptions(PROCESSOR_MEMORY_MB),
      POWERTOOLS_SERVICE_NAME: props.serviceName,
      [LOGGING_ACCOUNT_VARIABLE]: props.loggingAccount,
      ...props.environment,
      [ACCOUNTS_TABLE_VARIABLE]: props.organizationAccountsTableArn,
    },
    bundling: { minify: true, sourceMap: true, target: 'node22' },
  });
  acknowledgePinnedRuntime(processor);
  return processor;
}

/** Firehose's error log group (`DeliveryLogs`) and stream (`DeliveryErrors`), as its CloudWatch logging options name them. */
export function addDeliveryLogs(scope: Construct, deliveryStreamName: string): { readonly logGroupName: string; readonly logStreamName: string } {
  const group = new logs.LogGroup(scope, 'DeliveryLogs', {
    logGroupName: `/aws/kinesisfirehose/${deliveryStreamName}`,
    retention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
  });
  const stream = new logs.LogStream(scope, 'DeliveryErrors', { logGroup: group, logStreamName: 'DestinationDelivery' });
  return { logGroupName: group.logGroupName, logStreamName: stream.logStreamName };
}

/** What a Firehose role needs to read the stream through its processor. */
export function allowStreamConsumer(
  role: iam.Role,
  props: { readonly stream: kinesis.IStream; readonly streamKey: kms.IKey; readonly processor: lambda.IFunction },
): void {
  const { region } = Stack.of(role);
  const allow = (sid: string, actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
    role.addToPolicy(new iam.PolicyStatement({ sid, actions, resources, ...(conditions ? { conditions } : {}) }));
  allow(
    'ReadSourceStream',
    ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetShardIterator', 'kinesis:GetRecords', 'kinesis:ListShards'],
    [props.stream.streamArn],
  );
  allow('DecryptSourceStream', ['kms:Decrypt'], [props.streamKey.keyArn], { StringEquals: { 'kms:ViaService': `kinesis.${region}.amazonaws.com` } });
  allow('RunRecordProcessor', ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration'], [props.processor.functionArn]);
}

/** What a Firehose role needs to log its delivery errors: added after its destination's statements, where the archive's role has always had it. */
export function allowDeliveryErrorLog(role: iam.Role, errors: ReturnType<typeof addDeliveryLogs>): void {
  const { account, region, partition } = Stack.of(role);
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'LogDeliveryErrors',
      actions: ['logs:PutLogEvents'],
      resources: [`arn:${partition}:logs:${region}:${account}:log-group:${errors.logGroupName}:log-stream:${errors.logStreamName}`],
    }),
  );
}

/** Firehose running `processor` on every buffer of records, retrying a failed invocation 3 times. */
export function processingConfiguration(processor: lambda.IFunction): firehose.CfnDeliveryStream.ProcessingConfigurationProperty {
  return {
    enabled: true,
    processors: [
      {
        type: 'Lambda',
        parameters: [
          { parameterName: 'LambdaArn', parameterValue: processor.functionArn },
          { parameterName: 'NumberOfRetries', parameterValue: '3' },
          { parameterName: 'BufferSizeInMBs', parameterValue: String(PROCESSOR_BUFFER_MB) },
          { parameterName: 'BufferIntervalInSeconds', parameterValue: '60' },
        ],
      },
    ],
  };
}
