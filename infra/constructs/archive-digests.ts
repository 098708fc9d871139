import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { join } from 'path';
import { DIGEST_KEY_ALIAS, DIGEST_TABLE_NAME, HEADS_TABLE_NAME } from '../../tasks/lib/archive/aws';
import { DEPARTURE_PREFIX, DIGEST_PREFIX } from '../../tasks/lib/archive/digest';
import { DIGEST_ENVIRONMENT } from '../../tasks/write-archive-digests';
import { departurePattern } from '../../workflows/forwarding';
import { keyAdministration, onlyBreakGlassDestroys } from './key-policy';
import { acknowledgePinnedRuntime, LAMBDA_RUNTIME } from './runtime';

/** The digest writer's role: the only principal the bucket lets write under digests/. */
export const DIGEST_WRITER_ROLE_NAME = 'tributary-archive-digest-writer';

export interface ArchiveDigestsProps {
  /** The organization's management account (departures are its events) and the orchestration account (which forwards them). */
  readonly managementAccount: string;
  readonly orchestrationAccount: string;
  readonly bucket: s3.Bucket;
  /** The archive's encryption key: the recorder reads objects through S3 with it. */
  readonly bucketKey: kms.IKey;
  readonly regions: readonly string[];
  readonly breakGlassRoleArn: string;
}

/**
 * Integrity digests of the archive (tasks/lib/archive/digest.ts): a function records every object
 * delivered (S3 Object Created, through EventBridge) with its SHA-256; every hour another writes
 * each chain's signed digest under `digests/`, where the bucket's Object Lock keeps it. The
 * signing key is asymmetric (ECC_NIST_P256); only the digest writer may sign with it.
 *
 * Two roles, one job each: the recorder reads objects and writes the object records; the writer
 * (the signer) reads the records, signs, and writes digests and chain heads, and never reads a
 * log. Neither can write the other's table.
 */
export class ArchiveDigests extends Construct {
  public readonly signingKey: kms.Key;
  public readonly table: dynamodb.Table;
  public readonly heads: dynamodb.Table;
  public readonly recorderRole: iam.Role;
  public readonly writerRole: iam.Role;

  public constructor(scope: Construct, id: string, props: ArchiveDigestsProps) {
    super(scope, id);
    const { account } = Stack.of(this);
    const lambdaRole = (name: string, description: string, roleName?: string) =>
      new iam.Role(this, name, {
        ...(roleName ? { roleName } : {}),
        description,
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': account } }),
      });
    const recorderRole = (this.recorderRole = lambdaRole('RecorderRole', 'Tributary: records each archived object and its SHA-256'));
    // A fixed name: the bucket policy lets this role alone write under digests/.
    this.writerRole = lambdaRole('WriterRole', 'Tributary: writes and signs the hourly archive digests', DIGEST_WRITER_ROLE_NAME);

    this.signingKey = new kms.Key(this, 'SigningKey', {
      description: 'Tributary archive digests: signs each hourly digest (ECDSA P-256)',
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
      policy: new iam.PolicyDocument({
        statements: [
          keyAdministration(),
          onlyBreakGlassDestroys(props.breakGlassRoleArn),
          new iam.PolicyStatement({
            sid: 'OnlyTheDigestWriterSigns',
            principals: [new iam.ArnPrincipal(this.writerRole.roleArn)],
            actions: ['kms:Sign'],
            resources: ['*'],
            conditions: { StringEquals: { 'kms:SigningAlgorithm': 'ECDSA_SHA_256' } },
          }),
          new iam.PolicyStatement({
            sid: 'AnyoneInTheAccountVerifies',
            principals: [new iam.AccountRootPrincipal()],
            actions: ['kms:GetPublicKey', 'kms:Verify', 'kms:DescribeKey'],
            resources: ['*'],
          }),
        ],
      }),
    });

    this.signingKey.addAlias(DIGEST_KEY_ALIAS);

    this.table = new dynamodb.Table(this, 'Records', {
      tableName: DIGEST_TABLE_NAME,
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });

    this.heads = new dynamodb.Table(this, 'Heads', {
      tableName: HEADS_TABLE_NAME,
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });

    const fn = (name: string, entry: string, role: iam.Role, timeout: Duration, environment: Record<string, string>) => {
      const functionName = `tributary-${name}`;
      const logGroup = new logs.LogGroup(this, `${name}-logs`, {
        logGroupName: `/aws/lambda/${functionName}`,
        retention: logs.RetentionDays.ONE_YEAR,
        removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
      });
      // One role may run two functions (the writer's): one statement per function's log group.
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: `WriteLogsOf${name.replace(/-/g, '')}`,
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
        }),
      );
      const f = new nodejs.NodejsFunction(this, name, {
        functionName,
        entry: join(__dirname, '..', '..', 'tasks', entry),
        handler: 'handler',
        runtime: LAMBDA_RUNTIME,
        architecture: lambda.Architecture.ARM_64,
        memorySize: 512,
        timeout,
        role,
        logGroup,
        environment,
        bundling: { minify: true, sourceMap: true, target: 'node22' },
      });
      acknowledgePinnedRuntime(f);
      return f;
    };
    const recorder = fn('record-archive-object', 'record-archive-object.ts', recorderRole, Duration.minutes(2), {});
    recorderRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadDeliveredObjects',
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [props.bucket.arnForObjects('logs/*'), props.bucket.arnForObjects('errors/*'), props.bucket.arnForObjects(`${DEPARTURE_PREFIX}*`)],
      }),
    );
    recorderRole.addToPolicy(new iam.PolicyStatement({ sid: 'DecryptThroughS3', actions: ['kms:Decrypt'], resources: [props.bucketKey.keyArn] }));
    recorderRole.addToPolicy(new iam.PolicyStatement({ sid: 'RecordObjects', actions: ['dynamodb:PutItem'], resources: [this.table.tableArn] }));

    const writerEnvironment = {
      [DIGEST_ENVIRONMENT.bucket]: props.bucket.bucketName,
      [DIGEST_ENVIRONMENT.keyId]: this.signingKey.keyArn,
      [DIGEST_ENVIRONMENT.regions]: props.regions.join(','),
    };
    const writer = fn('write-archive-digests', 'write-archive-digests.ts', this.writerRole, Duration.minutes(5), writerEnvironment);
    this.writerRole.addToPolicy(new iam.PolicyStatement({ sid: 'ReadRecords', actions: ['dynamodb:Query'], resources: [this.table.tableArn] }));
    this.writerRole.addToPolicy(
      new iam.PolicyStatement({ sid: 'KeepChainHeads', actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: [this.heads.tableArn] }),
    );
    // Its own identity (fingerprint and public key) for the genesis and rotation digests.
    this.writerRole.addToPolicy(new iam.PolicyStatement({ sid: 'KnowItsSigningKey', actions: ['kms:GetPublicKey'], resources: [this.signingKey.keyArn] }));
    this.writerRole.addToPolicy(
      new iam.PolicyStatement({ sid: 'WriteDigests', actions: ['s3:PutObject'], resources: [props.bucket.arnForObjects(`${DIGEST_PREFIX}*`)] }),
    );
    this.writerRole.addToPolicy(new iam.PolicyStatement({ sid: 'EncryptDigests', actions: ['kms:GenerateDataKey'], resources: [props.bucketKey.keyArn] }));

    Validations.of(recorderRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::<ArchiveBucket49F1AC64.Arn>/logs/*]',
      reason: 'The recorder reads each delivered object to hash it; delivered keys are not known in advance.',
    });
    Validations.of(recorderRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::<ArchiveBucket49F1AC64.Arn>/errors/*]',
      reason: 'Failed records are digested too; their keys are not known in advance.',
    });
    Validations.of(recorderRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::<ArchiveBucket49F1AC64.Arn>/digests/departures/*]',
      reason: 'Departure manifests are digested in the departures chain; one key per departed account.',
    });
    Validations.of(this.writerRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::<ArchiveBucket49F1AC64.Arn>/digests/*]',
      reason: 'One digest per chain and hour, under digests/ only.',
    });
    new events.Rule(this, 'ObjectDelivered', {
      description: 'Tributary: each object delivered to the archive is recorded for its digest',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [props.bucket.bucketName] }, object: { key: [{ prefix: 'logs/' }, { prefix: 'errors/' }, { prefix: DEPARTURE_PREFIX }] } },
      },
      targets: [new targets.LambdaFunction(recorder, { retryAttempts: 8, maxEventAge: Duration.hours(6) })],
    });
    // Departures, forwarded by the hub (orchestration account) to this account's default bus.
    const manifests = fn('write-departure-manifest', 'write-departure-manifest.ts', this.writerRole, Duration.minutes(5), writerEnvironment);
    // A departure manifest is made from the listing (keys and sizes): the signer never reads a log.
    this.writerRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'SummarizeDepartedAccounts',
        actions: ['s3:ListBucket'],
        resources: [props.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': ['logs/*'] } },
      }),
    );
    new events.CfnEventBusPolicy(this, 'HubForwardsDepartures', {
      eventBusName: 'default',
      statementId: 'TributaryHubForwardsDepartures',
      statement: {
        Effect: 'Allow',
        Principal: { AWS: `arn:${Stack.of(this).partition}:iam::${props.orchestrationAccount}:root` },
        Action: 'events:PutEvents',
        Resource: `arn:${Stack.of(this).partition}:events:${Stack.of(this).region}:${account}:event-bus/default`,
      },
    });
    new events.Rule(this, 'AccountDeparted', {
      description: 'Tributary: an account left the organization; its departure manifest is written',
      eventPattern: departurePattern(props.managementAccount) as events.EventPattern,
      targets: [new targets.LambdaFunction(manifests, { retryAttempts: 8, maxEventAge: Duration.hours(24) })],
    });
    new events.Rule(this, 'Hourly', {
      description: 'Tributary: writes the hourly archive digests',
      // Ten minutes past the hour: objects of the hour that just ended have been recorded.
      schedule: events.Schedule.cron({ minute: '10' }),
      targets: [new targets.LambdaFunction(writer, { retryAttempts: 2 })],
    });
  }
}
