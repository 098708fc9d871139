/** `tributary simulate` on a person's own config, with its flags doing what their help says. */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const SECOND_EXAMPLE = join(__dirname, '..', '..', 'infra', 'config', 'tributary.account-list.example.json');

import { tributary } from './in-process';

describe('tributary simulate --config', () => {
  it('simulates a second organization (account-policy mode, account-list access, GuardDuty organization mode, other regions), the same way twice', async () => {
    // Act
    const first = await tributary(['simulate', '--json', '--accounts', '4', '--log-groups', '12', '--config', SECOND_EXAMPLE]);
    const second = await tributary(['simulate', '--json', '--accounts', '4', '--log-groups', '12'], { TRIBUTARY_CONFIG_FILE: SECOND_EXAMPLE });

    // Assess
    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    const report = JSON.parse(first.stdout);
    expect(report).toMatchObject({ organizationId: 'o-secondorg42', governedRegions: ['eu-central-1', 'us-west-2', 'ap-northeast-1'] });
    expect(report.coverage.destinationAccess).toMatchObject({ mode: 'account-list', exact: true });
    expect(report.coverage.logGroups.missing).toBe(0);
    expect(report.apiCalls['CloudWatchLogs.PutAccountPolicy']).toBeGreaterThan(0);
    expect(report.apiCalls['GuardDuty.InviteMembers']).toBeUndefined();
    // Its SCP is deployed: the member's people are refused what it covers, the rest is repaired.
    expect(report.tampering).toMatchObject({ calls: 2, prevented: 2, repaired: 0 });
    expect(report.virtualSeconds).toBeGreaterThan(0);
  });

  it('simulates the sandbox config: a management account and one member holding logging, orchestration and GuardDuty', async () => {
    const { code, stdout } = await tributary([
      'simulate',
      '--json',
      '--accounts',
      '1',
      '--log-groups',
      '8',
      '--config',
      join(__dirname, '..', '..', 'infra', 'config', 'tributary.sandbox.example.json'),
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ organizationId: 'o-sandboxorg1', governedRegions: ['eu-west-1'], executions: { failed: 0 } });
    expect(report.coverage.logGroups.missing).toBe(0);
  });

  it('refuses a config with errors: only the problem lines, each naming the field and value, exit 2', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'tributary-config-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ organizationId: 'x', homeRegion: 'us-moon-1' }));

    // Act
    const { code, stdout, stderr } = await tributary(['simulate', '--config', bad]);

    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines).toContain('tributary simulate: config.homeRegion: "us-moon-1" is not a known AWS region');
    expect(lines).toContain('tributary simulate: config.accounts: is required and missing');
    expect(lines.every((line) => line.startsWith('tributary simulate: config.'))).toBe(true);
  });

  it('--late-roles 1000 keeps the new account from ever being assumable: BaselineRoleNeverReady, exit 1', async () => {
    // Act
    const { code, stdout } = await tributary(['simulate', '--json', '--accounts', '2', '--log-groups', '4', '--late-roles', '1000']);

    // Assess
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.executions.failures).toEqual([
      expect.objectContaining({ workflow: 'onboard-account', error: 'BaselineRoleNeverReady' }),
      // The region it enables later cannot be wired either, and says so.
      expect.objectContaining({ workflow: 'onboard-region', error: 'WorkIncomplete', cause: expect.stringContaining('BaselineRoleNotReady') }),
    ]);
    // The bounded wait (12 checks, backoff) is about 40 virtual minutes.
    expect(report.story[1].virtualSeconds).toBeGreaterThan(30 * 60);
  });
});
