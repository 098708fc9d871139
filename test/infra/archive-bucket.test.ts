/**
 * ArchiveBucket on its own Stack: the backfill writer (config `backfill`), in the orchestration
 * account, may create `backfill-` objects under `logs/` only if absent, read them back and list
 * keys; the key lets it encrypt through S3 only. Without a backfill, no statement names it.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ArchiveBucket } from '../../infra/constructs/archive-bucket';
import { testApp } from './test-app';

const LOGGING = '222222222222';
const ORCHESTRATION = '333333333333';
/** The writer's ARN, in the stack's partition. */
const WRITER = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ORCHESTRATION}:role/tributary-task-BackfillLogGroups`]] };

function synth(backfill: boolean): Template {
  const stack = new Stack(testApp(), 'Test', { env: { account: LOGGING, region: 'us-east-1' } });
  new ArchiveBucket(stack, 'Archive', {
    bucketName: 'tributary-archive-222222222222-us-east-1',
    objectLockDays: 365,
    glacierAfterDays: 90,
    writerArns: [`arn:aws:iam::${LOGGING}:role/tributary-firehose-delivery-us-east-1`],
    breakGlassRoleArn: `arn:aws:iam::${LOGGING}:role/break-glass`,
    digestWriterArn: `arn:aws:iam::${LOGGING}:role/tributary-digest-writer`,
    ...(backfill ? { backfillWriter: { orchestrationAccount: ORCHESTRATION } } : {}),
  });
  return Template.fromStack(stack);
}

const statements = (template: Template, type: string): Array<Record<string, any>> =>
  Object.values(template.findResources(type)).flatMap((r) => (r.Properties.PolicyDocument ?? r.Properties.KeyPolicy).Statement);

describe('ArchiveBucket: the backfill writer', () => {
  it('lets it create backfill objects only if absent, read them back and list keys, by its exact ARN', () => {
    // Act
    const template = synth(true);

    // Assess
    const bucket = statements(template, 'AWS::S3::BucketPolicy');
    const principal = { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ORCHESTRATION}:root`]] } };
    const onlyTheWriter = { ArnEquals: { 'aws:PrincipalArn': WRITER } };
    expect(bucket.find((s) => s.Sid === 'BackfillWriterCreateBackfillObjects')).toMatchObject({
      Effect: 'Allow',
      Action: 's3:PutObject',
      Condition: { Null: { 's3:if-none-match': 'false' }, ...onlyTheWriter },
    });
    expect(JSON.stringify(bucket.find((s) => s.Sid === 'BackfillWriterCreateBackfillObjects')!.Resource)).toContain('/logs/*/backfill-*.gz');
    expect(bucket.find((s) => s.Sid === 'BackfillWriterReadBackfillObjects')).toMatchObject({ Action: 's3:GetObject', Condition: onlyTheWriter });
    expect(bucket.find((s) => s.Sid === 'BackfillWriterListArchiveKeys')).toMatchObject({ Action: 's3:ListBucket', Condition: onlyTheWriter });
    expect(bucket.filter((s) => /^BackfillWriter/.test(s.Sid)).every((s) => JSON.stringify(s.Principal) === JSON.stringify(principal))).toBe(true);
    expect(bucket.find((s) => s.Sid === 'OnlyDeliveryRolesWrite')).toMatchObject({
      Effect: 'Deny',
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': expect.arrayContaining([WRITER]) } },
    });
    expect(statements(template, 'AWS::KMS::Key').find((s) => s.Sid === 'BackfillWriterEncryptsThroughS3')).toMatchObject({
      Action: 'kms:GenerateDataKey',
      Condition: {
        ArnEquals: { 'aws:PrincipalArn': WRITER },
        StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com', 'kms:CallerAccount': ORCHESTRATION },
      },
    });
  });

  it('names no backfill writer without a backfill', () => {
    const template = synth(false);
    expect(JSON.stringify(template.toJSON())).not.toContain('BackfillLogGroups');
  });
});
