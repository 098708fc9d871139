/**
 * Step Functions Local test cases in AWS's MockConfigFile format
 * (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html), run two
 * ways from the same file: offline by the local runner, or against Step Functions Local when
 * `SFN_LOCAL_ENDPOINT` is set (through @aws-sdk/client-sfn).
 */
import { readFileSync } from 'fs';
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
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

/** Runs one test case on Step Functions Local started with this MockConfigFile. */
export async function runCaseOnStepFunctionsLocal(endpoint: string, workflow: WorkflowName, testCase: string, input: unknown): Promise<CaseOutcome> {
  const sfn = new SFNClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const { definition } = readDefinition(workflowSpec(workflow).aslFile);
  const { stateMachineArn } = await sfn.send(
    new CreateStateMachineCommand({ name: workflow, definition: JSON.stringify(definition), roleArn: 'arn:aws:iam::123456789012:role/DummyRole' }),
  );
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#${testCase}`, input: JSON.stringify(input) }));
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
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
