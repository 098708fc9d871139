/** The command line as a person runs it: `node bin/tributary.js ...`. */
import { spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createLogGroupEvent } from '../../sim/events';
import { controlPayload, firehoseRecord, generatePayload, SeededRandom, type LogEvent } from '../../sim/log-payloads';
import { tributary as run } from './in-process';

const BIN = join(__dirname, '..', '..', 'bin', 'tributary.js');
const dir = mkdtempSync(join(tmpdir(), 'tributary-cli-'));

/** In-process; the installed entry point itself is spawned once, below. */
const tributary = (...args: string[]) => run(args);

function spawned(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function eventFile(name: string, event: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(event));
  return path;
}

describe('tributary route', () => {
  it('prints the workflow and its input for a CreateLogGroup event', async () => {
    const { code, stdout } = await tributary('route', eventFile('ok.json', createLogGroupEvent('123456789012', 'eu-west-1', '/aws/lambda/orders')));
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      workflow: 'subscribe-log-group',
      input: { accountId: '123456789012', region: 'eu-west-1', logGroupName: '/aws/lambda/orders' },
    });
  });

  it('prints workflow null and the reason for a failed call', async () => {
    const { code, stdout } = await tributary(
      'route',
      eventFile('failed.json', createLogGroupEvent('123456789012', 'eu-west-1', '/x', { errorCode: 'AccessDenied' })),
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ workflow: null, reason: expect.stringContaining('errorCode AccessDenied') });
  });

  it('exits 2 with a clear message for a malformed event', async () => {
    const { code, stderr } = await tributary(
      'route',
      eventFile('bad.json', { source: 'aws.logs', 'detail-type': 'x', region: 'eu-west-1', account: 'not-an-account' }),
    );
    expect(code).toBe(2);
    expect(stderr).toContain('event.account: "not-an-account" is not an AWS account id');
  });
});

describe('tributary simulate', () => {
  it('tells the whole story and prints one JSON report with coverage, executions, calls, writes, faults and integrity', async () => {
    // Act
    const { code, stdout } = await tributary(
      'simulate',
      '--json',
      '--accounts',
      '3',
      '--log-groups',
      '12',
      '--vpcs',
      '2',
      '--faults',
      '0.1',
      '--seed',
      '3',
      '--destination-access',
      'account-list',
    );

    // Assess
    const report = JSON.parse(stdout);
    expect(code).toBe(0);
    expect(report.story.map((s: { phase: string }) => s.phase)).toEqual([
      'existing accounts are onboarded',
      'a new account is created',
      'a region is enabled',
      'an invited account joins',
      'log groups and VPCs are created',
      'an account leaves',
      'a member undoes its wiring',
      'the daily reconcile runs',
    ]);
    // Every event that should start a workflow reaches the hub, from wherever AWS emits it.
    expect(report.events.lost).toEqual([]);
    const lg = report.coverage.logGroups;
    expect(lg.missing).toBe(0);
    expect(lg.subscribed + lg.excluded + lg.noSlot).toBe(lg.total);
    expect(report.coverage.vpcs.withFlowLogs).toBe(report.coverage.vpcs.total);
    expect(report.coverage.guardDuty.members).toBe(report.coverage.guardDuty.expected);
    // 3 accounts, plus one created and one invited, minus one that left.
    expect(report.coverage.destinationAccess).toMatchObject({ mode: 'account-list', members: 4, exact: true });
    expect(report.executions.failed).toBe(0);
    expect(Object.keys(report.executions.byWorkflow).sort()).toEqual([
      'enable-flow-logs',
      'offboard-account',
      'onboard-account',
      'onboard-region',
      'reconcile',
      'repair-tampering',
      'subscribe-log-group',
    ]);
    // The member's tampering was repaired, every call, and the SOC was told each time.
    expect(report.tampering).toMatchObject({ calls: 3, prevented: 0, repaired: 3, events: 3 });
    expect(report.tampering.worstSecondsToRepair).toBeLessThanOrEqual(300);
    expect(report.events.unrouted).toBeGreaterThan(0);
    expect(report.apiCalls['CloudWatchLogs.PutSubscriptionFilter']).toBeGreaterThan(0);
    expect(report.writes).toBeGreaterThan(0);
    expect(report.faultsInjected.throttle).toBeGreaterThan(0);
    expect(report.stateTransitions).toBeGreaterThan(0);
    expect(report.integrity).toEqual({ foreignFiltersChanged: 0, duplicateFilters: 0, foreignFlowLogsChanged: 0, duplicateFlowLogs: 0 });
  });

  it('rejects a bad flag value with exit 2, naming the flag and the value, from the installed entry point', async () => {
    const { code, stderr } = spawned('simulate', '--faults', '1.5');
    expect(code).toBe(2);
    expect(stderr.trim()).toBe("tributary: option '--faults <rate>' argument '1.5' is invalid. expected a decimal from 0 to 1, such as 0.05");
  });
});

describe('tributary transform', () => {
  it('prints the processor response, with decoded lines under --decode', async () => {
    // Prepare
    const payload = generatePayload(new SeededRandom(1), { kind: 'vpcflow', events: 2 });
    const path = eventFile('firehose.json', {
      invocationId: 'x',
      deliveryStreamArn: 'arn:aws:firehose:eu-west-1:222222222222:deliverystream/t',
      region: 'eu-west-1',
      records: [firehoseRecord(payload), firehoseRecord(controlPayload())],
    });

    // Act
    const { code, stdout } = await tributary('transform', path, '--decode');

    // Assess
    const response = JSON.parse(stdout);
    expect(code).toBe(0);
    expect(response.records.map((r: { result: string }) => r.result)).toEqual(['Ok', 'Dropped']);
    expect(response.records[0].data).toHaveLength(2);
    expect(response.records[0].data[0]).toMatchObject({ logGroup: payload.logGroup, id: (payload.logEvents[0] as LogEvent).id });
    expect(response.records[0].metadata.partitionKeys).toEqual({ account: payload.owner, category: 'network' });
  });
});
