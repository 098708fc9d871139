/**
 * The config's fields at the edges a forced Stryker run of tasks/lib/config.ts found untested:
 * anchors of every ARN and URL pattern, the messages of enums and ranges, the defaults, and the
 * cross-field rules at their boundary. One case per surviving mutant, each named for what it
 * guards.
 */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CONFIG_FILE_VARIABLE, loadConfig, parseConfig } from '../../tasks/lib/config';
import { InvalidConfigError } from '../../tasks/lib/errors';
import { example as ex, problems } from './config-problems';

const SECRET = 'arn:aws:secretsmanager:us-east-1:555555555555:secret:tributary/siem-AbCdEf';
const http = { type: 'http', url: 'https://siem.example.com/ingest', accessKeySecretArn: SECRET };
const splunk = { type: 'splunk', hecEndpoint: 'https://splunk.example.com:443/services/collector', hecTokenSecretArn: SECRET };
const DOMAIN = 'arn:aws:es:us-east-1:555555555555:domain/security-logs';
const opensearch = { type: 'opensearch', domainArn: DOMAIN, indexName: 'tributary' };
const KEY = 'arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const FINGERPRINT = 'a'.repeat(64);
const LONG_URL = `https://siem.example.com/${'a'.repeat(976)}`;
const LONG_FILTER = 'a'.repeat(257);
const OTHER_PARTITION = 'is outside the aws partition (China, GovCloud and isolated regions are not supported yet)';

describe('config edges', () => {
  it.each<[string, object, string[]]>([
    [
      'a region that only contains a partition prefix',
      { homeRegion: 'xcn-north-1' },
      ['config.homeRegion: "xcn-north-1" is not a known AWS region', 'config.homeRegion: "xcn-north-1" must also be one of governedRegions'],
    ],
    [
      'an isolated region without a letter after "iso"',
      { governedRegions: ['us-east-1', 'us-iso-east-1'] },
      ['config.governedRegions[1]: "us-iso-east-1" is not a known AWS region', `config.governedRegions[1]: "us-iso-east-1" ${OTHER_PARTITION}`],
    ],
    [
      'a URL of 1,001 characters',
      { siem: { destination: { ...http, url: LONG_URL } } },
      [`config.siem.destination.url: "${LONG_URL}" is longer than 1000 characters`],
    ],
    [
      'a URL behind a prefix',
      { siem: { destination: { ...http, url: 'xhttps://siem.example.com/' } } },
      ['config.siem.destination.url: "xhttps://siem.example.com/" is not an https URL on port 443 (the only port Firehose delivers to)'],
    ],
    [
      'a secret ARN behind a prefix',
      { siem: { destination: { ...http, accessKeySecretArn: `x${SECRET}` } } },
      [`config.siem.destination.accessKeySecretArn: "x${SECRET}" is not a Secrets Manager secret ARN`],
    ],
    [
      'a secret ARN with a character a secret name cannot hold',
      { siem: { destination: { ...http, accessKeySecretArn: `${SECRET}!` } } },
      [`config.siem.destination.accessKeySecretArn: "${SECRET}!" is not a Secrets Manager secret ARN`],
    ],
    [
      'a HEC endpoint type in lower case',
      { siem: { destination: { ...splunk, hecEndpointType: 'raw' } } },
      ['config.siem.destination.hecEndpointType: "raw" must be "Raw" or "Event"'],
    ],
    [
      'a domain ARN behind a prefix',
      { governedRegions: ['us-east-1'], siem: { destination: { ...opensearch, domainArn: `x${DOMAIN}` } } },
      [`config.siem.destination.domainArn: "x${DOMAIN}" is not an OpenSearch Service domain ARN`],
    ],
    [
      'a domain ARN with a trailing path',
      { governedRegions: ['us-east-1'], siem: { destination: { ...opensearch, domainArn: `${DOMAIN}/` } } },
      [`config.siem.destination.domainArn: "${DOMAIN}/" is not an OpenSearch Service domain ARN`],
    ],
    [
      'an index name ending in a character an index cannot hold',
      { governedRegions: ['us-east-1'], siem: { destination: { ...opensearch, indexName: 'logs!' } } },
      ['config.siem.destination.indexName: "logs!" is not an index name (lowercase, at most 80 characters)'],
    ],
    ['a format in upper case', { siem: { destination: http, format: 'OCSF' } }, ['config.siem.format: "OCSF" must be "ocsf" or "raw"']],
    [
      'a filter of 257 characters',
      { siem: { destination: http, filters: { audit: [LONG_FILTER] } } },
      [`config.siem.filters.audit[0]: "${LONG_FILTER}" is longer than 256 characters`],
    ],
    ['retries of 1.5 s', { siem: { destination: http, retrySeconds: 1.5 } }, ['config.siem.retrySeconds: 1.5 must be a whole number']],
    ['an outage of 1.5 hours', { siem: { destination: http, maxOutageHours: 1.5 } }, ['config.siem.maxOutageHours: 1.5 must be a whole number']],
    ['an outage of 0 hours', { siem: { destination: http, maxOutageHours: 0 } }, ['config.siem.maxOutageHours: 0 must be at least 1 hour']],
    [
      'a flow log destination in upper case',
      { flowLogs: { ...ex.flowLogs, destination: 'S3' } },
      ['config.flowLogs.destination: "S3" must be "log-group" or "s3"'],
    ],
    [
      'a trusted key ARN behind a prefix',
      { archive: { ...ex.archive, trustedDigestKey: { keyArn: `x${KEY}`, fingerprint: FINGERPRINT } } },
      [`config.archive.trustedDigestKey.keyArn: "x${KEY}" is not a KMS key ARN`],
    ],
    [
      'a trusted key in the China partition, where the digests cannot be signed',
      { archive: { ...ex.archive, trustedDigestKey: { keyArn: KEY.replace('arn:aws:kms:us-east-1', 'arn:aws-cn:kms:cn-north-1'), fingerprint: FINGERPRINT } } },
      [`config.archive.trustedDigestKey.keyArn: "${KEY.replace('arn:aws:kms:us-east-1', 'arn:aws-cn:kms:cn-north-1')}" is not a KMS key ARN`],
    ],
    [
      'an SCP mode in title case',
      { tamperRepair: { ...ex.tamperRepair, serviceControlPolicy: 'Deploy' } },
      ['config.tamperRepair.serviceControlPolicy: "Deploy" must be "deploy" or "document"'],
    ],
    ['a backfill of no category', { backfill: { days: 7, categories: [] } }, ['config.backfill.categories: [] must name at least one category']],
    [
      'a backfill of 999,999 bytes per account',
      { backfill: { days: 7, maxBytesPerAccount: 999_999 } },
      ['config.backfill.maxBytesPerAccount: 999999 must be at least 1,000,000 bytes'],
    ],
    [
      'a backfill of a fraction of a byte',
      { backfill: { days: 7, maxBytesPerAccount: 1_500_000.5 } },
      ['config.backfill.maxBytesPerAccount: 1500000.5 must be a whole number'],
    ],
    [
      'one account more than the quota holds, partitioned by account (no other partitioning to suggest)',
      { archive: { ...ex.archive, partitioning: 'account', expectedAccounts: 251, activePartitionQuota: 500 } },
      [
        'config.archive.expectedAccounts: 251 needs up to 502 active Firehose partitions per region with partitioning "account", more than archive.activePartitionQuota (500): records past it would land under errors/; ask AWS to raise the quota (5000 at most) and set it here',
      ],
    ],
  ])('refuses %s, naming the field and the value', (_name, overrides, expected) => {
    expect(problems(overrides)).toEqual(expected);
  });

  it.each<[string, object]>([
    ['an OU id', { memberBaselineTargets: ['ou-ab12-abcdefgh'] }],
    ['an IAM user as the plan role principal', { planRolePrincipal: 'arn:aws:iam::123456789012:user/alice' }],
    ['a trusted key of the aws partition', { archive: { ...ex.archive, trustedDigestKey: { keyArn: KEY, fingerprint: FINGERPRINT } } }],
    ['an Event HEC endpoint', { siem: { destination: { ...splunk, hecEndpointType: 'Event' } } }],
    ["the archive's own lines for the SIEM", { siem: { destination: http, format: 'raw' } }],
    ['flow logs to S3', { flowLogs: { ...ex.flowLogs, destination: 's3' } }],
    ['an SCP Tributary deploys', { tamperRepair: { ...ex.tamperRepair, serviceControlPolicy: 'deploy' } }],
    ['a backfill of two categories', { backfill: { days: 7, categories: ['audit', 'network'] } }],
    ['exactly as many partitions as the quota', { archive: { ...ex.archive, partitioning: 'account', expectedAccounts: 250, activePartitionQuota: 500 } }],
    ['GuardDuty off with the management account named as its administrator', { guardDuty: { mode: 'off', administratorAccount: ex.accounts.management } }],
  ])('accepts %s', (_name, overrides) => {
    expect(problems(overrides)).toEqual([]);
  });

  it('fills in the defaults: a Raw HEC endpoint, a backfill of audit, network and application up to 50 GB per account', () => {
    // Act
    const withSplunk = parseConfig({ ...ex, siem: { destination: splunk } });
    const withBackfill = parseConfig({ ...ex, backfill: { days: 7 } });

    // Assess
    expect(withSplunk.siem?.destination).toEqual({ ...splunk, hecEndpointType: 'Raw' });
    expect(withBackfill.backfill).toEqual({ days: 7, categories: ['audit', 'network', 'application'], maxBytesPerAccount: 50e9 });
  });

  it("is named by the variable the README's commands set", () => {
    expect(CONFIG_FILE_VARIABLE).toBe('TRIBUTARY_CONFIG_FILE');
  });

  it('reports a readable file of valid JSON with a bad field as that field, not as bad JSON', () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'tributary-config-')), 'my-org.json');
    writeFileSync(file, JSON.stringify({ ...ex, homeRegion: 'mars-1' }));

    // Act
    let refusal: unknown;
    try {
      loadConfig(file);
    } catch (error) {
      refusal = error;
    }

    // Assess
    expect(refusal).toBeInstanceOf(InvalidConfigError);
    expect((refusal as InvalidConfigError).problems).toEqual([
      'config.homeRegion: "mars-1" is not a known AWS region',
      'config.homeRegion: "mars-1" must also be one of governedRegions',
    ]);
  });
});
