/**
 * Step Functions, as the operator CLI uses it (ListStateMachines, StartExecution,
 * DescribeExecution, GetExecutionHistory, ListExecutions), answered by running the workflows
 * offline, and the executions the workflows start themselves. The history holds one StateEntered
 * event per state entered, once an execution ends.
 */
import { ExecutionDoesNotExist, StateMachineDoesNotExist } from '@aws-sdk/client-sfn';
import type { WorkflowName } from '../../workflows/catalog';
import { CATALOG } from '../../workflows/catalog';
import { stateMachineName } from '../../workflows/names';
import type { ExecutionRecord, LocalRunner } from '../../workflows/local/runner';
import type { OperationHandler } from './context';

interface SimExecution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: string;
  readonly startDate: Date;
  record?: ExecutionRecord;
  stopDate?: Date;
}

export function stepFunctions(runner: LocalRunner): Record<string, OperationHandler> {
  const executions = new Map<string, SimExecution>();
  const arnOf = (account: string, region: string, workflow: WorkflowName) => `arn:aws:states:${region}:${account}:stateMachine:${stateMachineName(workflow)}`;
  const meta = { $metadata: {} };
  const find = (arn: unknown) => {
    const execution = executions.get(String(arn));
    if (!execution) throw new ExecutionDoesNotExist({ ...meta, message: `Execution Does Not Exist: '${String(arn)}'` });
    return execution;
  };
  const status = (e: SimExecution) => e.record?.status ?? 'RUNNING';
  // Executions the workflows started themselves (startExecution without .sync), as the caller's account sees them.
  const sync = (account: string, region: string) => {
    for (const d of runner.detachedExecutions) {
      const executionArn = `arn:aws:states:${region}:${account}:execution:${stateMachineName(d.workflow)}:${d.name}`;
      const known = executions.get(executionArn);
      if (known) {
        if (d.record && !known.record) Object.assign(known, { record: d.record, stopDate: new Date(d.record.stoppedAt) });
        continue;
      }
      executions.set(executionArn, {
        executionArn,
        stateMachineArn: arnOf(account, region, d.workflow),
        name: d.name,
        input: JSON.stringify(d.input),
        startDate: new Date(d.startedAt),
        ...(d.record ? { record: d.record, stopDate: new Date(d.record.stoppedAt) } : {}),
      });
    }
  };

  return {
    ListStateMachines(_input, ctx) {
      return {
        stateMachines: CATALOG.map((w) => ({
          stateMachineArn: arnOf(ctx.callerAccount, ctx.region, w.name),
          name: stateMachineName(w.name),
          type: 'STANDARD',
          creationDate: new Date(0),
        })),
      };
    },

    StartExecution(input, ctx) {
      const workflow = /:stateMachine:tributary-([a-z-]+)$/.exec(String(input.stateMachineArn))?.[1] as WorkflowName | undefined;
      if (!workflow || !CATALOG.some((w) => w.name === workflow) || !String(input.stateMachineArn).includes(`:${ctx.callerAccount}:`)) {
        throw new StateMachineDoesNotExist({ ...meta, message: `State Machine Does Not Exist: '${String(input.stateMachineArn)}'` });
      }
      const name = String(input.name ?? `cli-${executions.size + 1}`);
      const execution: SimExecution = {
        executionArn: `arn:aws:states:${ctx.region}:${ctx.callerAccount}:execution:${stateMachineName(workflow)}:${name}`,
        stateMachineArn: String(input.stateMachineArn),
        name,
        input: String(input.input ?? '{}'),
        startDate: new Date(),
      };
      executions.set(execution.executionArn, execution);
      void runner.start(workflow, JSON.parse(execution.input)).then((record) => {
        execution.record = record;
        execution.stopDate = new Date();
      });
      return { executionArn: execution.executionArn, startDate: execution.startDate };
    },

    DescribeExecution(input, ctx) {
      sync(ctx.callerAccount, ctx.region);
      const e = find(input.executionArn);
      return {
        executionArn: e.executionArn,
        stateMachineArn: e.stateMachineArn,
        name: e.name,
        status: status(e),
        startDate: e.startDate,
        ...(e.stopDate ? { stopDate: e.stopDate } : {}),
        input: e.input,
        ...(e.record?.output !== undefined ? { output: JSON.stringify(e.record.output) } : {}),
        ...(e.record?.error ? { error: e.record.error, cause: e.record.cause } : {}),
      };
    },

    GetExecutionHistory(input) {
      const e = find(input.executionArn);
      const entered = e.record ? [e.record, ...e.record.children].flatMap((r) => r.statesEntered) : [];
      const events = [
        { id: 1, type: 'ExecutionStarted', timestamp: e.startDate },
        ...entered.map((name, i) => ({ id: i + 2, type: 'TaskStateEntered', timestamp: e.startDate, stateEnteredEventDetails: { name } })),
      ];
      return { events: input.reverseOrder ? events.reverse() : events };
    },

    ListExecutions(input, ctx) {
      sync(ctx.callerAccount, ctx.region);
      const list = [...executions.values()].filter((e) => e.stateMachineArn === input.stateMachineArn).reverse();
      return {
        executions: list.slice(0, Number(input.maxResults ?? 100)).map((e) => ({
          executionArn: e.executionArn,
          stateMachineArn: e.stateMachineArn,
          name: e.name,
          status: status(e),
          startDate: e.startDate,
          ...(e.stopDate ? { stopDate: e.stopDate } : {}),
        })),
      };
    },
  };
}
