/** `tributary status`: recent executions per workflow, and what the latest reconcile repaired. */
import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { CATALOG } from '../workflows/catalog';
import { connect, explain, stateMachineArn, type ConnectionFlags } from './step-functions';
import { formatTable } from './table';

export async function statusCommand(flags: ConnectionFlags & { limit: number }): Promise<number> {
  try {
    const { sfn, description } = connect(flags);
    try {
      console.log(`Tributary status (${description})`);
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
      const report = JSON.parse((await sfn.send(new DescribeExecutionCommand({ executionArn: latestReconcile }))).output ?? '{}') as { accounts?: number; repaired?: Record<string, number>; failures?: string[] };
      console.log(`Latest reconcile: ${report.accounts ?? 0} accounts; repaired ${JSON.stringify(report.repaired ?? {})}; ${report.failures?.length ?? 0} failures`);
      return 0;
    } catch (error) {
      throw explain(error, flags.region ?? process.env.AWS_REGION);
    }
  } catch (error) {
    console.error(`tributary status: ${(error as Error).message}`);
    return 2;
  }
}
