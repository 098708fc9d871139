/** `tributary simulate`: the simulated organization end to end, for people (table) or machines (--json). */
import { runSimulation, type SimulationReport } from '../sim/simulation';
import { formatTable } from './table';

export interface SimulateFlags {
  readonly json: boolean;
  readonly seed: number;
  readonly accounts: number;
  readonly logGroups: number;
  readonly faults: number;
  readonly serverErrors: number;
  readonly lateLogGroups: number;
  readonly lateRoles: number;
  readonly concurrency: number;
}

function printReport(report: SimulationReport): void {
  const lg = report.coverage.logGroups;
  console.log('\nCoverage per account and region');
  const rows = [...report.rows.map((r) => [r.account, r.region, r.total, r.subscribed, r.excluded, r.noSlot, r.missing]), ['TOTAL', '', lg.total, lg.subscribed, lg.excluded, lg.noSlot, lg.missing]];
  console.log(formatTable(['account', 'region', 'log groups', 'subscribed', 'excluded', 'no slot', 'missing'], rows));
  const covered = lg.total - lg.excluded === 0 ? 100 : (100 * (lg.subscribed + lg.noSlot)) / (lg.total - lg.excluded);
  console.log(`\nNon-excluded log groups subscribed or reported NoFilterSlot: ${covered.toFixed(1)}%`);
  console.log(`Events: ${report.events.fired} fired, ${report.events.routed} routed, ${report.events.unrouted} started nothing (failed calls)`);
  console.log(`Executions: ${report.executions.started} started, ${report.executions.succeeded} succeeded, ${report.executions.failed} failed; ${report.stateTransitions} state transitions`);
  for (const f of report.executions.failures.slice(0, 10)) console.log(`  failed ${f.workflow}: ${f.error}: ${f.cause}`);
  const calls = Object.entries(report.apiCalls).map(([op, n]) => [op, n] as [string, number]);
  console.log(`\nAPI calls (${calls.reduce((s, [, n]) => s + n, 0)}, of which ${report.writes} writes)`);
  console.log(formatTable(['operation', 'calls'], calls));
  console.log(`Faults injected: ${JSON.stringify(report.faultsInjected)}`);
  console.log(`Integrity: ${report.integrity.foreignFiltersChanged} foreign filters changed, ${report.integrity.duplicateFilters} duplicate Tributary filters`);
}

export async function simulateCommand(flags: SimulateFlags): Promise<number> {
  const progress = (done: number, total: number, failed: number) => {
    const line = `running workflows: ${done}/${total} executions${failed ? `, ${failed} failed` : ''}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
    else if (done === total || done % Math.max(1, Math.round(total / 10)) === 0) process.stderr.write(`${line}\n`);
  };
  if (!flags.json) {
    console.log(`Simulating ${flags.accounts} member accounts x 3 governed regions x ${flags.logGroups} new log groups (seed ${flags.seed}, throttling ${flags.faults}, 5xx ${flags.serverErrors})`);
  }
  const report = await runSimulation({
    seed: flags.seed,
    size: { accounts: flags.accounts, logGroupsPerRegion: flags.logGroups },
    faults: { throttleRate: flags.faults, serverErrorRate: flags.serverErrors, lateLogGroupReads: flags.lateLogGroups, lateRoleAttempts: flags.lateRoles },
    concurrency: flags.concurrency,
    onProgress: ({ done, total, failed }) => progress(done, total, failed),
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  if (flags.json) console.log(JSON.stringify(report, null, 2));
  else printReport(report);
  const gaps = report.coverage.logGroups.missing + report.executions.failed + report.integrity.foreignFiltersChanged + report.integrity.duplicateFilters;
  return gaps === 0 ? 0 : 1;
}
