/** `tributary status`: recent executions per workflow, and what the latest reconcile repaired. */
import { DescribeExecutionCommand, ListExecutionsCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { CATALOG } from '../workflows/catalog';
import { connect, explain, stateMachineArn, type ConnectionFlags } from './step-functions';
import { formatTable } from './table';
import { reportProblems } from './problems';

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
      for (const spec of CATALOG) {
        const arn = await stateMachineArn(sfn, spec.name);
        const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: flags.limit }));
        if (spec.name === 'reconcile') latestReconcile = executions.find((e) => e.status === 'SUCCEEDED')?.executionArn;
        for (const e of executions) rows.push([spec.name, e.name ?? '', e.status ?? '', e.startDate?.toISOString() ?? '']);
        if (executions.length === 0) rows.push([spec.name, '(none)', '', '']);
      }
      console.log(formatTable(['workflow', 'execution', 'status', 'started'], rows));
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
