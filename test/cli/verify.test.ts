/**
 * `tributary verify` for an auditor: the summary per chain, JSON for tools, and trust in the pinned
 * key only.
 */
import { NO_AWS, tributary } from './in-process';

describe('tributary verify', () => {
  it('--offline: a summary per chain (hours, objects, bytes, problems) and exit 0', async () => {
    const { code, stdout } = await tributary(['verify', '--offline'], NO_AWS);
    expect(code).toBe(0);
    expect(stdout).toMatch(/chain\s+genesis\s+hours\s+first hour\s+last hour\s+objects\s+bytes\s+problems/);
    expect(stdout).toMatch(/eu-west-1\s+2026-11-30T00:00:00.000Z\s+24\s+2026-11-30T00:00:00.000Z\s+2026-11-30T23:00:00.000Z\s+120\s+\d+\s+none/);
    expect(stdout).toMatch(/departures\s+2026-11-30T00:00:00.000Z\s+24/);
    expect(stdout).toContain('Every chain is whole from its genesis');
  });

  it('--json: one object with the summary per chain and the problems', async () => {
    const { code, stdout } = await tributary(['verify', '--offline', '--json', '--prefix', 'errors/'], NO_AWS);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.chains).toEqual([expect.objectContaining({ chain: 'errors', hours: 24, objects: 0, problems: {} })]);
    expect(report.problems).toEqual([]);
    expect(report.trustedKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('trusts only the pinned key: another fingerprint fails every chain with untrusted-key, exit 1', async () => {
    const { code, stdout } = await tributary(['verify', '--offline', '--json', '--trusted-key', 'ab'.repeat(32)], NO_AWS);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(new Set(report.problems.map((p: { kind: string }) => p.kind))).toEqual(new Set(['untrusted-key']));
    expect(report.chains.every((c: { hours: number }) => c.hours === 0)).toBe(true);
  });
});
