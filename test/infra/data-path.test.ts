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
import { EXAMPLE_CONFIG_PATH, loadConfig, type TributaryConfig } from '../../tasks/lib/config';
import { ARCHIVE_ERROR_PREFIX, archivePrefix } from '../../tasks/lib/data-path/archive-layout';
import { namedQueries } from '../../tasks/lib/archive/athena';
import { addTributaryStacks } from '../../infra/tributary-app';
import { inPartition, wildcardActions } from './policies';

const config = loadConfig(EXAMPLE_CONFIG_PATH);

function synth(overrides: Partial<TributaryConfig> = {}) {
  const app = testApp();
  const stacks = addTributaryStacks(app, { ...config, ...overrides }, { checks: false });
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
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() }, BucketKeyEnabled: true },
        ],
      },
    });
  });

  it('blocks public access, logs access to its own bucket and moves objects to Glacier', () => {
    templates.archive.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'archive/' },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: config.retention.glacierAfterDays }] })]),
      },
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
            Condition: {
              ArnNotEquals: {
                'aws:PrincipalArn': [...config.governedRegions.map((r) => `tributary-firehose-delivery-${r}`), 'tributary-archive-digest-writer'].map(
                  (role) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${config.accounts.logging}:role/${role}`]] }),
                ),
              },
            },
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
    const [destination] = Object.values(homePipeline!.findResources('AWS::Logs::Destination')) as Array<{
      Properties: { DestinationPolicy: string; DestinationName: string };
    }>;
    expect(destination!.Properties.DestinationName).toBe('tributary-central-logging');
    expect(JSON.parse(inPartition(destination!.Properties.DestinationPolicy)).Statement).toEqual([
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

  it('delivers GZIP .gz objects under region, account, category and arrival hour, encrypted with the archive key, errors apart', () => {
    homePipeline!.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamType: 'KinesisStreamAsSource',
      ExtendedS3DestinationConfiguration: Match.objectLike({
        BucketARN: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::tributary-archive-${config.accounts.logging}-${config.homeRegion}`]] },
        CompressionFormat: 'GZIP',
        FileExtension: '.gz',
        Prefix: `logs/region=${config.homeRegion}/account=!{partitionKeyFromLambda:account}/category=!{partitionKeyFromLambda:category}/!{timestamp:yyyy/MM/dd/HH}/`,
        ErrorOutputPrefix: ARCHIVE_ERROR_PREFIX,
        DynamicPartitioningConfiguration: { Enabled: true, RetryOptions: { DurationInSeconds: 300 } },
        EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: Match.anyValue() } },
        ProcessingConfiguration: { Enabled: true, Processors: [Match.objectLike({ Type: 'Lambda' })] },
        CloudWatchLoggingOptions: Match.objectLike({ Enabled: true }),
      }),
    });
    expect(archivePrefix('eu-west-1', 'account')).toBe('logs/region=eu-west-1/account=!{partitionKeyFromLambda:account}/!{timestamp:yyyy/MM/dd/HH}/');
  });

  it('tells the record processor the layout and the logging account, and gives it the smallest input buffer', () => {
    homePipeline!.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'tributary-record-processor',
      Environment: {
        Variables: Match.objectLike({ TRIBUTARY_LOGGING_ACCOUNT: config.accounts.logging, TRIBUTARY_ARCHIVE_PARTITIONING: config.archive.partitioning }),
      },
    });
    homePipeline!.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: Match.objectLike({
        ProcessingConfiguration: {
          Enabled: true,
          Processors: [{ Type: 'Lambda', Parameters: Match.arrayWith([{ ParameterName: 'BufferSizeInMBs', ParameterValue: '0.2' }]) }],
        },
      }),
    });
  });

  it('writes a heartbeat every minute into the canary group, subscribed to the region’s stream', () => {
    for (const pipeline of templates.pipelines) {
      pipeline.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/tributary/heartbeat' });
      pipeline.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)', State: 'ENABLED' });
      pipeline.hasResourceProperties('AWS::Logs::SubscriptionFilter', {
        LogGroupName: Match.anyValue(),
        FilterPattern: '',
        DestinationArn: Match.anyValue(),
        RoleArn: Match.anyValue(),
      });
      pipeline.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'tributary-heartbeat', LoggingConfig: { LogGroup: Match.anyValue() } });
    }
  });

  it('keeps named resources on update and delete, but not after a failed first deployment', () => {
    for (const [type, template] of [
      ['AWS::Kinesis::Stream', homePipeline!],
      ['AWS::KMS::Key', homePipeline!],
      ['AWS::S3::Bucket', templates.archive],
      ['AWS::KMS::Key', templates.archive],
    ] as const) {
      const resources = Object.values(template.findResources(type)) as Array<{ DeletionPolicy?: string; UpdateReplacePolicy?: string }>;
      expect(resources.length).toBeGreaterThan(0);
      for (const resource of resources) expect([type, resource.DeletionPolicy, resource.UpdateReplacePolicy]).toEqual([type, 'RetainExceptOnCreate', 'Retain']);
    }
    const logGroups = Object.values(homePipeline!.findResources('AWS::Logs::LogGroup')) as Array<{
      DeletionPolicy?: string;
      Properties: { LogGroupName: string };
    }>;
    for (const group of logGroups.filter((g) => g.Properties.LogGroupName !== '/tributary/heartbeat'))
      expect(group.DeletionPolicy).toBe('RetainExceptOnCreate');
  });

  it('builds every ARN from the partition', () => {
    for (const template of all) expect(JSON.stringify(template.toJSON())).not.toContain('arn:aws:');
  });

  it('runs the record processor on nodejs22.x, arm64', () => {
    homePipeline!.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'tributary-record-processor',
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Timeout: 300,
    });
  });

  it("pins the record processor's V8 heap for its memory (the heap the bench measures with)", () => {
    homePipeline!.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'tributary-record-processor',
      MemorySize: 1536,
      Environment: { Variables: Match.objectLike({ NODE_OPTIONS: '--max-semi-space-size=64 --max-old-space-size=1088' }) },
    });
  });

  it('guards service roles with the source account or source ARN', () => {
    homePipeline!.hasResourceProperties('AWS::IAM::Role', {
      RoleName: `tributary-firehose-delivery-${config.homeRegion}`,
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({ Principal: { Service: 'firehose.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': config.accounts.logging } } }),
        ],
      },
    });
  });

  it('guards the destination role with the documented aws:SourceArn only, in a size that does not grow with the organization', () => {
    // CloudWatch Logs' cross-account pages condition this trust on aws:SourceArn
    // (arn:aws:logs:<region>:<sending or recipient account>:*); no page says it sets
    // aws:SourceOrgID, and it exercises the role when the destination is created, so a key it
    // does not set fails the deploy. The organization is the destination policy's to enforce.
    const trusts = Object.values(homePipeline!.findResources('AWS::IAM::Role')).map(
      (r) => (r as { Properties: { AssumeRolePolicyDocument: { Statement: Array<Record<string, unknown>> } } }).Properties.AssumeRolePolicyDocument,
    );
    const logsTrust = trusts.filter((t) => JSON.stringify(t).includes('logs.amazonaws.com'));
    expect(logsTrust).toHaveLength(1);
    expect(inPartition(logsTrust[0]!.Statement)).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'logs.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringLike: { 'aws:SourceArn': `arn:aws:logs:${config.homeRegion}:*:*` } },
      },
    ]);
  });
});

describe('every policy we write', () => {
  // A Deny of every S3 action over plain HTTP is the TLS guard, not a grant: only Allows are checked.
  it.each(all.map((t, i) => [i === 0 ? 'archive' : `pipeline ${config.governedRegions[i - 1]}`, t] as const))(
    'grants no "*" action (%s)',
    (_name, template) => {
      expect(wildcardActions(template)).toEqual([]);
    },
  );
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
          Match.objectLike({
            Sid: 'OnlyDeliveryRolesWrite',
            Condition: Match.objectLike({ StringNotEqualsIfExists: { 'aws:PrincipalServiceName': 'delivery.logs.amazonaws.com' } }),
          }),
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
    ['DeliveryToS3.Success', 'LessThanThreshold', 1, 'notBreaching'],
    ['ExecuteProcessing.Success', 'LessThanThreshold', 1, 'notBreaching'],
    ['DeliveryToS3.DataFreshness', 'GreaterThanThreshold', 900, 'breaching'],
    ['GetRecords.IteratorAgeMilliseconds', 'GreaterThanThreshold', 300000, 'breaching'],
  ])('alarm on %s in every pipeline stack (missing data: %s)', (metricName, comparison, threshold, missing) => {
    for (const pipeline of templates.pipelines)
      pipeline.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: metricName,
        ComparisonOperator: comparison,
        Threshold: threshold,
        TreatMissingData: missing,
      });
  });

  it('alarms per governed region when its heartbeat stops reaching the archive, missing data breaching', () => {
    for (const region of config.governedRegions) {
      templates.archive.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'Tributary/DataPath',
        MetricName: 'HeartbeatAgeSeconds',
        Dimensions: [{ Name: 'Region', Value: region }],
        Threshold: 900,
        TreatMissingData: 'breaching',
      });
    }
    templates.archive.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
  });

  it('lets the heartbeat check list only the logging account’s prefixes', () => {
    templates.archive.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'ListHeartbeatPrefixes',
            Action: 's3:ListBucket',
            Condition: { StringLike: { 's3:prefix': config.governedRegions.map((r) => `logs/region=${r}/account=${config.accounts.logging}/*`) } },
          }),
        ]),
      },
    });
  });
});

describe('archive tables for Athena', () => {
  it('projects every partition key of the Firehose prefix, with no crawler', () => {
    const [table] = Object.values(templates.archive.findResources('AWS::Glue::Table')) as Array<{
      Properties: { TableInput: { PartitionKeys: Array<{ Name: string }>; Parameters: Record<string, unknown> } };
    }>;
    const keys = table!.Properties.TableInput.PartitionKeys.map((k) => k.Name);
    // Every level of the prefix is a key: region=, account=, category= and the arrival hour.
    const levels = archivePrefix('eu-west-1', config.archive.partitioning).split('/').filter(Boolean).slice(1);
    expect(keys).toHaveLength(levels.length - 3);
    for (const key of keys) expect(table!.Properties.TableInput.Parameters[`projection.${key}.type`]).toBeDefined();
    expect(table!.Properties.TableInput.Parameters['projection.enabled']).toBe('true');
    expect(JSON.stringify(table!.Properties.TableInput.Parameters['storage.location.template'])).toContain(
      '/logs/region=${region}/account=${account}/category=${category}/${hour}/',
    );
    templates.archive.resourceCountIs('AWS::Glue::Crawler', 0);
  });

  it('has a workgroup that enforces its encrypted results location, and the named queries', () => {
    templates.archive.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        ResultConfiguration: Match.objectLike({ EncryptionConfiguration: { EncryptionOption: 'SSE_S3' } }),
      }),
    });
    templates.archive.resourceCountIs('AWS::Athena::NamedQuery', namedQueries(config.archive.partitioning).length);
  });
});

describe('archive integrity digests', () => {
  const keyWith = (spec: string) =>
    Object.values(templates.archive.findResources('AWS::KMS::Key', { Properties: { KeySpec: spec } })) as Array<{
      Properties: { KeyUsage: string; KeyPolicy: { Statement: Array<Record<string, unknown>> } };
    }>;

  it('signs with an asymmetric key (ECC_NIST_P256, SIGN_VERIFY) that only the digest writer may use to sign, and only break-glass may delete', () => {
    const [key] = keyWith('ECC_NIST_P256');
    expect(key!.Properties.KeyUsage).toBe('SIGN_VERIFY');
    const statements = inPartition(key!.Properties.KeyPolicy.Statement) as Array<{ Sid?: string; Effect: string; Action: unknown; Principal: unknown }>;
    const signers = statements.filter((s) => s.Effect === 'Allow' && [s.Action].flat().some((a) => a === 'kms:Sign' || a === 'kms:*' || a === 'kms:Sign*'));
    expect(signers).toEqual([
      expect.objectContaining({ Sid: 'OnlyTheDigestWriterSigns', Principal: { AWS: { 'Fn::GetAtt': [expect.stringMatching(/^DigestsWriterRole/), 'Arn'] } } }),
    ]);
    expect(statements).toContainEqual(expect.objectContaining({ Sid: 'OnlyBreakGlassDeletesOrDisablesKey', Effect: 'Deny' }));
  });

  it("writes digests under digests/, which only the digest writer may write, under the bucket's Object Lock COMPLIANCE retention", () => {
    templates.archive.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'OnlyTheDigestWriterWritesDigests', Effect: 'Deny', Action: 's3:PutObject' })]) },
    });
    templates.archive.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: config.retention.objectLockDays } } },
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
    templates.archive.hasResourceProperties('AWS::Events::Rule', { EventPattern: Match.objectLike({ source: ['aws.s3'], 'detail-type': ['Object Created'] }) });
    templates.archive.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(10 * * * ? *)' });
  });
});

describe('an archive only its retention can delete', () => {
  const breakGlass = `arn:aws:iam::${config.accounts.logging}:role/${config.archive.breakGlassRoleName}`;
  const keyStatements = () =>
    inPartition(
      (Object.values(templates.archive.findResources('AWS::KMS::Key'))[0] as { Properties: { KeyPolicy: { Statement: Array<Record<string, unknown>> } } })
        .Properties.KeyPolicy.Statement,
    );

  it('denies deleting or disabling the archive key to everyone but the break-glass role', () => {
    expect(keyStatements()).toContainEqual({
      Sid: 'OnlyBreakGlassDeletesOrDisablesKey',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['kms:DeleteImportedKeyMaterial', 'kms:DisableKey', 'kms:ScheduleKeyDeletion'],
      Resource: '*',
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': breakGlass } },
    });
  });

  it('lets IAM grant analysts read: the key decrypts for the account, through S3 only', () => {
    expect(keyStatements()).toContainEqual(
      expect.objectContaining({
        Sid: 'AccountDecryptsThroughS3',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Condition: { StringEquals: { 'kms:ViaService': `s3.${config.homeRegion}.amazonaws.com`, 'kms:CallerAccount': config.accounts.logging } },
      }),
    );
  });

  it('locks the archive, keeps every version of the access logs (no Object Lock: log delivery refuses such a target) and denies deleting objects of either bucket', () => {
    // The archive and its access logs (Athena's results bucket is a scratch space, expiring in 30 days).
    const buckets = Object.entries(templates.archive.findResources('AWS::S3::Bucket')).filter(([id]) => id.startsWith('Archive')) as Array<
      [string, { Properties: { ObjectLockEnabled?: boolean; VersioningConfiguration?: unknown } }]
    >;
    expect(buckets.map(([id, b]) => [id.replace(/[0-9A-F]{8}$/, ''), b.Properties.ObjectLockEnabled === true, b.Properties.VersioningConfiguration])).toEqual([
      ['ArchiveAccessLogs', false, { Status: 'Enabled' }],
      ['ArchiveBucket', true, { Status: 'Enabled' }],
    ]);
    const policies = Object.entries(templates.archive.findResources('AWS::S3::BucketPolicy'))
      .filter(([id]) => id.startsWith('Archive'))
      .map(([, p]) => p) as Array<{ Properties: { PolicyDocument: { Statement: Array<{ Sid?: string; Effect: string; Action: unknown }> } } }>;
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Sid: 'OnlyRetentionDeletes', Effect: 'Deny', Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'] }),
      );
    }
    expect(policies.flatMap((p) => p.Properties.PolicyDocument.Statement)).toContainEqual(
      expect.objectContaining({ Sid: 'OnlyBreakGlassSuspendsVersioning', Effect: 'Deny', Action: 's3:PutBucketVersioning' }),
    );
  });
});
