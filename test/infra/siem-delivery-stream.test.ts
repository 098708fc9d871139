/**
 * The SIEM's consumer on its own Stack: a second Firehose on the same stream, its own role that
 * reaches no archive, a backup for what fails, retries as configured, for each kind of destination;
 * cdk-nag clean. The whole app with a SIEM is linted by cfn-lint in deployability.test.ts.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SIEM_BACKUP_PREFIX, SIEM_FAILED_PREFIX, SiemDeliveryStream } from '../../infra/constructs/siem-delivery-stream';
import type { SiemConfig } from '../../tasks/lib/config';
import { SIEM_VIEW_VARIABLE } from '../../tasks/process-siem-records';
import { testApp } from './test-app';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:555555555555:secret:tributary/siem-AbCdEf';
const common: Omit<SiemConfig, 'destination'> = {
  format: 'ocsf',
  categories: ['audit', 'network'],
  filters: { network: [' REJECT '] },
  retrySeconds: 900,
  maxOutageHours: 24,
};
const DESTINATIONS: ReadonlyArray<[string, SiemConfig, string]> = [
  [
    'http',
    { ...common, destination: { type: 'http', url: 'https://siem.example.com/ingest', accessKeySecretArn: SECRET } },
    'HttpEndpointDestinationConfiguration',
  ],
  [
    'splunk',
    { ...common, destination: { type: 'splunk', hecEndpoint: 'https://hec.example.com', hecEndpointType: 'Raw', hecTokenSecretArn: SECRET } },
    'SplunkDestinationConfiguration',
  ],
  [
    'opensearch',
    { ...common, destination: { type: 'opensearch', domainArn: 'arn:aws:es:eu-west-1:555555555555:domain/soc', indexName: 'tributary' } },
    'AmazonopensearchserviceDestinationConfiguration',
  ],
];

function siemStack(siem: SiemConfig, app = testApp()) {
  const stack = new Stack(app, 'Siem', { env: { account: '222222222222', region: 'eu-west-1' } });
  const streamKey = new kms.Key(stack, 'StreamKey', { enableKeyRotation: true });
  const stream = new kinesis.Stream(stack, 'Stream', { encryption: kinesis.StreamEncryption.KMS, encryptionKey: streamKey });
  Validations.of(stream).acknowledge({ id: 'AwsSolutions-KDS3', reason: "A test fixture standing for the destination's stream, which has its own key." });
  const siemStream = new SiemDeliveryStream(stack, 'Siem', {
    stream,
    streamKey,
    siem,
    deliveryStreamName: 'tributary-siem',
    processorName: 'tributary-siem-processor',
    processorRoleName: 'tributary-siem-processor-eu-west-1',
    organizationAccountsTableArn: 'arn:aws:dynamodb:us-east-1:333333333333:table/tributary-locks',
    loggingAccount: '222222222222',
  });
  return { app, stack, stream, siemStream };
}

describe('SiemDeliveryStream', () => {
  it.each(DESTINATIONS)('%s: reads the same stream, runs its processor, retries as configured, backs up only failures', (_, siem, key) => {
    // Prepare
    const { stack, stream } = siemStack(siem);

    // Act
    const template = Template.fromStack(stack);

    // Assess
    const [delivery] = Object.values(template.findResources('AWS::KinesisFirehose::DeliveryStream'));
    const props = delivery!.Properties;
    expect(props.DeliveryStreamType).toBe('KinesisStreamAsSource');
    expect(props.KinesisStreamSourceConfiguration.KinesisStreamARN).toEqual(stack.resolve(stream.streamArn));
    const destination = props[key];
    expect(destination.RetryOptions).toEqual({ DurationInSeconds: 900 });
    expect(destination.S3BackupMode).toMatch(/^Failed(Data|Events|Documents)Only$/);
    expect(destination.S3Configuration).toMatchObject({ Prefix: SIEM_BACKUP_PREFIX, ErrorOutputPrefix: SIEM_FAILED_PREFIX, CompressionFormat: 'GZIP' });
    expect(destination.ProcessingConfiguration.Processors[0].Parameters).toContainEqual({
      ParameterName: 'LambdaArn',
      ParameterValue: { 'Fn::GetAtt': [expect.stringMatching(/^SiemProcessor/), 'Arn'] },
    });
    expect(destination.CloudWatchLoggingOptions.Enabled).toBe(true);
  });

  it.each(DESTINATIONS)('%s: the Firehose role reads the stream, writes its own backup, and touches no other bucket', (_, siem) => {
    // Prepare
    const { stack } = siemStack(siem);

    // Act
    const template = Template.fromStack(stack);

    // Assess
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes('SiemRole'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Sid: string; Action: string | string[]; Resource: unknown }>);
    const s3 = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
    expect(s3.map((s) => s.Sid)).toEqual(['WriteBackup']);
    expect(JSON.stringify(s3[0]!.Resource)).toMatch(/SiemBackup/);
    expect(JSON.stringify(statements)).not.toMatch(/archive/i);
    const writes = statements.flatMap((s) => [s.Action].flat()).filter((a) => /^(kinesis:Put|s3:Delete|kms:(Create|Schedule|Put))/.test(a));
    expect(writes).toEqual([]);
  });

  it('reads only the configured secret, and passes the SIEM view to its processor', () => {
    // Prepare
    const { stack } = siemStack(DESTINATIONS[0]![1]);

    // Act
    const template = Template.fromStack(stack);

    // Assess
    const secretReads = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>)
      .filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
    expect(secretReads.map((s) => s.Resource)).toEqual([SECRET]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'tributary-siem-processor',
      Environment: {
        Variables: { [SIEM_VIEW_VARIABLE]: JSON.stringify({ format: 'ocsf', categories: ['audit', 'network'], filters: { network: [' REJECT '] } }) },
      },
    });
  });

  it('keeps its backup encrypted with its own rotating key, TLS only, private, for 35 days', () => {
    // Prepare
    const { stack } = siemStack(DESTINATIONS[0]![1]);

    // Act
    const template = Template.fromStack(stack);

    // Assess
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 35 })] },
    });
    expect(JSON.stringify(template.findResources('AWS::S3::BucketPolicy'))).toMatch(/aws:SecureTransport/);
    expect(Object.values(template.findResources('AWS::KMS::Key')).every((k) => k.Properties.EnableKeyRotation === true)).toBe(true);
  });

  it.each(DESTINATIONS)('%s: passes AwsSolutionsChecks', (_, siem) => {
    const checked = testApp();
    siemStack(siem, checked);
    Validations.of(checked).addPlugins(new AwsSolutionsChecks(checked));
    expect(() => checked.synth()).not.toThrow();
  });
});
