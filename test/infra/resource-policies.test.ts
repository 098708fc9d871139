/**
 * The archive's writers and readers, decided as AWS decides them from the synthesized templates:
 * the caller's role policies, the bucket policy, and the archive key's policy for the KMS call S3
 * makes on the caller's behalf (SSE-KMS: kms:GenerateDataKey to write, kms:Decrypt to read, with
 * kms:ViaService s3.<region>.amazonaws.com: https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html).
 */
import { Template } from 'aws-cdk-lib/assertions';
import { EXAMPLE_CONFIG_PATH, loadConfig } from '../../tasks/lib/config';
import { DIGEST_WRITER_ROLE_NAME } from '../../infra/constructs/archive-digests';
import { DIGEST_TABLE_NAME, HEADS_TABLE_NAME } from '../../tasks/lib/archive/aws';
import { archiveBucketName, deliveryRoleName, processorRoleName } from '../../tasks/lib/resource-names';
import { LOCK_TABLE_NAME } from '../../tasks/lib/lease-lock';
import { ORGANIZATION_ACCOUNTS_KEY } from '../../tasks/lib/organization-accounts';
import { addTributaryStacks } from '../../infra/tributary-app';
import { decide, type Decision, type PolicyDocument } from '../../sim/policy-decision';
import { bucketPolicy, keyPolicy, resolve, roleArn, rolePolicies, type CloudFormationTemplate, type DeployedTemplate } from '../../sim/template-policies';
import { testApp } from './test-app';

const config = loadConfig(EXAMPLE_CONFIG_PATH);
const logging = config.accounts.logging;
const home = config.homeRegion;
const stacks = addTributaryStacks(testApp(), config, { checks: false });
const archive: DeployedTemplate = { template: Template.fromStack(stacks.archive).toJSON() as CloudFormationTemplate, account: logging, region: home };
const pipeline: DeployedTemplate = {
  template: Template.fromStack(stacks.pipelines[1]!).toJSON() as CloudFormationTemplate,
  account: logging,
  region: stacks.pipelines[1]!.region,
  references: [archive],
};
const bucket = archiveBucketName(logging, home);
const archiveKey = keyPolicy(archive, 'ArchiveKey');

/** A role's session in the logging account, as the request context carries it. */
function session(arn: string) {
  return { 'aws:PrincipalArn': arn, 'aws:PrincipalAccount': logging, 'aws:PrincipalOrgID': config.organizationId, 'aws:SecureTransport': 'true' };
}

/** An S3 write or read of `key`, and the KMS call S3 makes for it with the caller's credentials: both must be allowed. */
interface Caller {
  readonly arn: string;
  readonly policies: readonly PolicyDocument[];
}

async function throughS3(role: Caller, operation: 'write' | 'read', key: string): Promise<{ s3: Decision; kms: Decision }> {
  const context = session(role.arn);
  const s3 = await decide(
    {
      principal: role.arn,
      action: operation === 'write' ? 's3:PutObject' : 's3:GetObject',
      resource: `arn:aws:s3:::${bucket}/${key}`,
      resourceAccount: logging,
      context,
    },
    { identity: role.policies, resource: bucketPolicy(archive, bucket) },
  );
  const kms = await decide(
    {
      principal: role.arn,
      action: operation === 'write' ? 'kms:GenerateDataKey' : 'kms:Decrypt',
      resource: archiveKey.arn,
      resourceAccount: logging,
      context: { ...context, 'kms:ViaService': `s3.${home}.amazonaws.com`, 'kms:CallerAccount': logging },
    },
    { identity: role.policies, resource: archiveKey.policy },
  );
  return { s3, kms };
}

const digestWriter = { arn: roleArn(archive, DIGEST_WRITER_ROLE_NAME), policies: rolePolicies(archive, DIGEST_WRITER_ROLE_NAME) };
const recorderId = Object.keys(archive.template.Resources).find(
  (id) => id.startsWith('DigestsRecorderRole') && archive.template.Resources[id]!.Type === 'AWS::IAM::Role',
)!;
const recorder = { arn: roleArn(archive, recorderId), policies: rolePolicies(archive, recorderId) };
const deliveryRole = deliveryRoleName(pipeline.region as never);
const delivery = { arn: roleArn(pipeline, deliveryRole), policies: rolePolicies(pipeline, deliveryRole) };

describe('archive writes and reads, decided by identity, bucket and key policies', () => {
  it('lets the digest writer write a digest, encrypted by the archive key through S3', async () => {
    await expect(throughS3(digestWriter, 'write', 'digests/logs/region=us-east-1/2026/12/01/00.json')).resolves.toEqual({ s3: 'Allowed', kms: 'Allowed' });
  });

  it('lets the digest writer write a departure manifest', async () => {
    await expect(throughS3(digestWriter, 'write', 'digests/departures/123456789012.json')).resolves.toEqual({ s3: 'Allowed', kms: 'Allowed' });
  });

  it("lets each region's Firehose delivery role write logs", async () => {
    await expect(throughS3(delivery, 'write', 'logs/region=eu-west-1/account=123456789012/category=cloudtrail/2026/12/01/00/x.gz')).resolves.toEqual({
      s3: 'Allowed',
      kms: 'Allowed',
    });
  });

  it('lets the recorder read what it hashes', async () => {
    await expect(throughS3(recorder, 'read', 'logs/region=us-east-1/account=123456789012/category=cloudtrail/2026/12/01/00/x.gz')).resolves.toEqual({
      s3: 'Allowed',
      kms: 'Allowed',
    });
  });

  it('needs the key policy and the identity policy both: neither alone lets a role use the archive key', async () => {
    const writeLogs = 'logs/region=eu-west-1/account=123456789012/category=cloudtrail/2026/12/01/00/x.gz';
    expect((await throughS3({ ...delivery, policies: [] }, 'write', writeLogs)).kms).toBe('ImplicitlyDenied');
    const keyAlone = await decide(
      {
        principal: delivery.arn,
        action: 'kms:GenerateDataKey',
        resource: archiveKey.arn,
        resourceAccount: logging,
        context: { ...session(delivery.arn), 'kms:ViaService': `s3.${home}.amazonaws.com`, 'kms:CallerAccount': logging },
      },
      { identity: delivery.policies, resource: { Version: '2012-10-17', Statement: [] } },
    );
    expect(keyAlone).toBe('ImplicitlyDenied');
  });

  it('refuses a digest written by a delivery role, and a log object written by the recorder', async () => {
    expect((await throughS3(delivery, 'write', 'digests/logs/region=us-east-1/forged.json')).s3).not.toBe('Allowed');
    expect((await throughS3(recorder, 'write', 'logs/region=us-east-1/account=123456789012/forged.gz')).s3).not.toBe('Allowed');
  });
});

describe('the digest roles: one job each', () => {
  const signingKey = keyPolicy(archive, 'DigestsSigningKey');
  const logObject = 'logs/region=eu-west-1/account=123456789012/category=audit/2026/12/01/00/x.gz';
  const table = (name: string) => `arn:aws:dynamodb:${home}:${logging}:table/${name}`;
  const roles = Object.entries(archive.template.Resources)
    .filter(([, r]) => r.Type === 'AWS::IAM::Role')
    .map(([id]) => ({ id, arn: roleArn(archive, id), policies: rolePolicies(archive, id) }));

  async function signs(role: Caller): Promise<Decision> {
    return decide(
      {
        principal: role.arn,
        action: 'kms:Sign',
        resource: signingKey.arn,
        resourceAccount: logging,
        context: { ...session(role.arn), 'kms:SigningAlgorithm': 'ECDSA_SHA_256' },
      },
      { identity: role.policies, resource: signingKey.policy },
    );
  }
  async function putItem(role: Caller, tableName: string): Promise<Decision> {
    return decide(
      { principal: role.arn, action: 'dynamodb:PutItem', resource: table(tableName), resourceAccount: logging, context: session(role.arn) },
      { identity: role.policies },
    );
  }

  it('prints the signing key at deploy, for the operator to pin', () => {
    const outputs = (archive.template as unknown as { Outputs: Record<string, { Value: { 'Fn::GetAtt': [string, string] } }> }).Outputs;
    expect(outputs.DigestSigningKeyArn!.Value['Fn::GetAtt']).toEqual([expect.stringMatching(/^DigestsSigningKey/), 'Arn']);
  });

  it('lets the writer sign and the recorder read logs: the checks below are not vacuous', async () => {
    expect(await signs(digestWriter)).toBe('Allowed');
    expect(await throughS3(recorder, 'read', logObject)).toEqual({ s3: 'Allowed', kms: 'Allowed' });
    expect(await putItem(recorder, DIGEST_TABLE_NAME)).toBe('Allowed');
    expect(await putItem(digestWriter, HEADS_TABLE_NAME)).toBe('Allowed');
  });

  it('no role of the archive stack both reads logs/ and signs', async () => {
    expect(roles.length).toBeGreaterThan(3);
    for (const role of roles) {
      const { s3, kms } = await throughS3(role, 'read', logObject);
      const reads = s3 === 'Allowed' && kms === 'Allowed';
      expect({ role: role.id, readsAndSigns: reads && (await signs(role)) === 'Allowed' }).toEqual({ role: role.id, readsAndSigns: false });
    }
  });

  it('the signer cannot read a log or write an object record; the recorder cannot sign, write a digest or move a chain head', async () => {
    const read = await throughS3(digestWriter, 'read', logObject);
    expect(read.s3 === 'Allowed' && read.kms === 'Allowed').toBe(false);
    expect(await putItem(digestWriter, DIGEST_TABLE_NAME)).not.toBe('Allowed');
    expect(await signs(recorder)).not.toBe('Allowed');
    expect((await throughS3(recorder, 'write', 'digests/chain=eu-west-1/2026/12/01/00.json')).s3).not.toBe('Allowed');
    expect(await putItem(recorder, HEADS_TABLE_NAME)).not.toBe('Allowed');
  });
});

describe("the organization's accounts, read by the record processors across accounts", () => {
  const orchestration: DeployedTemplate = {
    template: Template.fromStack(stacks.orchestration).toJSON() as CloudFormationTemplate,
    account: config.accounts.orchestration,
    region: home,
  };
  const [, lockTable] = Object.entries(orchestration.template.Resources).find(
    ([, r]) => r.Type === 'AWS::DynamoDB::GlobalTable' && r.Properties?.TableName === LOCK_TABLE_NAME,
  )!;
  const tablePolicy = resolve(
    orchestration,
    (lockTable.Properties!.Replicas as Array<{ ResourcePolicy?: { PolicyDocument: unknown } }>)[0]!.ResourcePolicy!.PolicyDocument,
  ) as PolicyDocument;
  const tableArn = `arn:aws:dynamodb:${home}:${config.accounts.orchestration}:table/${LOCK_TABLE_NAME}`;
  const processorRole = processorRoleName(pipeline.region as never);
  const processor = { arn: roleArn(pipeline, processorRole), policies: rolePolicies(pipeline, processorRole) };

  /** A cross-account GetItem: the caller's identity policy and the table's resource policy must both allow it. */
  const getItem = (role: Caller, key: string) =>
    decide(
      {
        principal: role.arn,
        action: 'dynamodb:GetItem',
        resource: tableArn,
        resourceAccount: config.accounts.orchestration,
        context: { ...session(role.arn), 'dynamodb:LeadingKeys': [key] },
      },
      { identity: role.policies, resource: tablePolicy },
    );

  it("lets each region's processor read that item, and no other item of the hub's table", async () => {
    expect(await getItem(processor, ORGANIZATION_ACCOUNTS_KEY)).toBe('Allowed');
    expect(await getItem(processor, 'destination-policy/eu-west-1')).not.toBe('Allowed');
    expect(await getItem(processor, 'reconcile/run')).not.toBe('Allowed');
  });

  it('lets no other role of the logging account read it', async () => {
    expect(await getItem(delivery, ORGANIZATION_ACCOUNTS_KEY)).not.toBe('Allowed');
    expect(await getItem(digestWriter, ORGANIZATION_ACCOUNTS_KEY)).not.toBe('Allowed');
    expect(await getItem({ ...processor, policies: [] }, ORGANIZATION_ACCOUNTS_KEY)).not.toBe('Allowed');
  });
});

/**
 * Flow logs to S3 (`flowLogs.destination: "s3"`): the log delivery service writes each member's
 * flow logs into the archive, with the request context AWS documents for it
 * (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html): the bucket ACL
 * check, then the object with `bucket-owner-full-control`, encrypted by the archive key through S3.
 */
describe('flow logs delivered to the archive, decided by the bucket and key policies', () => {
  const withS3 = { ...config, flowLogs: { ...config.flowLogs, destination: 's3' as const } };
  const deployed: DeployedTemplate = {
    template: Template.fromStack(addTributaryStacks(testApp(), withS3, { checks: false }).archive).toJSON() as CloudFormationTemplate,
    account: logging,
    region: home,
  };
  const policy = bucketPolicy(deployed, bucket);
  const key = keyPolicy(deployed, 'ArchiveKey');
  const member = '222233334444';
  const LOG_DELIVERY = 'delivery.logs.amazonaws.com';
  const objectKey = `flow-logs/AWSLogs/${member}/vpcflowlogs/${home}/2026/12/07/${member}_vpcflowlogs_${home}_fl-1_20261207T0000Z_x.log.gz`;
  /**
   * What the log delivery service presents for a member's flow log: its service name (a service
   * principal's calls carry it: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalservicename),
   * source account, ARN and organization.
   */
  const from = (organizationId: string) => ({
    'aws:PrincipalServiceName': LOG_DELIVERY,
    'aws:SourceAccount': member,
    'aws:SourceArn': `arn:aws:logs:${home}:${member}:*`,
    'aws:SourceOrgID': organizationId,
    'aws:SecureTransport': 'true',
  });
  const delivers = async (organizationId: string, key = objectKey, acl = 'bucket-owner-full-control') => ({
    aclCheck: await decide(
      { principal: LOG_DELIVERY, action: 's3:GetBucketAcl', resource: `arn:aws:s3:::${bucket}`, resourceAccount: logging, context: from(organizationId) },
      { resource: policy },
    ),
    write: await decide(
      {
        principal: LOG_DELIVERY,
        action: 's3:PutObject',
        resource: `arn:aws:s3:::${bucket}/${key}`,
        resourceAccount: logging,
        context: { ...from(organizationId), 's3:x-amz-acl': acl },
      },
      { resource: policy },
    ),
  });

  /** The key actions the VPC user guide asks for the log delivery, decided by the archive key's policy. */
  const usesKey = async (organizationId: string) =>
    Promise.all(
      ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:GenerateDataKey', 'kms:DescribeKey'].map((action) =>
        decide({ principal: LOG_DELIVERY, action, resource: key.arn, resourceAccount: logging, context: from(organizationId) }, { resource: key.policy }),
      ),
    );

  it("lets the log delivery write a member's flow logs under flow-logs/, with the archive key", async () => {
    await expect(delivers(config.organizationId)).resolves.toEqual({ aclCheck: 'Allowed', write: 'Allowed' });
    expect(new Set(await usesKey(config.organizationId))).toEqual(new Set(['Allowed']));
  });

  it("refuses another organization's flow logs, a write outside flow-logs/, and one without bucket-owner-full-control", async () => {
    expect(await delivers('o-someoneelse1')).toEqual({ aclCheck: 'ImplicitlyDenied', write: 'ImplicitlyDenied' });
    expect(new Set(await usesKey('o-someoneelse1'))).toEqual(new Set(['ImplicitlyDenied']));
    expect((await delivers(config.organizationId, 'logs/region=eu-west-1/account=222233334444/forged.gz')).write).not.toBe('Allowed');
    expect((await delivers(config.organizationId, objectKey, 'private')).write).not.toBe('Allowed');
  });
});
