/** `tributary reconcile`: starts a full reconcile and follows it to the end, then prints what it repaired. */
import type { DriftReport } from '../tasks/lib/drift';
import { connect, executionName, explain, runWorkflow, type ConnectionFlags } from './step-functions';
import { formatTable } from './table';
import { reportProblems } from './problems';

/** Prints the drift report; true when every account reconciled. */
function printReport(report: Partial<DriftReport> & { skipped?: string }): boolean {
  if (report.skipped) {
    console.log(`Skipped: ${report.skipped}`);
    return true;
  }
  console.log(
    formatTable(
      ['repaired', 'count'],
      Object.entries(report.repaired ?? {}).map(([kind, count]) => [kind, count]),
    ),
  );
  for (const line of report.details ?? []) console.log(`  repaired ${line}`);
  for (const line of report.failures ?? []) console.log(`  FAILED ${line}`);
  console.log(`${report.accounts ?? 0} accounts reconciled, ${report.failedAccounts ?? 0} failed; ${report.drifted ? 'drift found and repaired' : 'no drift'}`);
  return (report.failedAccounts ?? 0) === 0;
}

export async function reconcileCommand(flags: ConnectionFlags): Promise<number> {
  try {
    const connection = connect(flags);
    const { sfn, pollMs, description } = connection;
    console.log(`Reconciling every ACTIVE account (${description})`);
    try {
      const execution = await runWorkflow(sfn, 'reconcile', executionName('reconcile', connection), { trigger: 'manual' }, pollMs);
      if (execution.status !== 'SUCCEEDED') return 1;
      return printReport(JSON.parse(execution.output ?? '{}')) ? 0 : 1;
    } catch (error) {
      throw explain(error, flags.region ?? process.env.AWS_REGION);
    }
  } catch (error) {
    return reportProblems('reconcile', error);
  }
}
