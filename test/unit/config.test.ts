import { readFileSync } from 'fs';
import { EXAMPLE_CONFIG_PATH, loadConfig, parseConfig } from '../../tasks/lib/config';
import { InvalidConfigError } from '../../tasks/lib/errors';

const example = JSON.parse(readFileSync(EXAMPLE_CONFIG_PATH, 'utf8'));

describe('config', () => {
  it('accepts the committed example', () => {
    const config = loadConfig(EXAMPLE_CONFIG_PATH);
    expect(config.governedRegions).toEqual(['us-east-1', 'eu-west-1', 'ap-southeast-2']);
    expect(config.subscription.mode).toBe('log-group');
  });

  it('accepts a config of the previous version (no cloudTrail, tamperRepair, notifications or planRolePrincipal) with their defaults', () => {
    const config = parseConfig(example);
    expect(example.cloudTrail).toBeUndefined();
    expect(config.cloudTrail).toBe('existing');
    expect(config.tamperRepair).toEqual({ maxRepairsPerHour: 5, serviceControlPolicy: 'document' });
    expect(config.notifications).toBeUndefined();
    expect(config.planRolePrincipal).toBeUndefined();
  });

  it.each([
    ['a bad account id', { accounts: { ...example.accounts, logging: '12345' } }, 'config.accounts.logging: "12345" is not an AWS account id'],
    ['an unknown region', { governedRegions: ['us-east-1', 'us-moon-1'] }, 'config.governedRegions[1]: "us-moon-1" is not a known AWS region'],
    [
      'a region of another partition',
      { governedRegions: ['us-east-1', 'cn-north-1'] },
      'config.governedRegions[1]: "cn-north-1" is outside the aws partition (China, GovCloud and isolated regions are not supported yet)',
    ],
    ['empty governed regions', { governedRegions: [] }, 'config.governedRegions: [] must list at least one region'],
    [
      'an unknown subscription mode',
      { subscription: { mode: 'stream', filterPattern: '' } },
      'config.subscription.mode: "stream" must be "log-group" or "account-policy"',
    ],
    ['an unknown destination access', { destinationAccess: 'everyone' }, 'config.destinationAccess: "everyone" must be "organization" or "account-list"'],
    ['a home region that is not governed', { homeRegion: 'eu-central-1' }, 'config.homeRegion: "eu-central-1" must also be one of governedRegions'],
    ['a missing field', { organizationId: undefined }, 'config.organizationId: is required and missing'],
    [
      'a trusted digest key that is an alias',
      { archive: { ...example.archive, trustedDigestKey: { keyArn: 'alias/tributary-archive-digests', fingerprint: 'ab'.repeat(32) } } },
      'config.archive.trustedDigestKey.keyArn: "alias/tributary-archive-digests" is not a KMS key ARN',
    ],
    [
      'a trusted digest key fingerprint in capitals',
      {
        archive: {
          ...example.archive,
          trustedDigestKey: { keyArn: 'arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab', fingerprint: 'AB'.repeat(32) },
        },
      },
      'config.archive.trustedDigestKey.fingerprint: "ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB" is not a SHA-256 fingerprint',
    ],
    ['an unknown field', { loggingAccount: '222222222222' }, 'loggingAccount'],
    [
      'an organization too large for the archive layout within the partition quota',
      { archive: { ...example.archive, expectedAccounts: 1000, activePartitionQuota: 5000 } },
      'config.archive.expectedAccounts: 1000 needs up to 6002 active Firehose partitions per region with partitioning "account-category", more than archive.activePartitionQuota (5000): records past it would land under errors/; ask AWS to raise the quota (5000 at most) and set it here, or archive.partitioning "account" (2000)',
    ],
    [
      'more accounts than the default quota holds',
      { archive: { ...example.archive, expectedAccounts: 84 } },
      'config.archive.expectedAccounts: 84 needs up to 506 active Firehose partitions',
    ],
    [
      'a quota Firehose does not grant',
      { archive: { ...example.archive, activePartitionQuota: 10000 } },
      'config.archive.activePartitionQuota: 10000 must be between 500 (the default quota) and 5000',
    ],
    [
      'a single account for everything (logging)',
      {
        accounts: { management: '111111111111', logging: '111111111111', orchestration: '111111111111' },
        guardDuty: { mode: 'off', administratorAccount: '111111111111' },
      },
      'config.accounts.logging: "111111111111" is the management account: the tasks reach the logging account through member roles the baseline never deploys in the management account',
    ],
    [
      'the management account as GuardDuty administrator',
      { guardDuty: { mode: 'invitation', administratorAccount: '111111111111' } },
      'config.guardDuty.administratorAccount: "111111111111" is the management account',
    ],
    ['an unknown trail mode', { cloudTrail: 'maybe' }, 'config.cloudTrail: "maybe" must be "create", "existing" or "off"'],
    ['a repair bound of zero', { tamperRepair: { maxRepairsPerHour: 0 } }, 'config.tamperRepair.maxRepairsPerHour: 0 must be between 1 and 100'],
    [
      'an SCP mode that does not exist',
      { tamperRepair: { serviceControlPolicy: 'enforce' } },
      'config.tamperRepair.serviceControlPolicy: "enforce" must be "deploy" or "document"',
    ],
    [
      'a notification address that is not one',
      { notifications: { email: 'soc at example.com' } },
      'config.notifications.email: "soc at example.com" is not an e-mail address',
    ],
    [
      'a plan principal that is not an IAM ARN',
      { planRolePrincipal: 'arn:aws:sts::333333333333:assumed-role/x/y' },
      'config.planRolePrincipal: "arn:aws:sts::333333333333:assumed-role/x/y" is not an IAM role, user or account root ARN',
    ],
  ])('rejects %s with a message naming the field and the value', (_why, change, message) => {
    // Prepare
    const raw = { ...example, ...change };

    // Act
    const parse = () => parseConfig(raw);

    // Assess
    expect(parse).toThrow(InvalidConfigError);
    expect(parse).toThrow(message);
  });

  it('accepts 1,000 accounts with one partition per account and a raised quota', () => {
    const config = parseConfig({ ...example, archive: { partitioning: 'account', expectedAccounts: 1000, activePartitionQuota: 5000 } });
    expect(config.archive).toEqual({ partitioning: 'account', expectedAccounts: 1000, activePartitionQuota: 5000, breakGlassRoleName: 'TributaryBreakGlass' });
  });

  it('reports every problem at once', () => {
    try {
      parseConfig({ ...example, homeRegion: 'nowhere', guardDuty: { mode: 'maybe', administratorAccount: 'x' } });
      throw new Error('expected a failure');
    } catch (error) {
      expect((error as InvalidConfigError).problems).toHaveLength(3);
    }
  });
});
