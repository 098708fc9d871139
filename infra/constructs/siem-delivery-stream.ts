import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { SiemConfig } from '../../tasks/lib/config';
import { SIEM_VIEW_VARIABLE, type SiemView } from '../../tasks/process-siem-records';
import { addDeliveryLogs, addRecordProcessor, allowDeliveryErrorLog, allowStreamConsumer, processingConfiguration } from './stream-consumer';

export interface SiemDeliveryStreamProps {
  /** The region's central stream, which the archive's Firehose also reads. */
  readonly stream: kinesis.IStream;
  readonly streamKey: kms.IKey;
  readonly siem: SiemConfig;
  readonly deliveryStreamName: string;
  readonly processorName: string;
  /** Physical name of the processor's role: the hub's table lets these roles read the organization's accounts. */
  readonly processorRoleName: string;
  readonly organizationAccountsTableArn: string;
  readonly loggingAccount: string;
}

/**
 * Where a delivery that failed after every retry lands, with Firehose's reason in each record
 * (`http-endpoint-failed`, `splunk-failed`, `elasticsearch-failed`, `processing-failed`):
 * https://docs.aws.amazon.com/firehose/latest/dev/retry.html.
 */
export const SIEM_BACKUP_PREFIX = 'siem-backup/!{timestamp:yyyy/MM/dd/HH}/';
export const SIEM_FAILED_PREFIX = 'siem-failed/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/';

/** Firehose delivers to the SIEM at least every minute, or at 1 MB, whichever comes first. */
const SIEM_BUFFER = { intervalInSeconds: 60, sizeInMBs: 1 };
/** Failed deliveries wait here for `tributary replay` or a person; the archive keeps every record anyway. */
const BACKUP_DAYS = 35;

/**
 * The second consumer of a region's stream: its own Firehose, role and processor, delivering the
 * SIEM's share to the configured destination, and what fails after every retry to its own backup
 * bucket. Nothing here can write the archive (the archive's bucket and key admit only the archive's
 * delivery roles), and a SIEM outage never holds the archive's Firehose: each reads the stream on
 * its own (Kinesis keeps every record for `retention.streamHours`, which `siem.maxOutageHours` may
 * not exceed).
 */
export class SiemDeliveryStream extends Construct {
  public readonly deliveryStream: firehose.CfnDeliveryStream;
  public readonly processor: nodejs.NodejsFunction;
  public readonly role: iam.Role;
  public readonly backup: s3.Bucket;

  public constructor(scope: Construct, id: string, props: SiemDeliveryStreamProps) {
    super(scope, id);
    const { account, partition } = Stack.of(this);
    const { siem } = props;

    const backupKey = new kms.Key(this, 'BackupKey', {
      description: 'Tributary SIEM backup: deliveries the SIEM refused after every retry',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.backup = new s3.Bucket(this, 'Backup', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: backupKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        { expiration: Duration.days(BACKUP_DAYS), noncurrentVersionExpiration: Duration.days(1), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.backup).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'The backup holds only copies of records the archive keeps and proves, for 35 days; the archive has server access logs.',
    });

    const view: SiemView = { format: siem.format, categories: siem.categories, ...(siem.filters ? { filters: siem.filters } : {}) };
    this.processor = addRecordProcessor(this, {
      entry: 'process-siem-records.ts',
      functionName: props.processorName,
      roleName: props.processorRoleName,
      description: "Tributary SIEM processor: writes its logs and re-ingests what does not fit Firehose's response",
      serviceName: 'tributary-siem-processor',
      stream: props.stream,
      streamKey: props.streamKey,
      organizationAccountsTableArn: props.organizationAccountsTableArn,
      loggingAccount: props.loggingAccount,
      environment: { [SIEM_VIEW_VARIABLE]: JSON.stringify(view) },
    });
    const errors = addDeliveryLogs(this, props.deliveryStreamName);

    this.role = new iam.Role(this, 'Role', {
      description: 'Firehose reads the central stream, runs the SIEM processor, delivers to the SIEM and backs up what fails; it cannot write the archive',
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': account } }),
    });
    const allow = (sid: string, actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
      this.role.addToPolicy(new iam.PolicyStatement({ sid, actions, resources, ...(conditions ? { conditions } : {}) }));
    allowStreamConsumer(this.role, { stream: props.stream, streamKey: props.streamKey, processor: this.processor });
    allow(
      'WriteBackup',
      ['s3:AbortMultipartUpload', 's3:GetBucketLocation', 's3:GetObject', 's3:ListBucket', 's3:ListBucketMultipartUploads', 's3:PutObject'],
      [this.backup.bucketArn, `${this.backup.bucketArn}/*`],
    );
    allow('EncryptBackup', ['kms:GenerateDataKey', 'kms:Decrypt'], [backupKey.keyArn]);
    allowDeliveryErrorLog(this.role, errors);
    const destination = siem.destination;
    if (destination.type === 'http' || destination.type === 'splunk') {
      const secretArn = destination.type === 'http' ? destination.accessKeySecretArn : destination.hecTokenSecretArn;
      // Firehose reads the secret with the stream's role (https://docs.aws.amazon.com/firehose/latest/dev/using-secrets-manager.html).
      allow('ReadDestinationSecret', ['secretsmanager:GetSecretValue'], [secretArn]);
      const [, , , secretRegion, secretAccount] = secretArn.split(':');
      const secretKeys = `arn:${partition}:kms:${secretRegion}:${secretAccount}:key/*`;
      allow('DecryptDestinationSecret', ['kms:Decrypt'], [secretKeys], { StringEquals: { 'kms:ViaService': `secretsmanager.${secretRegion}.amazonaws.com` } });
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:${secretRegion}:${secretAccount}:key/*]`,
        reason:
          "The secret's key is the operator's and not named in the config; decryption is allowed only through Secrets Manager in the secret's region (kms:ViaService).",
      });
    } else {
      allow('DescribeDomain', ['es:DescribeDomain', 'es:DescribeDomains', 'es:DescribeDomainConfig'], [destination.domainArn, `${destination.domainArn}/*`]);
      allow('WriteIndex', ['es:ESHttpPost', 'es:ESHttpPut'], [destination.domainArn, `${destination.domainArn}/*`]);
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${destination.domainArn}/*]`,
        reason: "Firehose writes through the domain's HTTP paths (/_bulk, the daily index); it names no path in advance. One domain only.",
      });
    }
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.backup.node.defaultChild as s3.CfnBucket)}.Arn>/*]`,
      reason: 'Firehose writes backup objects under prefixes it names by the hour; object keys are not known in advance.',
    });

    const backupConfiguration: firehose.CfnDeliveryStream.S3DestinationConfigurationProperty = {
      bucketArn: this.backup.bucketArn,
      roleArn: this.role.roleArn,
      prefix: SIEM_BACKUP_PREFIX,
      errorOutputPrefix: SIEM_FAILED_PREFIX,
      compressionFormat: 'GZIP',
      bufferingHints: { intervalInSeconds: 300, sizeInMBs: 5 },
      encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: backupKey.keyArn } },
    };
    const processing = processingConfiguration(this.processor);
    const cloudWatchLoggingOptions = { enabled: true, ...errors };
    const retryOptions = { durationInSeconds: siem.retrySeconds };

    this.deliveryStream = new firehose.CfnDeliveryStream(this, 'DeliveryStream', {
      deliveryStreamName: props.deliveryStreamName,
      deliveryStreamType: 'KinesisStreamAsSource',
      kinesisStreamSourceConfiguration: { kinesisStreamArn: props.stream.streamArn, roleArn: this.role.roleArn },
      ...(destination.type === 'http'
        ? {
            httpEndpointDestinationConfiguration: {
              endpointConfiguration: { url: destination.url, name: 'Tributary SIEM' },
              secretsManagerConfiguration: { enabled: true, secretArn: destination.accessKeySecretArn, roleArn: this.role.roleArn },
              requestConfiguration: { contentEncoding: 'GZIP' },
              bufferingHints: SIEM_BUFFER,
              retryOptions,
              roleArn: this.role.roleArn,
              s3BackupMode: 'FailedDataOnly',
              s3Configuration: backupConfiguration,
              processingConfiguration: processing,
              cloudWatchLoggingOptions,
            },
          }
        : destination.type === 'splunk'
          ? {
              splunkDestinationConfiguration: {
                hecEndpoint: destination.hecEndpoint,
                hecEndpointType: destination.hecEndpointType,
                secretsManagerConfiguration: { enabled: true, secretArn: destination.hecTokenSecretArn, roleArn: this.role.roleArn },
                hecAcknowledgmentTimeoutInSeconds: 180,
                bufferingHints: SIEM_BUFFER,
                retryOptions,
                s3BackupMode: 'FailedEventsOnly',
                s3Configuration: backupConfiguration,
                processingConfiguration: processing,
                cloudWatchLoggingOptions,
              },
            }
          : {
              amazonopensearchserviceDestinationConfiguration: {
                domainArn: destination.domainArn,
                indexName: destination.indexName,
                indexRotationPeriod: 'OneDay',
                roleArn: this.role.roleArn,
                bufferingHints: SIEM_BUFFER,
                retryOptions,
                s3BackupMode: 'FailedDocumentsOnly',
                s3Configuration: backupConfiguration,
                processingConfiguration: processing,
                cloudWatchLoggingOptions,
              },
            }),
    });
    this.deliveryStream.node.addDependency(this.role);
    Validations.of(this.deliveryStream).acknowledge({
      id: 'AwsSolutions-KDF1',
      reason:
        'Firehose server-side encryption does not apply to a Kinesis-stream source; the stream is KMS-encrypted and the backup bucket has its own KMS key.',
    });
  }
}
