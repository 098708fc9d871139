/** `tributary replay` offline: bad input refused with one line and exit 2, a dry run, a replay and its resumption from the state file. */
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { NO_AWS, tributary } from './in-process';

const window = ['--from', '2026-12-01', '--to', '2026-12-02T06:00Z'];

describe('tributary replay', () => {
  it.each([
    [['--to', '2026-12-02'], 'tributary replay: --from: required: the first hour to replay (2026-11-30 or 2026-11-30T14:00Z)'],
    [['--from', '2026-12-02'], 'tributary replay: --to: required: the hour the replay stops before'],
    [['--from', '2026-12-02', '--to', '2026-12-01'], 'tributary replay: --to: "2026-12-01" is not after --from'],
    [['--from', 'yesterday', '--to', '2026-12-01'], 'tributary replay: --from: "yesterday" is not a UTC time (2026-11-30 or 2026-11-30T14:00Z)'],
    [[...window, '--accounts', "123456789012,12345678901'"], `tributary replay: --accounts: "12345678901'" is not an AWS account id (12 digits)`],
    [[...window, '--categories', 'audit,secrets'], 'tributary replay: --categories: "secrets" is not one of audit, network, application, heartbeat'],
    [[...window, '--rate', '0'], 'tributary replay: --rate: "0" is not MB a second between 0 and 100'],
  ])('refuses %j with one line naming the flag and exit 2', async (args, line) => {
    // Act
    const { code, stdout, stderr } = await tributary(['replay', '--offline', ...args], NO_AWS);

    // Assess
    expect(code).toBe(2);
    expect(stderr).toBe(`${line}\n`);
    expect(stdout).toBe('');
  });

  it('says what a dry run would send and cost, and sends nothing', async () => {
    // Act
    const { code, stdout } = await tributary(['replay', '--offline', '--dry-run', '--json', ...window], NO_AWS);

    // Assess
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { objects: number; bytes: number; refused: unknown[]; cost: Array<{ item: string; dollars: number }> };
    expect(result.objects).toBe(30 * 2 * 3);
    expect(result.bytes).toBeGreaterThan(0);
    expect(result.refused).toEqual([]);
    expect(result.cost.map((c) => c.item)).toEqual([
      'Kinesis ingestion',
      'Kinesis retrieval by both consumers (the archive drops them)',
      "the SIEM Firehose's ingestion",
    ]);
  });

  it('replays the window into the collector and keeps what it finished, so that the same command again sends nothing twice', async () => {
    // Prepare
    const state = join(mkdtempSync(join(tmpdir(), 'tributary-replay-')), 'state.json');

    // Act
    const first = await tributary(['replay', '--offline', '--state', state, ...window], NO_AWS);
    const again = await tributary(['replay', '--offline', '--state', state, ...window], NO_AWS);
    const other = await tributary(['replay', '--offline', '--state', state, '--from', '2026-12-01', '--to', '2026-12-03'], NO_AWS);

    // Assess
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Replayed 180 objects \(0 done before\), 180 events, .* put on the streams/m);
    expect(first.stdout).toMatch(/^The loopback collector stored 180 lines in \d+ deliveries\.$/m);
    expect(JSON.parse(readFileSync(state, 'utf8')).done).toHaveLength(180);
    expect(again.stdout).toMatch(/^Replayed 0 objects \(180 done before\), 0 events/m);
    expect(again.stdout).toMatch(/^The loopback collector stored 0 lines in 0 deliveries\.$/m);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(
      /^tributary replay: --state: ".*state\.json" is the state of a replay from 2026-12-01T00:00:00\.000Z to 2026-12-02T06:00:00\.000Z, not of this window; name another file$/m,
    );
  });
});
