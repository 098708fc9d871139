/**
 * `tributary plan` shows what the subscribed groups hold now (DescribeLogGroups `storedBytes`) per
 * account-region and, with a SIEM configured, the SIEM's share of that volume; `--json` too.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { offlineOrganization } from '../../bin/step-functions';
import { backfillEstimate, planOrganization, volumeShare } from '../../bin/plan-command';
import { EXAMPLE_CONFIG_PATH } from '../../tasks/lib/config';
import { categoryOf, logSourceOf } from '../../tasks/lib/data-path/log-source';
import { exclusionMatcher } from '../../tasks/lib/ownership';
import type { AccountId, LogGroupName, Region } from '../../tasks/lib/domain';
import { NO_AWS, tributary } from './in-process';

const siem = {
  destination: { type: 'http', url: 'https://siem.example.com/ingest', accessKeySecretArn: 'arn:aws:secretsmanager:us-east-1:555555555555:secret:siem-AbCdEf' },
  categories: ['audit', 'network'],
};

function configWithSiem(extra: object = {}, top: object = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-plan-'));
  const path = join(dir, 'tributary.json');
  writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(EXAMPLE_CONFIG_PATH, 'utf8')), siem: { ...siem, ...extra }, ...top }));
  return path;
}

describe('plan: volume and the SIEM share', () => {
  it("sums each category's stored bytes over the groups it would subscribe, excluded groups left out, and the SIEM's share of them", async () => {
    // Prepare
    const env = offlineOrganization(configWithSiem(), { lateRoles: 0 });
    const accounts = [...env.state.accounts.values()].filter((a) => a.id !== env.config.accounts.management).map((a) => a.id as AccountId);
    let archive = 0;
    let siemBytes = 0;
    for (const account of accounts) {
      const excluded = exclusionMatcher(env.config, account);
      for (const region of env.config.governedRegions) {
        for (const group of env.state.accountRegion(account, region).logGroups.values()) {
          if (excluded(group.logGroupName as LogGroupName).excluded) continue;
          archive += group.storedBytes;
          if (['audit', 'network'].includes(categoryOf(logSourceOf(group.logGroupName)))) siemBytes += group.storedBytes;
        }
      }
    }

    // Act
    const plans = await env.clock.run(() => planOrganization(env.context, accounts, env.config.governedRegions as Region[]));
    const share = volumeShare(plans, env.config.siem);

    // Assess
    expect(archive).toBeGreaterThan(0);
    expect(siemBytes).toBeGreaterThan(0);
    expect(share).toEqual({ archiveBytes: archive, siemBytes, share: siemBytes / archive, filtered: false });
    expect(volumeShare(plans, undefined)).toBeUndefined();
  });

  it('prints the stored bytes per account-region, the SIEM column and share, and says a filter makes it an upper bound', async () => {
    // Act
    const { code, stdout } = await tributary(['plan', '--offline', '--config', configWithSiem({ filters: { network: ['REJECT'] } })], NO_AWS);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(/\bstored\b.*\bSIEM\b/);
    expect(stdout).toMatch(
      /^SIEM share: [\d.]+ [KMGT]?B of the [\d.]+ [KMGT]?B the subscribed groups hold now \([\d.]+%, categories audit, network\); at most that: siem\.filters keep only matching events\.$/m,
    );
  });

  it('gives the share in --json', async () => {
    // Act
    const { code, stdout } = await tributary(['plan', '--offline', '--json', '--config', configWithSiem()], NO_AWS);

    // Assess
    expect(code).toBe(0);
    const { siem: share, plans } = JSON.parse(stdout) as {
      siem: { archiveBytes: number; siemBytes: number; share: number };
      plans: Array<{ items: Array<{ kind: string; bytes?: number }> }>;
    };
    const stored = plans.flatMap((p) => p.items).filter((i) => i.kind === 'stored-bytes');
    expect(share.archiveBytes).toBe(stored.reduce((n, i) => n + i.bytes!, 0));
    expect(share.share).toBeGreaterThan(0);
    expect(share.share).toBeLessThan(1);
  });

  it('estimates a backfill from the stored bytes of its categories, capped per account, with the time of the largest account-region at the paced rate', async () => {
    // Prepare
    const env = offlineOrganization(configWithSiem({}, { backfill: { days: 7, categories: ['application'], maxBytesPerAccount: 2_000_000_000 } }), {
      lateRoles: 0,
    });
    const accounts = [...env.state.accounts.values()].filter((a) => a.id !== env.config.accounts.management).map((a) => a.id as AccountId);
    const plans = await env.clock.run(() => planOrganization(env.context, accounts, env.config.governedRegions as Region[]));

    // Act
    const estimate = backfillEstimate(plans, env.config.backfill)!;
    const uncapped = backfillEstimate(plans, { ...env.config.backfill!, maxBytesPerAccount: 1e15 })!;

    // Assess
    const application = (account: string) =>
      plans
        .filter((p) => p.account === account)
        .flatMap((p) => p.items)
        .reduce((n, i) => (i.kind === 'stored-bytes' && i.category === 'application' ? n + i.bytes : n), 0);
    expect(uncapped.bytes).toBe(accounts.reduce((n, a) => n + application(a), 0));
    expect(estimate.bytes).toBeCloseTo(
      accounts.reduce((n, a) => n + Math.min(application(a), 2e9), 0),
      0,
    );
    expect(estimate.bytes).toBeLessThan(uncapped.bytes);
    const largest = Math.max(...plans.map((p) => p.items.reduce((n, i) => (i.kind === 'stored-bytes' && i.category === 'application' ? n + i.bytes : n), 0)));
    expect(uncapped.longestSeconds).toBe(Math.ceil(largest / 1_048_576) / 4);
    expect(uncapped.accountRegions).toBe(plans.length);
    expect(uncapped.dollars.s3Puts).toBeGreaterThan(0);
    const pages = plans.map((p) =>
      Math.ceil(p.items.reduce((n, i) => (i.kind === 'stored-bytes' && i.category === 'application' ? n + i.bytes : n), 0) / 1_048_576),
    );
    const allPages = pages.reduce((n, p) => n + p, 0);
    expect(uncapped.dollars.dynamoDb).toBeCloseTo(((allPages * 3) / 1e6) * 0.625, 10);
    expect(uncapped.dollars.stepFunctions).toBeCloseTo((pages.reduce((n, p) => n + Math.ceil(p / 50) * 3, 0) / 1000) * 0.025, 10);
    expect(backfillEstimate(plans, undefined)).toBeUndefined();
  });

  it('prints the backfill estimate, and gives it in --json', async () => {
    // Prepare
    const config = configWithSiem({}, { backfill: { days: 30 } });

    // Act
    const text = await tributary(['plan', '--offline', '--config', config], NO_AWS);
    const json = await tributary(['plan', '--offline', '--json', '--config', config], NO_AWS);

    // Assess
    expect(text.stdout).toMatch(
      /^Backfill \(30 days\): at most [\d.]+ [KMGT]?B in \d+ account-regions; the largest takes at least \d+ min at 4 FilterLogEvents pages a second; Lambda \$[\d.]+, S3 PUTs \$[\d.]+, DynamoDB \$[\d.]+, Step Functions \$[\d.]+ \(prices of \d{4}-\d{2}-\d{2}\)\.$/m,
    );
    expect(JSON.parse(json.stdout).backfill).toMatchObject({ days: 30, accountRegions: expect.any(Number), bytes: expect.any(Number) });
  });
});
