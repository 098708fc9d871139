/**
 * Every config refusal names the field and the value, one line each: hostile and almost-right
 * values at every field's boundary (anchors, lengths, enums, ranges). Written for the config
 * mutants Stryker found surviving.
 */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadConfig, parseConfig } from '../../tasks/lib/config';
import { InvalidConfigError } from '../../tasks/lib/errors';
import { example, problems } from './config-problems';

const ex = example;

describe('config refusals', () => {
  it.each<[string, object, string[]]>([
    [
      '11 digits',
      { accounts: { ...ex.accounts, management: '12345678901' } },
      ['config.accounts.management: "12345678901" is not an AWS account id (12 digits)'],
    ],
    [
      '13 digits',
      { accounts: { ...ex.accounts, management: '1234567890123' } },
      ['config.accounts.management: "1234567890123" is not an AWS account id (12 digits)'],
    ],
    [
      'digits then text',
      { accounts: { ...ex.accounts, management: '123456789012x' } },
      ['config.accounts.management: "123456789012x" is not an AWS account id (12 digits)'],
    ],
    [
      'text then digits',
      { accounts: { ...ex.accounts, management: 'x123456789012' } },
      ['config.accounts.management: "x123456789012" is not an AWS account id (12 digits)'],
    ],
    ['org short', { organizationId: 'o-abc' }, ['config.organizationId: "o-abc" is not an organization id (o- then 10-32 lowercase letters or digits)']],
    [
      'org prefix',
      { organizationId: 'xo-exampleorg1' },
      ['config.organizationId: "xo-exampleorg1" is not an organization id (o- then 10-32 lowercase letters or digits)'],
    ],
    [
      'org suffix',
      { organizationId: 'o-exampleorg1!' },
      ['config.organizationId: "o-exampleorg1!" is not an organization id (o- then 10-32 lowercase letters or digits)'],
    ],
    ['targets empty', { memberBaselineTargets: [] }, ['config.memberBaselineTargets: [] must name the root or at least one OU']],
    [
      'target prefix',
      { memberBaselineTargets: ['xr-exam'] },
      ['config.memberBaselineTargets[0]: "xr-exam" is not an organization root (r-...) or OU id (ou-...)'],
    ],
    [
      'target suffix',
      { memberBaselineTargets: ['r-exam!'] },
      ['config.memberBaselineTargets[0]: "r-exam!" is not an organization root (r-...) or OU id (ou-...)'],
    ],
    [
      'ou short',
      { memberBaselineTargets: ['ou-ab-12345678'] },
      ['config.memberBaselineTargets[0]: "ou-ab-12345678" is not an organization root (r-...) or OU id (ou-...)'],
    ],
    [
      'ou tail short',
      { memberBaselineTargets: ['ou-abcd-1234567'] },
      ['config.memberBaselineTargets[0]: "ou-abcd-1234567" is not an organization root (r-...) or OU id (ou-...)'],
    ],
    [
      'ou tail upper',
      { memberBaselineTargets: ['ou-abcd-ABCDEFGH'] },
      ['config.memberBaselineTargets[0]: "ou-abcd-ABCDEFGH" is not an organization root (r-...) or OU id (ou-...)'],
    ],
    ['role space', { memberRoleName: 'Member Role' }, ['config.memberRoleName: "Member Role" is not a valid IAM role name']],
    ['role prefix', { memberRoleName: ' Member' }, ['config.memberRoleName: " Member" is not a valid IAM role name']],
    [
      'role 38',
      { memberRoleName: 'a'.repeat(38) },
      [
        'config.memberRoleName: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" is longer than 37 characters: each task\'s member role is named <memberRoleName>-<Task>, at most 64',
      ],
    ],
    [
      'principal 11 digits',
      { planRolePrincipal: 'arn:aws:iam::12345678901:root' },
      ['config.planRolePrincipal: "arn:aws:iam::12345678901:root" is not an IAM role, user or account root ARN'],
    ],
    [
      'principal trailing',
      { planRolePrincipal: 'arn:aws:iam::123456789012:root ' },
      ['config.planRolePrincipal: "arn:aws:iam::123456789012:root " is not an IAM role, user or account root ARN'],
    ],
    [
      'principal leading',
      { planRolePrincipal: ' arn:aws:iam::123456789012:root' },
      ['config.planRolePrincipal: " arn:aws:iam::123456789012:root" is not an IAM role, user or account root ARN'],
    ],
    [
      'principal role space',
      { planRolePrincipal: 'arn:aws:iam::123456789012:role/a b' },
      ['config.planRolePrincipal: "arn:aws:iam::123456789012:role/a b" is not an IAM role, user or account root ARN'],
    ],
    [
      'principal role empty',
      { planRolePrincipal: 'arn:aws:iam::123456789012:role/' },
      ['config.planRolePrincipal: "arn:aws:iam::123456789012:role/" is not an IAM role, user or account root ARN'],
    ],
    [
      'principal user empty',
      { planRolePrincipal: 'arn:aws:iam::123456789012:user/' },
      ['config.planRolePrincipal: "arn:aws:iam::123456789012:user/" is not an IAM role, user or account root ARN'],
    ],
    [
      'principal letters',
      { planRolePrincipal: 'arn:aws:iam::12345678901a:root' },
      ['config.planRolePrincipal: "arn:aws:iam::12345678901a:root" is not an IAM role, user or account root ARN'],
    ],
    ['glob empty', { logGroupExclusions: [''] }, ['config.logGroupExclusions[0]: "" is an empty glob']],
    [
      'filter long',
      { subscription: { mode: 'log-group', filterPattern: 'x'.repeat(1025) } },
      [`config.subscription.filterPattern: "${'x'.repeat(1025)}" is longer than 1024 characters`],
    ],
    ['traffic', { flowLogs: { ...ex.flowLogs, trafficType: 'SOME' } }, ['config.flowLogs.trafficType: "SOME" must be ALL, ACCEPT or REJECT']],
    ['destination', { flowLogs: { ...ex.flowLogs, destination: 'kinesis' } }, ['config.flowLogs.destination: "kinesis" must be "log-group" or "s3"']],
    ['gd mode', { guardDuty: { ...ex.guardDuty, mode: 'on' } }, ['config.guardDuty.mode: "on" must be "organization", "invitation" or "off"']],
    [
      'partitioning',
      { archive: { ...ex.archive, partitioning: 'hourly' } },
      ['config.archive.partitioning: "hourly" must be one of "account-category", "account"'],
    ],
    ['expected 1.5', { archive: { ...ex.archive, expectedAccounts: 1.5 } }, ['config.archive.expectedAccounts: 1.5 must be a whole number']],
    ['expected 0', { archive: { ...ex.archive, expectedAccounts: 0 } }, ['config.archive.expectedAccounts: 0 must be at least 1']],
    [
      'quota 499',
      { archive: { ...ex.archive, activePartitionQuota: 499 } },
      ['config.archive.activePartitionQuota: 499 must be between 500 (the default quota) and 5000'],
    ],
    ['quota 500.5', { archive: { ...ex.archive, activePartitionQuota: 500.5 } }, ['config.archive.activePartitionQuota: 500.5 must be a whole number']],
    ['breakglass', { archive: { ...ex.archive, breakGlassRoleName: 'a b' } }, ['config.archive.breakGlassRoleName: "a b" is not a valid IAM role name']],
    ['breakglass lead', { archive: { ...ex.archive, breakGlassRoleName: ' ab' } }, ['config.archive.breakGlassRoleName: " ab" is not a valid IAM role name']],
    [
      'key arn',
      { archive: { ...ex.archive, trustedDigestKey: { keyArn: 'arn:aws:kms:us-east-1:123:key/x', fingerprint: 'a'.repeat(64) } } },
      ['config.archive.trustedDigestKey.keyArn: "arn:aws:kms:us-east-1:123:key/x" is not a KMS key ARN'],
    ],
    [
      'key arn trail',
      { archive: { ...ex.archive, trustedDigestKey: { keyArn: 'arn:aws:kms:us-east-1:123456789012:key/x!', fingerprint: 'a'.repeat(64) } } },
      ['config.archive.trustedDigestKey.keyArn: "arn:aws:kms:us-east-1:123456789012:key/x!" is not a KMS key ARN'],
    ],
    [
      'key arn region',
      { archive: { ...ex.archive, trustedDigestKey: { keyArn: 'arn:aws:kms::123456789012:key/x', fingerprint: 'a'.repeat(64) } } },
      ['config.archive.trustedDigestKey.keyArn: "arn:aws:kms::123456789012:key/x" is not a KMS key ARN'],
    ],
    [
      'fingerprint 63',
      { archive: { ...ex.archive, trustedDigestKey: { keyArn: 'arn:aws:kms:us-east-1:123456789012:key/x', fingerprint: 'a'.repeat(63) } } },
      [
        'config.archive.trustedDigestKey.fingerprint: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" is not a SHA-256 fingerprint (64 lowercase hex digits)',
      ],
    ],
    [
      'fingerprint 65',
      { archive: { ...ex.archive, trustedDigestKey: { keyArn: 'arn:aws:kms:us-east-1:123456789012:key/x', fingerprint: 'a'.repeat(65) } } },
      [
        'config.archive.trustedDigestKey.fingerprint: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" is not a SHA-256 fingerprint (64 lowercase hex digits)',
      ],
    ],
    [
      'fingerprint upper',
      { archive: { ...ex.archive, trustedDigestKey: { keyArn: 'arn:aws:kms:us-east-1:123456789012:key/x', fingerprint: 'A'.repeat(64) } } },
      [
        'config.archive.trustedDigestKey.fingerprint: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" is not a SHA-256 fingerprint (64 lowercase hex digits)',
      ],
    ],
    ['cloudtrail', { cloudTrail: 'maybe' }, ['config.cloudTrail: "maybe" must be "create", "existing" or "off"']],
    ['email no dot', { notifications: { email: 'soc@example' } }, ['config.notifications.email: "soc@example" is not an e-mail address']],
    ['email space', { notifications: { email: 'so c@example.com' } }, ['config.notifications.email: "so c@example.com" is not an e-mail address']],
    ['email no local', { notifications: { email: '@example.com' } }, ['config.notifications.email: "@example.com" is not an e-mail address']],
    ['email trailing', { notifications: { email: 'soc@example.com ' } }, ['config.notifications.email: "soc@example.com " is not an e-mail address']],
    ['email two @', { notifications: { email: 'soc@ex@ample.com' } }, ['config.notifications.email: "soc@ex@ample.com" is not an e-mail address']],
    ['repairs 0', { tamperRepair: { maxRepairsPerHour: 0 } }, ['config.tamperRepair.maxRepairsPerHour: 0 must be between 1 and 100']],
    ['repairs 101', { tamperRepair: { maxRepairsPerHour: 101 } }, ['config.tamperRepair.maxRepairsPerHour: 101 must be between 1 and 100']],
    ['repairs 1.5', { tamperRepair: { maxRepairsPerHour: 1.5 } }, ['config.tamperRepair.maxRepairsPerHour: 1.5 must be a whole number']],
    ['scp', { tamperRepair: { serviceControlPolicy: 'enforce' } }, ['config.tamperRepair.serviceControlPolicy: "enforce" must be "deploy" or "document"']],
    ['lock 0', { retention: { ...ex.retention, objectLockDays: 0 } }, ['config.retention.objectLockDays: 0 must be at least 1 day']],
    ['glacier -1', { retention: { ...ex.retention, glacierAfterDays: -1 } }, ['config.retention.glacierAfterDays: -1 must not be negative']],
    ['stream 23', { retention: { ...ex.retention, streamHours: 23 } }, ['config.retention.streamHours: 23 must be between 24 and 8760 hours']],
    ['stream 8761', { retention: { ...ex.retention, streamHours: 8761 } }, ['config.retention.streamHours: 8761 must be between 24 and 8760 hours']],
    [
      'gd admin management',
      { guardDuty: { ...ex.guardDuty, administratorAccount: ex.accounts.management } },
      [
        'config.guardDuty.administratorAccount: "111111111111" is the management account: the tasks reach the administrator through member roles the baseline never deploys there, and AWS recommends a delegated member; use a member account',
      ],
    ],
    ['duplicate region', { governedRegions: ['us-east-1', 'eu-west-1', 'us-east-1'] }, ['config.governedRegions[2]: "us-east-1" is listed twice']],
    [
      'isob',
      { governedRegions: ['us-east-1', 'us-isob-east-1'] },
      [
        'config.governedRegions[1]: "us-isob-east-1" is not a known AWS region',
        'config.governedRegions[1]: "us-isob-east-1" is outside the aws partition (China, GovCloud and isolated regions are not supported yet)',
      ],
    ],
    [
      'eu-isoe',
      { governedRegions: ['us-east-1', 'eu-isoe-west-1'] },
      [
        'config.governedRegions[1]: "eu-isoe-west-1" is not a known AWS region',
        'config.governedRegions[1]: "eu-isoe-west-1" is outside the aws partition (China, GovCloud and isolated regions are not supported yet)',
      ],
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(problems(overrides)).toEqual(expected);
  });

  it.each<[string, object]>([
    ['a 37-character member role prefix', { memberRoleName: 'a'.repeat(37) }],
    ['a role ARN with a path', { planRolePrincipal: 'arn:aws:iam::123456789012:role/ops/admin' }],
    ['the default partition quota', { archive: { ...ex.archive, activePartitionQuota: 500 } }],
    ['an e-mail with a plus and a two-part domain', { notifications: { email: 'soc+alerts@example.co.uk' } }],
    ['one repair an hour', { tamperRepair: { maxRepairsPerHour: 1 } }],
    ['100 repairs an hour', { tamperRepair: { maxRepairsPerHour: 100 } }],
    ['24 hours of stream', { retention: { ...ex.retention, streamHours: 24 } }],
    ['8760 hours of stream', { retention: { ...ex.retention, streamHours: 8760 } }],
  ])('accepts %s, at its boundary', (_name, overrides) => {
    expect(problems(overrides)).toEqual([]);
  });

  it('fills the defaults of optional fields', () => {
    const { logGroupExclusions: _exclusions, subscription: _subscription, ...rest } = ex;
    const config = parseConfig({ ...rest, subscription: { mode: 'log-group' } });
    expect(config.logGroupExclusions).toEqual([]);
    expect(config.subscription).toMatchObject({ filterPattern: '' });
  });

  it('names an unreadable file and a file that is not JSON, with the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tributary-config-'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "organizationId": ');
    expect(() => loadConfig(join(dir, 'absent.json'))).toThrow(new RegExp(`cannot read config file ${dir}/absent.json: ENOENT`));
    expect(() => loadConfig(broken)).toThrow(new RegExp(`${broken} is not valid JSON: `));
    try {
      loadConfig(broken);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidConfigError);
    }
  });
});
