/**
 * The data-path stacks: each security property asserted on the synthesized templates (on an App
 * without cdk-nag, whose plugin makes Template.fromStack throw), then a full synth with cdk-nag.
 */
import { testApp } from './test-app';
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EXAMPLE_CONFIG_PATH, loadConfig, type TributaryConfig } from '../../infra/config/schema';
import { ARCHIVE_PREFIX, ERROR_PREFIX } from '../../infra/constructs/log-delivery-stream';
import { addChecks, addTributaryStacks } from '../../infra/tributary-app';
import { wildcardActions } from './policies';

const config = loadConfig(EXAMPLE_CONFIG_PATH);

function synth(overrides: Partial<TributaryConfig> = {}) {
  const app = testApp();
  const stacks = addTributaryStacks(app, { ...config, ...overrides });
  return { archive: Template.fromStack(stacks.archive), pipelines: stacks.pipelines.map((p) => Template.fromStack(p)) };
}

const templates = synth();
const [homePipeline] = templates.pipelines;
const all = [templates.archive, ...templates.pipelines];

describe('archive stack', () => {
  it('locks objects in COMPLIANCE mode for the configured days, with versioning', () => {
    templates.archive.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: config.retention.objectLockDays } } },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  it('encrypts the archive with a customer-managed, rotating key', () => {
    templates.archive.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    templates.archive.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() }, BucketKeyEnabled: true }] },
    });
  });

  it('blocks public access, logs access to its own bucket and moves objects to Glacier', () => {
    templates.archive.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'archive/' },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: config.retention.glacierAfterDays }] })]) },
    });
  });

  it('denies requests without TLS and writes by anyone but the delivery roles', () => {
    templates.archive.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Sid: 'OnlyDeliveryRolesWrite',
            Effect: 'Deny',
            Action: 's3:PutObject',
            Condition: { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${config.accounts.logging}:role/tributary-firehose-delivery-*` } },
          }),
        ]),
      },
    });
  });
});

describe('pipeline stacks', () => {
  it('one per governed region, each in the logging account', () => {
    expect(templates.pipelines).toHaveLength(config.governedRegions.length);
  });

  it('scopes the destination policy to the organization', () => {
    const [destination] = Object.values(homePipeline!.findResources('AWS::Logs::Destination')) as Array<{ Properties: { DestinationPolicy: string; DestinationName: string } }>;
    expect(destination!.Properties.DestinationName).toBe('tributary-central-logging');
    expect(JSON.parse(destination!.Properties.DestinationPolicy).Statement).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['logs:PutSubscriptionFilter', 'logs:PutAccountPolicy'],
        Condition: { StringEquals: { 'aws:PrincipalOrgID': config.organizationId } },
      }),
    ]);
  });

  it('leaves the destination policy to the onboarding tasks in account-list mode', () => {
    const accountList = synth({ destinationAccess: 'account-list' }).pipelines[0]!;
    accountList.hasResourceProperties('AWS::Logs::Destination', { DestinationPolicy: Match.absent() });
  });

  it('keeps an on-demand stream encrypted with its own rotating key, for the configured hours', () => {
    homePipeline!.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: Match.anyValue() },
      RetentionPeriodHours: config.retention.streamHours,
    });
    homePipeline!.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('delivers GZIP .gz objects partitioned by account, source and hour, encrypted with the archive key, errors apart', () => {
    homePipeline!.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamType: 'KinesisStreamAsSource',
      ExtendedS3DestinationConfiguration: Match.objectLike({
        BucketARN: `arn:aws:s3:::tributary-archive-${config.accounts.logging}-${config.homeRegion}`,
        CompressionFormat: 'GZIP',
        FileExtension: '.gz',
        Prefix: ARCHIVE_PREFIX,
        ErrorOutputPrefix: ERROR_PREFIX,
        DynamicPartitioningConfiguration: { Enabled: true, RetryOptions: { DurationInSeconds: 300 } },
        EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: Match.anyValue() } },
        ProcessingConfiguration: { Enabled: true, Processors: [Match.objectLike({ Type: 'Lambda' })] },
        CloudWatchLoggingOptions: Match.objectLike({ Enabled: true }),
      }),
    });
    expect(ARCHIVE_PREFIX).toContain('account=!{partitionKeyFromLambda:account}/source=!{partitionKeyFromLambda:source}/');
  });

  it('runs the record processor on nodejs22.x, arm64', () => {
    homePipeline!.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'tributary-record-processor', Runtime: 'nodejs22.x', Architectures: ['arm64'], Timeout: 300 });
  });

  it('guards service roles with the source account or source ARN', () => {
    homePipeline!.hasResourceProperties('AWS::IAM::Role', {
      RoleName: `tributary-firehose-delivery-${config.homeRegion}`,
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'firehose.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': config.accounts.logging } } })] },
    });
    homePipeline!.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'logs.amazonaws.com' }, Condition: { StringLike: { 'aws:SourceArn': `arn:aws:logs:${config.homeRegion}:*:*` } } })] },
    });
  });
});

describe('every policy we write', () => {
  // A Deny of every S3 action over plain HTTP is the TLS guard, not a grant: only Allows are checked.
  it.each(all.map((t, i) => [i === 0 ? 'archive' : `pipeline ${config.governedRegions[i - 1]}`, t] as const))('grants no "*" action (%s)', (_name, template) => {
    expect(wildcardActions(template)).toEqual([]);
  });
});

describe('cdk-nag', () => {
  it('synthesizes every stack with AwsSolutionsChecks and no unacknowledged finding', () => {
    const app = testApp();
    addTributaryStacks(app, config);
    addChecks(app);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('infra/app.ts', () => {
  it('fails the synth on a bad config, naming the field and the value', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'tributary-config-'));
    const bad = { ...JSON.parse(readFileSync(EXAMPLE_CONFIG_PATH, 'utf8')), governedRegions: ['us-east-1', 'mars-1'] };
    writeFileSync(`${dir}/bad.json`, JSON.stringify(bad));

    // Act
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
      encoding: 'utf8',
      env: { ...process.env, TRIBUTARY_CONFIG_FILE: `${dir}/bad.json`, CDK_OUTDIR: dir },
      timeout: 60_000,
    });

    // Assess
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('config.governedRegions[1]: "mars-1" is not a known AWS region');
  });
});

describe('archive with flow logs delivered to S3', () => {
  const s3 = synth({ flowLogs: { ...config.flowLogs, destination: 's3' } }).archive;

  it('lets only the organization’s log delivery write flow logs, under flow-logs/', () => {
    s3.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'OnlyDeliveryRolesWrite', Condition: Match.objectLike({ StringNotEqualsIfExists: { 'aws:PrincipalServiceName': 'delivery.logs.amazonaws.com' } }) }),
          Match.objectLike({
            Sid: 'FlowLogDeliveryWrites',
            Principal: { Service: 'delivery.logs.amazonaws.com' },
            Action: 's3:PutObject',
            Condition: { StringEquals: { 'aws:SourceOrgID': config.organizationId, 's3:x-amz-acl': 'bucket-owner-full-control' } },
          }),
        ]),
      },
    });
  });

  it('grants nothing to log delivery when flow logs go to member log groups', () => {
    const json = JSON.stringify(templates.archive.toJSON());
    expect(json).not.toContain('delivery.logs.amazonaws.com');
  });
});

describe('data path alarms', () => {
  it.each([
    ['DeliveryToS3.Success', 'LessThanThreshold', 1],
    ['ExecuteProcessing.Success', 'LessThanThreshold', 1],
    ['DeliveryToS3.DataFreshness', 'GreaterThanThreshold', 900],
    ['GetRecords.IteratorAgeMilliseconds', 'GreaterThanThreshold', 300000],
  ])('alarm on %s in every pipeline stack', (metricName, comparison, threshold) => {
    for (const pipeline of templates.pipelines) pipeline.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: metricName, ComparisonOperator: comparison, Threshold: threshold });
  });
});
