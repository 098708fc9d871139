/** `tributary status`: recent executions per workflow, and what the latest reconcile repaired. */
import { DescribeExecutionCommand, ListExecutionsCommand, StartExecutionCommand, type ExecutionListItem, type SFNClient } from '@aws-sdk/client-sfn';
import type { BackfillTotals } from '../tasks/backfill-log-groups';
import { CATALOG } from '../workflows/catalog';
import { connect, explain, stateMachineArn, type ConnectionFlags } from './step-functions';
import { formatTable } from './table';
import { reportProblems } from './problems';

/** One line on the backfill (config `backfill`): its recent account-region executions, and what the finished ones archived. */
async function backfillProgress(sfn: SFNClient, executions: readonly ExecutionListItem[]): Promise<string> {
  if (executions.length === 0) return 'Backfill: no backfill-region execution (config backfill is off, or no account-region was onboarded since it was set).';
  const count = (status: string) => executions.filter((e) => e.status === status).length;
  let groups = 0;
  let events = 0;
  let bytes = 0;
  let capped = 0;
  for (const e of executions.filter((x) => x.status === 'SUCCEEDED')) {
    const output = JSON.parse((await sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn }))).output ?? '{}') as {
      capped?: boolean;
      totals?: Partial<BackfillTotals>;
    };
    groups += output.totals?.completed ?? 0;
    events += output.totals?.events ?? 0;
    bytes += output.totals?.bytes ?? 0;
    if (output.capped) capped++;
  }
  return `Backfill, the latest ${executions.length} account-region executions: ${count('SUCCEEDED')} done (${groups} log groups reached the horizon, ${events} events, ${bytes} bytes archived; ${capped} capped by maxBytesPerAccount), ${count('RUNNING')} running, ${count('FAILED') + count('TIMED_OUT') + count('ABORTED')} failed (the daily reconcile resumes them).`;
}

export async function statusCommand(flags: ConnectionFlags & { limit: number }): Promise<number> {
  try {
    const { sfn, description, offline } = connect(flags);
    try {
      console.log(`Tributary status (${description})`);
      if (offline) {
        // A fresh simulated organization has run nothing: a short story first, so there is something to show.
        const [first, second] = [...offline.state.accounts.values()].filter((a) => /^1000/.test(a.id)).map((a) => a.id);
        const run = async (workflow: 'onboard-account' | 'reconcile', name: string, input: object) => {
          const { executionArn } = await sfn.send(
            new StartExecutionCommand({ stateMachineArn: await stateMachineArn(sfn, workflow), name, input: JSON.stringify(input) }),
          );
          while ((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status === 'RUNNING') await new Promise((resolve) => setTimeout(resolve, 20));
        };
        // eslint-disable-next-line @cdklabs/promiseall-no-unbounded-parallelism -- two accounts, always
        await Promise.all([first!, second!].map((accountId) => run('onboard-account', `story-${accountId}`, { accountId })));
        await run('reconcile', 'story-daily', {});
        console.log(`Offline: onboarded ${first} and ${second}, then ran the daily reconcile.`);
      }
      const rows: Array<[string, string, string, string]> = [];
      let latestReconcile: string | undefined;
      let backfills: ExecutionListItem[] = [];
      for (const spec of CATALOG) {
        const arn = await stateMachineArn(sfn, spec.name);
        const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: flags.limit }));
        if (spec.name === 'reconcile') latestReconcile = executions.find((e) => e.status === 'SUCCEEDED')?.executionArn;
        if (spec.name === 'backfill-region') backfills = executions;
        for (const e of executions) rows.push([spec.name, e.name ?? '', e.status ?? '', e.startDate?.toISOString() ?? '']);
        if (executions.length === 0) rows.push([spec.name, '(none)', '', '']);
      }
      console.log(formatTable(['workflow', 'execution', 'status', 'started'], rows));
      console.log(await backfillProgress(sfn, backfills));
      if (!latestReconcile) {
        console.log('No reconcile has succeeded yet.');
        return 0;
      }
      const report = JSON.parse((await sfn.send(new DescribeExecutionCommand({ executionArn: latestReconcile }))).output ?? '{}') as {
        accounts?: number;
        repaired?: Record<string, number>;
        failures?: string[];
      };
      console.log(
        `Latest reconcile: ${report.accounts ?? 0} accounts; repaired ${JSON.stringify(report.repaired ?? {})}; ${report.failures?.length ?? 0} failures`,
      );
      return 0;
    } catch (error) {
      throw explain(error, flags.region ?? process.env.AWS_REGION);
    }
  } catch (error) {
    return reportProblems('status', error);
  }
}
