/**
 * What CloudFormation or the service would refuse only at deploy (or never say): every synthesized
 * template and StackSet body, for both example configs and a config at the edge of what validates,
 * checked against the service constraints a template can break, by a deploy's own checks (cdk-nag
 * and CloudFormation's default rules), then linted by cfn-lint.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadConfig, parseConfig, type TributaryConfig } from '../../tasks/lib/config';
import { activePartitionBound } from '../../tasks/lib/data-path/archive-layout';
import { DESTINATION_POLICY_MAX_BYTES } from '../../tasks/lib/destination-policy';
import { inPartition } from './policies';
import { addChecks, addTributaryStacks } from '../../infra/tributary-app';
import { validationFindings } from '../../infra/validation-report';
import { synthesizedTemplates, testApp } from './test-app';

const example = loadConfig(join(__dirname, '../../infra/config/tributary.example.json'));
const accountList = loadConfig(join(__dirname, '../../infra/config/tributary.account-list.example.json'));
/**
 * Valid, and large where a config can be: 150 exclusions of 40 characters (about 6.6 KB of JSON),
 * and every optional part: a SIEM consumer in every region with filters in its processor's environment, and a backfill.
 */
const large = parseConfig({
  ...example,
  logGroupExclusions: Array.from({ length: 150 }, (_, i) => `/aws/lambda/team-${String(i).padStart(3, '0')}-sandbox-functions-*`),
  backfill: { days: 30 },
  siem: {
    destination: {
      type: 'http',
      url: 'https://siem.example.com/ingest',
      accessKeySecretArn: 'arn:aws:secretsmanager:us-east-1:555555555555:secret:tributary/siem-AbCdEf',
    },
    categories: ['audit', 'network', 'application'],
    filters: { network: [' REJECT '], application: ['ERROR', 'FATAL', 'panic:'] },
  },
});
const configs: ReadonlyArray<[string, TributaryConfig]> = [
  ['example', example],
  ['account-list example', accountList],
  ['150 exclusions and a SIEM', large],
];

type Resource = { Type: string; Properties?: Record<string, any> };
const synthesized = configs.map(([name, config]) => ({ name, config, templates: synthesizedTemplates(config) }));
const resourcesOf = (type: string) =>
  synthesized.flatMap(({ name, templates }) =>
    templates.flatMap(({ name: stack, template }) =>
      Object.entries<Resource>(template.Resources)
        .filter(([, r]) => r.Type === type)
        .map(([id, r]) => ({ where: `${name}: ${stack} ${id}`, properties: r.Properties ?? {}, resources: template.Resources as Record<string, Resource> })),
    ),
  );
/** IAM and the services count a policy's characters without white space (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). */
const size = (document: unknown) => JSON.stringify(inPartition(document)).length;

describe('service constraints of the synthesized templates', () => {
  it('keeps every Lambda environment within 4 KB (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html)', () => {
    const over = resourcesOf('AWS::Lambda::Function')
      .map(({ where, properties }) => ({
        where,
        bytes: Object.entries<unknown>(properties.Environment?.Variables ?? {}).reduce(
          (n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(JSON.stringify(v)),
          0,
        ),
      }))
      .filter(({ bytes }) => bytes > 4096);
    expect(over).toEqual([]);
  });

  it('sends server access logs only to buckets without Object Lock or SSE-KMS (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html)', () => {
    const buckets = resourcesOf('AWS::S3::Bucket');
    const targets = buckets
      .filter((b) => b.properties.LoggingConfiguration)
      .map((b) => ({ where: b.where, target: b.properties.LoggingConfiguration.DestinationBucketName, resources: b.resources }));
    expect(targets.length).toBeGreaterThan(0);
    const bad = targets.flatMap(({ where, target, resources }) => {
      const targetBucket = resources[(target as { Ref: string }).Ref]!.Properties ?? {};
      const kms = (targetBucket.BucketEncryption?.ServerSideEncryptionConfiguration ?? []).some((c: any) =>
        String(c.ServerSideEncryptionByDefault?.SSEAlgorithm).includes('kms'),
      );
      return targetBucket.ObjectLockEnabled || kms
        ? [`${where} logs to ${target.Ref} (Object Lock ${targetBucket.ObjectLockEnabled ? 'on' : 'off'}, SSE-KMS ${kms})`]
        : [];
    });
    expect(bad).toEqual([]);
  });

  it('keeps trust policies within 2,048 characters, role inline policies within 10,240 and managed policies within 6,144 (IAM quotas)', () => {
    const over: string[] = [];
    for (const { where, properties, resources } of resourcesOf('AWS::IAM::Role')) {
      if (size(properties.AssumeRolePolicyDocument) > 2048) over.push(`${where} trust ${size(properties.AssumeRolePolicyDocument)}`);
      const logicalId = where.split(' ').pop()!;
      const attached = Object.values(resources).filter(
        (r) => r.Type === 'AWS::IAM::Policy' && (r.Properties?.Roles ?? []).some((x: any) => x.Ref === logicalId),
      );
      const inline = [...(properties.Policies ?? []).map((p: any) => p.PolicyDocument), ...attached.map((p) => p.Properties!.PolicyDocument)].reduce(
        (n, d) => n + size(d),
        0,
      );
      if (inline > 10240) over.push(`${where} inline ${inline}`);
    }
    for (const { where, properties } of resourcesOf('AWS::IAM::ManagedPolicy'))
      if (size(properties.PolicyDocument) > 6144) over.push(`${where} managed ${size(properties.PolicyDocument)}`);
    expect(over).toEqual([]);
  });

  it('keeps key policies within 32 KB, bucket policies within 20 KB and destination policies within 5,120 bytes', () => {
    const over = [
      ...resourcesOf('AWS::KMS::Key')
        .filter(({ properties }) => size(properties.KeyPolicy) > 32768)
        .map(({ where }) => where),
      ...resourcesOf('AWS::S3::BucketPolicy')
        .filter(({ properties }) => size(properties.PolicyDocument) > 20480)
        .map(({ where }) => where),
      ...resourcesOf('AWS::Logs::Destination')
        .filter(
          ({ properties }) =>
            typeof inPartition(properties.DestinationPolicy) === 'string' &&
            Buffer.byteLength(inPartition(properties.DestinationPolicy)) > DESTINATION_POLICY_MAX_BYTES,
        )
        .map(({ where }) => where),
    ];
    expect(over).toEqual([]);
  });

  it('keeps every StackSet template body within 51,200 bytes (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html)', () => {
    const bodies = resourcesOf('AWS::CloudFormation::StackSet').map(({ where, properties }) => ({
      where,
      bytes: Buffer.byteLength(String(properties.TemplateBody)),
    }));
    expect(bodies.length).toBeGreaterThan(0);
    expect(bodies.filter(({ bytes }) => bytes > 51200)).toEqual([]);
  });

  it("keeps Firehose's active partitions within the configured quota (https://docs.aws.amazon.com/firehose/latest/dev/limits.html)", () => {
    for (const { config } of synthesized)
      expect(activePartitionBound(config.archive.expectedAccounts, config.archive.partitioning)).toBeLessThanOrEqual(config.archive.activePartitionQuota);
    // The archive's streams partition; the SIEM's deliver elsewhere and back up without partitions.
    const archiveStreams = resourcesOf('AWS::KinesisFirehose::DeliveryStream').filter(({ properties }) => properties.ExtendedS3DestinationConfiguration);
    expect(archiveStreams.length).toBe(synthesized.reduce((n, { config }) => n + config.governedRegions.length, 0));
    expect(archiveStreams.every(({ properties }) => properties.ExtendedS3DestinationConfiguration.DynamicPartitioningConfiguration?.Enabled === true)).toBe(
      true,
    );
  });

  it("gives the SIEM its own Firehose in every region, reading the archive's stream under another role: an outage of one holds up nothing of the other", () => {
    const { templates } = synthesized.find(({ name }) => name === '150 exclusions and a SIEM')!;
    const pipelines = templates.filter(({ template }) =>
      Object.values<Resource>(template.Resources).some((r) => r.Type === 'AWS::KinesisFirehose::DeliveryStream'),
    );
    expect(pipelines.map(({ region }) => region).sort()).toEqual([...large.governedRegions].sort());
    for (const { template } of pipelines) {
      const streams = Object.values<Resource>(template.Resources).filter((r) => r.Type === 'AWS::KinesisFirehose::DeliveryStream');
      const sources = streams.map((r) => r.Properties!.KinesisStreamSourceConfiguration);
      expect(streams.map((r) => r.Properties!.DeliveryStreamName).sort()).toEqual(['tributary-central-logging', 'tributary-siem']);
      expect(JSON.stringify(sources[0].KinesisStreamARN)).toBe(JSON.stringify(sources[1].KinesisStreamARN));
      expect(JSON.stringify(sources[0].RoleARN)).not.toBe(JSON.stringify(sources[1].RoleARN));
    }
  });

  it('puts at most 2 subscription filters on a log group and deploys no account-level subscription policy (the task owns the one per account-region)', () => {
    const perGroup = new Map<string, number>();
    for (const { where, properties } of resourcesOf('AWS::Logs::SubscriptionFilter')) {
      const key = `${where.split(' ').slice(0, -1).join(' ')} ${JSON.stringify(properties.LogGroupName)}`;
      perGroup.set(key, (perGroup.get(key) ?? 0) + 1);
    }
    expect([...perGroup.entries()].filter(([, n]) => n > 2)).toEqual([]);
    expect(resourcesOf('AWS::Logs::AccountPolicy').filter(({ properties }) => properties.PolicyType === 'SUBSCRIPTION_FILTER_POLICY')).toEqual([]);
  });
});

/**
 * What the checks of a deploy's synth of `config` find (cdk-nag, and CloudFormation's default rules:
 * the CDK's built-in validation), and the synth's error.
 */
function deployCheckFindings(config: TributaryConfig): { findings: string[]; failure?: unknown } {
  const app = testApp({ rules: true });
  addTributaryStacks(app, config, { checks: true });
  addChecks(app);
  let failure: unknown;
  try {
    app.synth();
  } catch (error) {
    failure = error;
  }
  const findings = validationFindings(app.outdir).map((f) => `${f.severity} ${f.ruleName} at ${f.constructPath}: ${f.description}`);
  return { findings, ...(failure === undefined ? {} : { failure }) };
}

describe("a deploy's checks: cdk-nag and CloudFormation's default rules (the CDK's built-in template validation, binding)", () => {
  it.each(configs)(
    'find no unacknowledged cdk-nag finding and no error or warning of the rules in the %s config, its StackSet bodies included',
    (_, config) => {
      // Act
      const { findings, failure } = deployCheckFindings(config);

      // Assess
      expect(findings).toEqual([]);
      expect(failure).toBeUndefined();
    },
  );
});

const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const describeLint = cfnLint.status === 0 ? describe : describe.skip;
if (cfnLint.status !== 0)
  process.stderr.write('NOTICE: cfn-lint is not installed here; the cfn-lint check of the templates is skipped (pip install cfn-lint to run it).\n');

/**
 * cfn-lint runs while the suite is collected, not inside the test: linting every template takes
 * tens of seconds of CPU, and no test may depend on finishing within a time limit.
 */
function lintAll(): { findings: string[]; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-cfn-lint-'));
  // Identical bodies (a StackSet template in each config, say) are linted once. The example
  // config's templates are the large config's without its options: they are linted through those.
  const linted = new Set<string>();
  for (const [c, { name, templates }] of synthesized.entries()) {
    if (name === 'example') continue;
    for (const [t, { name: stack, template }] of templates.entries()) {
      const body = JSON.stringify(template);
      if (linted.has(body)) continue;
      linted.add(body);
      writeFileSync(join(dir, `${c}-${t}-${stack.replace(/\W+/g, '-')}.json`), body);
    }
  }
  const regions = [...new Set(synthesized.flatMap(({ config }) => config.governedRegions))];
  // W3005 (a DependsOn that a GetAtt already implies) is CDK's own: it orders a role's default
  // policy before the function that uses the role; harmless to CloudFormation.
  const files = [...readdirSync(dir)].map((f) => join(dir, f));
  const run = spawnSync('cfn-lint', ['--format', 'parseable', '--ignore-checks', 'W3005', '--regions', ...regions, '--', ...files], { encoding: 'utf8' });
  return { findings: run.stdout.split('\n').filter(Boolean), status: run.status };
}
const lint = cfnLint.status === 0 ? lintAll() : undefined;

describeLint('cfn-lint', () => {
  it("lints the example config's resources through the large config's: each is there, of the same type", () => {
    const [example, large] = ['example', '150 exclusions and a SIEM'].map((name) => synthesized.find((s) => s.name === name)!.templates);
    const resources = (templates: typeof example) =>
      templates!.flatMap(({ name, template }) => Object.entries<Resource>(template.Resources).map(([id, r]) => `${name} ${id} ${r.Type}`));
    const inLarge = new Set(resources(large));
    expect(resources(example).filter((resource) => !inLarge.has(resource))).toEqual([]);
  });

  it('finds 0 errors and 0 warnings in every template and StackSet body of the account-list and large configs, in every governed region', () => {
    expect(lint!.findings).toEqual([]);
    expect(lint!.status).toBe(0);
  });
});
