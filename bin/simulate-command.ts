/** `tributary simulate`: the simulated organization's story end to end, for people (tables) or machines (--json). */
import type { TributaryConfig } from '../tasks/lib/config';
import { runSimulation, type SimulationReport } from '../sim/simulation';
import { configPath, readConfig } from './config-file';
import { formatTable } from './table';
import { causeMessage } from '../workflows/local/runner';
import { reportProblems } from './problems';
import { LiveProgress } from './progress';

export interface SimulateFlags {
  readonly json: boolean;
  readonly seed: number;
  readonly accounts: number;
  readonly logGroups: number;
  readonly vpcs: number;
  readonly faults: number;
  readonly serverErrors: number;
  readonly lateLogGroups: number;
  readonly lateRoles: number;
  readonly afterWriteFailures: number;
  readonly destinationAccess?: 'organization' | 'account-list';
  readonly concurrency: number;
  /** Path of the organization's config file. @default TRIBUTARY_CONFIG_FILE, else the committed example */
  readonly config?: string;
  /** Coverage per account-region and calls per operation, as tables. */
  readonly table?: boolean;
}

const formatDuration = (seconds: number) => (seconds < 120 ? `${seconds.toFixed(1)} s` : `${(seconds / 60).toFixed(1)} min`);

const percent = (part: number, whole: number) => (whole === 0 ? '100.0%' : `${((100 * part) / whole).toFixed(1)}%`);

function printReport(report: SimulationReport, table: boolean): void {
  const { logGroups: lg, vpcs, guardDuty, destinationAccess } = report.coverage;
  console.log('\nWhat happened');
  console.log(
    formatTable(
      ['step', 'events', 'never reached the hub', 'executions', 'started nothing'],
      report.story.map((s) => [s.phase, s.events, s.lost, s.started, s.unrouted]),
    ),
  );
  for (const reason of report.events.lost) console.log(`  lost: ${reason}`);
  console.log(
    `Accounts: ${report.rows.length / report.governedRegions.length} at the end; created ${report.accounts.created.join(', ')}; joined ${report.accounts.joined.join(', ')}; left ${report.accounts.left.join(', ')}`,
  );

  if (table) {
    console.log('\nCoverage per account and region (accounts in the organization at the end)');
    const rows = [
      ...report.rows.map((r) => [
        r.account,
        r.region,
        r.total,
        r.subscribed,
        r.excluded,
        r.noSlot,
        r.missing,
        `${r.vpcsWithFlowLogs}/${r.vpcs}`,
        r.guardDuty ? 'member' : '-',
      ]),
      [
        'TOTAL',
        '',
        lg.total,
        lg.subscribed,
        lg.excluded,
        lg.noSlot,
        lg.missing,
        `${vpcs.withFlowLogs}/${vpcs.total}`,
        `${guardDuty.members}/${guardDuty.expected}`,
      ],
    ];
    console.log(formatTable(['account', 'region', 'log groups', 'subscribed', 'excluded', 'no slot', 'missing', 'VPC flow logs', 'GuardDuty'], rows));
  }
  const gaps = report.rows
    .filter((r) => r.missing > 0 || r.vpcsWithFlowLogs < r.vpcs)
    .map((r) => `${r.account} ${r.region} (${r.missing} log groups missing, ${r.vpcs - r.vpcsWithFlowLogs} VPCs without flow logs)`);
  if (gaps.length > 0) console.log(`Not covered: ${gaps.join('; ')}`);

  console.log(
    `\nLog groups covered (subscribed, or excluded by config): ${percent(lg.subscribed + lg.excluded, lg.total)} of ${lg.total}; ${lg.missing} missing`,
  );
  if (lg.noSlot > 0) {
    console.log(`Not covered, no free filter slot (both filters are other teams'; they can free one): ${lg.noSlot} log groups`);
    for (const g of report.coverage.noFilterSlot.slice(0, 10)) console.log(`  ${g.account} ${g.region} ${g.logGroup} (filters: ${g.filters.join(', ')})`);
    if (lg.noSlot > 10) console.log(`  ... and ${lg.noSlot - 10} more (--json lists the first 50)`);
  }
  console.log(`VPCs with Tributary flow logs: ${percent(vpcs.withFlowLogs, vpcs.total)}; GuardDuty members: ${percent(guardDuty.members, guardDuty.expected)}`);
  const access = Object.entries(destinationAccess.regions).map(
    ([region, granted]) => `${region}: ${granted === 'organization' ? 'the organization' : `${granted} accounts`}`,
  );
  console.log(
    `Destination access (${destinationAccess.mode}): ${access.join(', ')}${destinationAccess.exact ? ' (exactly the members)' : ' (NOT exactly the members)'}`,
  );
  console.log(
    `Events: ${report.events.fired} fired, ${report.events.lost.length} never reached the hub, ${report.events.routed} routed, ${report.events.unrouted} started nothing (failed calls, FAILED or ENABLING states)`,
  );
  const byWorkflow = Object.entries(report.executions.byWorkflow)
    .map(([w, n]) => `${w} ${n}`)
    .join(', ');
  console.log(
    `Executions: ${report.executions.started} started (${byWorkflow}), ${report.executions.succeeded} succeeded, ${report.executions.failed} failed; ${report.stateTransitions} state transitions`,
  );
  for (const f of report.executions.failures.slice(0, 10)) console.log(`  failed ${f.workflow}: ${f.error}: ${causeMessage(f.cause)}`);

  const calls = Object.entries(report.apiCalls).map(([op, n]) => [op, n] as [string, number]);
  console.log(
    `API calls: ${calls.reduce((s, [, n]) => s + n, 0)}, of which ${report.writes} writes${table ? '' : ' (--table lists them, and coverage per account and region)'}`,
  );
  if (table) console.log(formatTable(['operation', 'calls'], calls));
  console.log(`Faults injected: ${JSON.stringify(report.faultsInjected)}; refused by AWS rate quotas: ${JSON.stringify(report.throttles)}`);
  console.log(
    `Virtual time: ${formatDuration(report.virtualSeconds)} for the whole story (${report.story.map((s) => `${s.phase} ${formatDuration(s.virtualSeconds)}`).join('; ')})`,
  );
  const t = report.tampering;
  console.log(
    `Tampering: ${t.calls} calls by a member's people to undo its wiring; ${t.prevented} refused by the SCP, ${t.repaired} repaired (the slowest ${formatDuration(t.worstSecondsToRepair)} after the call); ${t.events} "Tributary Tamper Detected" events for the SOC`,
  );
  const i = report.integrity;
  console.log(
    `Integrity: ${i.foreignFiltersChanged} foreign filters changed, ${i.duplicateFilters} duplicate filters, ${i.foreignFlowLogsChanged} foreign flow logs changed, ${i.duplicateFlowLogs} duplicate flow logs`,
  );
}

export async function simulateCommand(flags: SimulateFlags): Promise<number> {
  const path = configPath(flags.config);
  let config: TributaryConfig;
  try {
    config = readConfig(path);
  } catch (error) {
    return reportProblems('simulate', error);
  }
  const progress = new LiveProgress(flags.json ? { enabled: false } : {});
  if (!flags.json) {
    console.log(
      `Simulating ${flags.accounts} member accounts x ${config.governedRegions.length} governed regions (${flags.logGroups} log groups and ${flags.vpcs} VPCs each) of ${path}, destination access ${flags.destinationAccess ?? config.destinationAccess}, ` +
        `seed ${flags.seed}, throttling ${flags.faults} on top of AWS's rate quotas, 5xx ${flags.serverErrors}, writes failing after applying ${flags.afterWriteFailures}`,
    );
  }
  const report = await runSimulation({
    seed: flags.seed,
    size: { accounts: flags.accounts, logGroupsPerRegion: flags.logGroups, vpcsPerRegion: flags.vpcs },
    faults: {
      throttleRate: flags.faults,
      serverErrorRate: flags.serverErrors,
      lateLogGroupReads: flags.lateLogGroups,
      lateRoleAttempts: flags.lateRoles,
      afterWriteFailureRate: flags.afterWriteFailures,
    },
    config,
    ...(flags.destinationAccess ? { destinationAccess: flags.destinationAccess } : {}),
    concurrency: flags.concurrency,
    onProgress: ({ phase, done, total, failed }) => progress.update(phase, done, total, `executions${failed ? `, ${failed} failed` : ''}`),
  });
  progress.end();
  if (flags.json) console.log(JSON.stringify(report, null, 2));
  else printReport(report, flags.table ?? false);
  return simulationGaps(report) === 0 ? 0 : 1;
}

/**
 * What fails a simulation (exit 1): anything Tributary could cover left uncovered, a failed
 * execution, an inexact destination policy, anything foreign changed or duplicated, tampering left
 * unrepaired. Log groups
 * whose two slots other teams' filters fill are reported, not counted: only their owners can act.
 */
export function simulationGaps(report: Pick<SimulationReport, 'coverage' | 'executions' | 'integrity' | 'tampering'>): number {
  const { logGroups, vpcs, guardDuty, destinationAccess } = report.coverage;
  const i = report.integrity;
  return (
    logGroups.missing +
    (vpcs.total - vpcs.withFlowLogs) +
    (guardDuty.expected - guardDuty.members) +
    report.executions.failed +
    i.foreignFiltersChanged +
    i.duplicateFilters +
    i.foreignFlowLogsChanged +
    i.duplicateFlowLogs +
    (destinationAccess.exact ? 0 : 1) +
    (report.tampering.calls - report.tampering.prevented - report.tampering.repaired)
  );
}
