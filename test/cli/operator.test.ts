/** The operator commands (`onboard`, `status`), end to end, against the simulator and without AWS credentials. */
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { NO_AWS, tributary as run } from './in-process';

/** Every command here runs with no AWS anywhere (so nothing is ever called). */
const tributary = (args: string[]) => run(args, NO_AWS);

describe('tributary onboard', () => {
  it('--offline: onboards a simulated account, shows progress and the per-region summary, exits 0', async () => {
    const { code, stdout } = await tributary(['onboard', '100000000002', '--offline']);
    expect(code).toBe(0);
    expect(stdout).toContain('Started arn:aws:states:us-east-1:333333333333:execution:tributary-onboard-account:');
    expect(stdout).toContain('SUCCEEDED');
    expect(stdout).toMatch(/eu-west-1\s+Onboarded/);
    expect(stdout).toMatch(/GuardDuty/);
  });

  it('--offline --regions: onboards only those regions', async () => {
    const { code, stdout } = await tributary(['onboard', '100000000001', '--offline', '--regions', 'eu-west-1']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/eu-west-1\s+Onboarded/);
    expect(stdout).not.toMatch(/us-east-1\s+Onboarded/);
  });

  it('a bad account id: names it, exits 2 before calling anything', async () => {
    const { code, stderr } = await tributary(['onboard', '12-34', '--offline']);
    expect(code).toBe(2);
    expect(stderr).toContain('account-id: "12-34" is not an AWS account id');
  });

  it('no AWS credentials: says how to get them, exits 2', async () => {
    const { code, stderr } = await tributary([
      'onboard',
      '100000000002',
      '--region',
      'us-east-1',
      '--config',
      `${__dirname}/../../infra/config/tributary.example.json`,
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('tributary onboard: no AWS credentials: log in (aws sso login), set AWS_PROFILE or pass --profile');
  });

  it('no region: says which flag or variable to set, exits 2', async () => {
    const { code, stderr } = await tributary(['onboard', '100000000002', '--config', `${__dirname}/../../infra/config/tributary.example.json`]);
    expect(code).toBe(2);
    expect(stderr).toContain('no AWS region: pass --region or set AWS_REGION');
  });
});

describe('tributary offboard', () => {
  it('--offline: refuses an ACTIVE member, saying how to proceed, exits 1; with --force offboards it, exits 0', async () => {
    const refused = await tributary(['offboard', '100000000002', '--offline']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('AccountStillActive 100000000002 is still an ACTIVE member of the organization');
    expect(refused.stderr).toContain('"force": true');
    const forced = await tributary(['offboard', '100000000002', '--offline', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/eu-west-1\s+Offboarded/);
  });
});

describe('tributary status', () => {
  it('--offline: runs a short story and lists every workflow with its executions, exits 0', async () => {
    const { code, stdout } = await tributary(['status', '--offline']);
    expect(code).toBe(0);
    for (const workflow of ['onboard-account', 'onboard-region', 'subscribe-log-group', 'enable-flow-logs', 'offboard-account', 'reconcile'])
      expect(stdout).toContain(workflow);
    expect(stdout).toMatch(/reconcile\s+story-daily\s+SUCCEEDED/);
    expect(stdout).toMatch(/Latest reconcile: \d+ accounts; repaired/);
  });

  it('--offline with a backfill in the config: shows the backfill-region executions and what the finished ones archived', async () => {
    // Prepare
    const config = join(mkdtempSync(join(tmpdir(), 'tributary-status-')), 'config.json');
    const example = JSON.parse(readFileSync(`${__dirname}/../../infra/config/tributary.example.json`, 'utf8')) as object;
    writeFileSync(config, JSON.stringify({ ...example, backfill: { days: 7 } }));

    // Act
    const { code, stdout } = await tributary(['status', '--offline', '--config', config]);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(/backfill-region\s+local-\d+\s+(SUCCEEDED|RUNNING)/);
    expect(stdout).toMatch(
      /Backfill, the latest \d+ account-region executions: \d+ done \(\d+ log groups reached the horizon, \d+ events, \d+ bytes archived; 0 capped by maxBytesPerAccount\), \d+ running, 0 failed/,
    );
  });

  it('no AWS credentials: exits 2 with a readable message', async () => {
    const { code, stderr } = await tributary(['status', '--region', 'eu-west-1']);
    expect(code).toBe(2);
    expect(stderr).toContain('tributary status: no AWS credentials');
  });
});

describe('tributary reconcile', () => {
  it('--offline: runs a full reconcile, follows it, prints what it repaired per account-region, exits 0', async () => {
    const { code, stdout } = await tributary(['reconcile', '--offline']);
    expect(code).toBe(0);
    expect(stdout).toContain('Started arn:aws:states:us-east-1:333333333333:execution:tributary-reconcile:');
    expect(stdout).toMatch(/repaired 100000000001 eu-west-1: \d+ subscriptionFilters/);
    expect(stdout).toMatch(/\d+ accounts reconciled, 0 failed; drift found and repaired/);
  });

  it('no AWS credentials: says how to get them, exits 2', async () => {
    const { code, stderr } = await tributary(['reconcile', '--region', 'us-east-1']);
    expect(code).toBe(2);
    expect(stderr).toContain('tributary reconcile: no AWS credentials');
  });
});

describe('what an operator command may act on: one check, before anything starts (exit 2)', () => {
  const example = `${__dirname}/../../infra/config/tributary.example.json`;
  it.each([
    ['onboard the management account', ['onboard', '111111111111', '--offline'], 'account-id: "111111111111" is the management account'],
    [
      'onboard an account the organization does not know',
      ['onboard', '999999999999', '--offline'],
      'account-id: "999999999999" is not an account of the organization o-exampleorg1',
    ],
    [
      'onboard an ungoverned region',
      ['onboard', '100000000001', '--offline', '--regions', 'eu-central-1'],
      '--regions[0]: "eu-central-1" is not governed (config.governedRegions: us-east-1, eu-west-1, ap-southeast-2)',
    ],
    ['onboard a region twice', ['onboard', '100000000001', '--offline', '--regions', 'eu-west-1,eu-west-1'], '--regions[1]: "eu-west-1" is listed twice'],
    ['offboard the management account', ['offboard', '111111111111', '--offline'], 'account-id: "111111111111" is the management account'],
    [
      'offboard an account the organization does not know',
      ['offboard', '999999999999', '--offline'],
      'account-id: "999999999999" is not an account of the organization',
    ],
    ['plan the management account', ['plan', '--offline', '--account', '111111111111'], '--account: "111111111111" is the management account'],
    ['plan an unknown account', ['plan', '--offline', '--account', '999999999999'], '--account: "999999999999" is not an account of the organization'],
    ['plan an ungoverned region', ['plan', '--offline', '--regions', 'eu-central-1'], '--regions[0]: "eu-central-1" is not governed'],
    [
      'onboard against AWS without a config',
      ['onboard', '100000000001', '--region', 'us-east-1'],
      '--config: against AWS, onboard needs your organization config',
    ],
    [
      'offboard against AWS without a config',
      ['offboard', '100000000001', '--region', 'us-east-1'],
      '--config: against AWS, offboard needs your organization config',
    ],
    ['plan against AWS without a config', ['plan', '--region', 'us-east-1'], '--config: against AWS, plan needs your organization config'],
    [
      'onboard against AWS, the management account of the given config',
      ['onboard', '111111111111', '--region', 'us-east-1', '--config', example],
      'account-id: "111111111111" is the management account',
    ],
  ])('refuses to %s', async (_what, args, message) => {
    const { code, stdout, stderr } = await tributary(args);
    expect(stderr).toContain(message);
    expect(code).toBe(2);
    expect(stdout).not.toContain('Started arn:');
  });
});

describe('offline execution names', () => {
  it('come from the virtual clock, not the wall clock: the same command names its execution the same way twice', async () => {
    const name = (stdout: string) => /execution:tributary-onboard-account:(manual-\S+)/.exec(stdout)?.[1];
    const first = await tributary(['onboard', '100000000002', '--offline']);
    const second = await tributary(['onboard', '100000000002', '--offline']);
    expect(name(first.stdout)).toMatch(/^manual-100000000002-\d+$/);
    expect(name(second.stdout)).toBe(name(first.stdout));
  });
});
