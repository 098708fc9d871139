/**
 * Errors for people, command by command: a bad flag, a bad value and a bad input file each give
 * one readable line naming what is wrong, and exit 2. Run in-process (bin/tributary.ts `run`).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { run } from '../../bin/cli';
import { EXAMPLE_CONFIG_PATH } from '../../tasks/lib/config';

const dir = mkdtempSync(join(tmpdir(), 'tributary-cli-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const notJson = file('not.json', '{ this is not json');
const example = JSON.parse(readFileSync(EXAMPLE_CONFIG_PATH, 'utf8'));
const fourErrors = file(
  'four-errors.json',
  JSON.stringify({ ...example, homeRegion: 'us-moon-1', destinationAccess: 'everyone', memberRoleName: '', colour: 'blue' }),
);

async function tributary(...args: string[]): Promise<{ code: number; stderr: string[]; stdout: string }> {
  const stderr: string[] = [];
  let stdout = '';
  const spies = [
    jest.spyOn(console, 'error').mockImplementation((...parts) => void stderr.push(parts.join(' '))),
    jest.spyOn(console, 'log').mockImplementation((...parts) => void (stdout += `${parts.join(' ')}\n`)),
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (stderr.push(String(chunk).trimEnd()), true)),
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true)),
  ];
  try {
    return { code: await run(['node', 'tributary', ...args]), stderr: stderr.flatMap((s) => s.split('\n')).filter(Boolean), stdout };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

describe('tributary: usage errors exit 2 with one line', () => {
  it.each([
    ['simulate', 'a bad flag', ['simulate', '--acounts', '3'], "unknown option '--acounts'"],
    ['simulate', 'a bad value', ['simulate', '--accounts', '1e2'], "'--accounts <n>' argument '1e2' is invalid. expected a whole number"],
    ['simulate', 'a bad rate', ['simulate', '--faults', '2'], "'--faults <rate>' argument '2' is invalid. expected a decimal from 0 to 1"],
    ['simulate', 'a bad config file', ['simulate', '--config', notJson], 'is not valid JSON'],
    ['route', 'a bad flag', ['route', '--verbose', '-'], "unknown option '--verbose'"],
    ['route', 'a missing argument', ['route'], "missing required argument 'event.json'"],
    ['route', 'a bad input file', ['route', notJson], 'cannot read an event from'],
    ['transform', 'a bad flag', ['transform', '--region', 'eu-west-1', notJson], "unknown option '--region'"],
    ['transform', 'a bad input file', ['transform', notJson], 'cannot read a Firehose event from'],
    ['onboard', 'a bad flag', ['onboard', '123456789012', '--offlne'], "unknown option '--offlne'"],
    ['onboard', 'a bad value', ['onboard', '12345', '--offline'], 'account-id: "12345" is not an AWS account id'],
    [
      'onboard',
      'a bad region',
      ['onboard', '123456789012', '--region', 'us-moon-1', '--config', EXAMPLE_CONFIG_PATH],
      '--region: "us-moon-1" is not a known AWS region',
    ],
    ['onboard', 'a bad config file', ['onboard', '123456789012', '--offline', '--config', notJson], 'is not valid JSON'],
    ['status', 'a bad flag', ['status', '--lmit', '3'], "unknown option '--lmit'"],
    ['status', 'a bad value', ['status', '--limit', '0x10'], "'--limit <n>' argument '0x10' is invalid"],
    ['validate', 'a bad config file', ['validate', '--config', notJson], 'is not valid JSON'],
    ['permissions', 'a bad config file', ['permissions', '--config', notJson], 'is not valid JSON'],
    ['verify', 'a bad value', ['verify', '--offline', '--from', 'yesterday'], '--from: "yesterday" is not a UTC time'],
    ['verify', 'a bad prefix', ['verify', '--offline', '--prefix', 'other/'], '--prefix: "other/" is not an archive prefix'],
    [
      'verify',
      'a bad trusted key',
      ['verify', '--offline', '--trusted-key', 'alias/tributary-archive-digests'],
      '--trusted-key: "alias/tributary-archive-digests" is not a key fingerprint',
    ],
    ['verify', 'no trusted key against AWS', ['verify', '--bucket', 'b'], '--trusted-key: required: the fingerprint of the digest key you trust'],
    ['plan', 'a bad flag', ['plan', '--acount', '123456789012'], "unknown option '--acount'"],
    ['offboard', 'a bad value', ['offboard', 'abc', '--offline'], 'account-id: "abc" is not an AWS account id'],
  ])('%s, %s', async (_command, _case, args, message) => {
    // Act
    const { code, stderr } = await tributary(...args);

    // Assess
    expect(code).toBe(2);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toContain(message);
  });

  it('a config with 4 errors prints 4 lines, one per field', async () => {
    // Act
    const { code, stderr } = await tributary('validate', '--config', fourErrors);

    // Assess
    expect(code).toBe(2);
    expect(stderr).toEqual([
      expect.stringContaining('config.homeRegion: "us-moon-1" is not a known AWS region'),
      expect.stringContaining('config.memberRoleName: "" is not a valid IAM role name'),
      expect.stringContaining('config.destinationAccess: "everyone" must be "organization" or "account-list"'),
      expect.stringContaining('config.colour: is not a known field'),
    ]);
  });

  it('--version prints the version and exits 0', async () => {
    const { code, stdout } = await tributary('--version');
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).version);
  });
});
