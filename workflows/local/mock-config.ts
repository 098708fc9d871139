/**
 * Step Functions Local test cases in AWS's MockConfigFile format
 * (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html), run two
 * ways from the same file: offline by the local runner, and on a Step Functions engine started
 * with the file (Step Functions Local, LocalStack, or test/sfn-local's moto launcher).
 */
import { readFileSync } from 'fs';
import { randomUUID } from 'crypto';
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { workflowSpec, type WorkflowName } from '../catalog';
import { readDefinition } from './definition';
import { LocalRunner, StatesError, type ExecutionStatus, type TaskHandler } from './runner';

type MockedResponse = { Return: unknown } | { Throw: { Error: string; Cause: string } };

export interface MockConfigFile {
  readonly StateMachines: Record<string, { TestCases: Record<string, Record<string, string>> }>;
  readonly MockedResponses: Record<string, Record<string, MockedResponse>>;
}

export interface CaseOutcome {
  readonly status: ExecutionStatus | 'ABORTED' | 'RUNNING';
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
}

export function loadMockConfig(path: string): MockConfigFile {
  return JSON.parse(readFileSync(path, 'utf8')) as MockConfigFile;
}

/** "0", "1-3": which invocations (0-based) of a state a response answers. */
function responseFor(responses: Record<string, MockedResponse>, invocation: number, name: string): MockedResponse {
  for (const [range, response] of Object.entries(responses)) {
    const [from, to = from] = range.split('-').map(Number) as [number, number?];
    if (invocation >= from && invocation <= (to ?? from)) return response;
  }
  throw new Error(`mocked response ${name} has nothing for invocation ${invocation}`);
}

/** Handlers that answer each mocked state from the test case, counting invocations as AWS does. */
function mockedHandlers(config: MockConfigFile, stateMachine: string, testCase: string): Record<string, TaskHandler> {
  const mocks = config.StateMachines[stateMachine]?.TestCases[testCase];
  if (!mocks) throw new Error(`MockConfigFile has no test case ${stateMachine}#${testCase}`);
  return Object.fromEntries(
    Object.entries(mocks).map(([stateName, responseName]) => {
      const responses = config.MockedResponses[responseName];
      if (!responses) throw new Error(`test case ${testCase} names missing mocked response ${responseName}`);
      let invocation = 0;
      const handler: TaskHandler = async () => {
        const response = responseFor(responses, invocation++, responseName);
        if ('Throw' in response) throw new StatesError(response.Throw.Error, response.Throw.Cause);
        return response.Return;
      };
      return [stateName, handler];
    }),
  );
}

/** Runs one test case offline; unmocked Task states are refused (no real task is called). */
export async function runCaseOffline(config: MockConfigFile, workflow: WorkflowName, testCase: string, input: unknown): Promise<CaseOutcome> {
  const runner = new LocalRunner({ tasks: {}, stateHandlers: mockedHandlers(config, workflow, testCase) });
  const { status, output, error, cause } = await runner.start(workflow, input);
  return { status, output, ...(error ? { error } : {}), ...(cause ? { cause } : {}) };
}

/** How long a case may run on an engine before it is stopped and reported: no case hangs a run. */
export const ENGINE_CASE_DEADLINE_MS = 20_000;

export interface EngineRun {
  /** A Step Functions endpoint: Step Functions Local, LocalStack, or the moto launcher. */
  readonly endpoint: string;
  readonly stateMachine: string;
  readonly definition: Record<string, unknown>;
  /** A MockConfigFile test case the engine was started with; none runs the definition as it is. */
  readonly testCase?: string;
  readonly input: unknown;
  /** @default ENGINE_CASE_DEADLINE_MS */
  readonly deadlineMs?: number;
}

/** Runs one execution on a Step Functions endpoint; past its deadline it is stopped and the run fails. */
export async function runOnStepFunctionsEndpoint(run: EngineRun): Promise<CaseOutcome> {
  const deadlineMs = run.deadlineMs ?? ENGINE_CASE_DEADLINE_MS;
  const sfn = new SFNClient({ endpoint: run.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: run.stateMachine,
        definition: JSON.stringify(run.definition),
        roleArn: 'arn:aws:iam::123456789012:role/DummyRole',
      }),
    );
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: run.testCase ? `${stateMachineArn}#${run.testCase}` : stateMachineArn,
        name: `${run.testCase ?? 'run'}-${randomUUID()}`,
        input: JSON.stringify(run.input),
      }),
    );
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (execution.status !== 'RUNNING') {
        return {
          status: execution.status as CaseOutcome['status'],
          ...(execution.output ? { output: JSON.parse(execution.output) } : {}),
          ...(execution.error ? { error: execution.error } : {}),
          ...(execution.cause ? { cause: execution.cause } : {}),
        };
      }
      if (Date.now() > deadline) {
        await sfn.send(new StopExecutionCommand({ executionArn, error: 'CaseDeadline', cause: `still running after ${deadlineMs / 1000} s` }));
        throw new Error(
          `${run.stateMachine}${run.testCase ? `#${run.testCase}` : ''} was still RUNNING on ${run.endpoint} after ${deadlineMs / 1000} s; stopped ${executionArn}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    sfn.destroy();
  }
}

/** Runs one test case of a workflow on an engine started with its MockConfigFile. */
export function runCaseOnStepFunctionsLocal(endpoint: string, workflow: WorkflowName, testCase: string, input: unknown): Promise<CaseOutcome> {
  return runOnStepFunctionsEndpoint({
    endpoint,
    stateMachine: workflow,
    definition: readDefinition(workflowSpec(workflow).aslFile).definition,
    testCase,
    input,
  });
}
