/**
 * Issue #18 item 2, config `cloudTrail: "create"`: an organization trail of every region, with
 * global events and log file validation, delivered with its own key to an Object-Locked bucket in
 * the logging account that only that trail may write. Each construct on its own stack.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfig } from '../../tasks/lib/config';
import { OrganizationTrailBucket } from '../../infra/constructs/organization-trail-bucket';
import { organizationTrailArn } from '../../tasks/lib/resource-names';
import { OrganizationEventsStack } from '../../infra/stacks/organization-events-stack';
import { testApp } from './test-app';

const config = loadConfig(`${__dirname}/../../infra/config/tributary.account-list.example.json`);
const trailArn = organizationTrailArn('aws', config.accounts.management);

function bucketStack(app: App = testApp()): Stack {
  const stack = new Stack(app, 'Logging', { env: { account: config.accounts.logging, region: config.homeRegion } });
  const accessLogs = new s3.Bucket(stack, 'AccessLogs', {
    enforceSSL: true,
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  });
  Validations.of(accessLogs).acknowledge({ id: 'AwsSolutions-S1', reason: 'Test fixture: the access-log bucket itself.' });
  new OrganizationTrailBucket(stack, 'Trail', {
    bucketName: 'tributary-organization-trail-test',
    trailArn,
    managementAccount: config.accounts.management,
    organizationId: config.organizationId,
    objectLockDays: 400,
    glacierAfterDays: 30,
    breakGlassRoleArn: `arn:aws:iam::${config.accounts.logging}:role/TributaryBreakGlass`,
    accessLogs,
  });
  return stack;
}

describe('the organization trail', () => {
  it('is an organization trail of every region, with global events and log file validation, into the logging account with its key', () => {
    const stack = new OrganizationEventsStack(testApp(), 'OrganizationEvents', { config, env: { account: config.accounts.management, region: 'us-east-1' } });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudTrail::Trail', {
      TrailName: 'tributary-organization-trail',
      IsLogging: true,
      IsOrganizationTrail: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      S3BucketName: `tributary-organization-trail-${config.accounts.logging}-${config.homeRegion}`,
      EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }],
    });
    const trail = Object.values(Template.fromStack(stack).findResources('AWS::CloudTrail::Trail'))[0]!;
    expect(JSON.stringify(trail.Properties.KMSKeyId)).toContain(`:kms:${config.homeRegion}:${config.accounts.logging}:alias/tributary-organization-trail`);
  });

  it('passes cdk-nag', () => {
    const app = testApp();
    new OrganizationEventsStack(app, 'OrganizationEvents', { config, env: { account: config.accounts.management, region: 'us-east-1' } });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });

  it('is not created with cloudTrail "existing"', () => {
    const stack = new OrganizationEventsStack(testApp(), 'OrganizationEvents', {
      config: { ...config, cloudTrail: 'existing' },
      env: { account: config.accounts.management, region: 'us-east-1' },
    });
    Template.fromStack(stack).resourceCountIs('AWS::CloudTrail::Trail', 0);
  });
});

describe('the organization trail bucket', () => {
  const template = Template.fromStack(bucketStack());

  it('keeps every log file under Object Lock COMPLIANCE, versioned, encrypted with its own rotating key', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'tributary-organization-trail-test',
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } } },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('lets only the trail write, under the organization trail prefixes, and only the trail use the key', () => {
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy'))
      .map((p) => p.Properties.PolicyDocument.Statement as any[])
      .find((statements) => statements.some((s) => s.Principal?.Service === 'cloudtrail.amazonaws.com'))!;
    const writes = policy.filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes('s3:PutObject'));
    expect(writes).toHaveLength(1);
    expect(writes[0].Principal).toEqual({ Service: 'cloudtrail.amazonaws.com' });
    expect(writes[0].Condition.StringEquals['aws:SourceArn']).toBe(trailArn);
    expect(JSON.stringify(writes[0].Resource)).toContain(`AWSLogs/${config.organizationId}/*`);
    const key = Object.values(template.findResources('AWS::KMS::Key'))[0]!.Properties.KeyPolicy.Statement as any[];
    const trailUse = key.filter((s) => s.Principal?.Service === 'cloudtrail.amazonaws.com');
    expect(trailUse.map((s) => s.Condition.StringEquals['aws:SourceArn'])).toEqual([trailArn, trailArn]);
  });

  it('passes cdk-nag', () => {
    const app = testApp();
    bucketStack(app);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });
});
