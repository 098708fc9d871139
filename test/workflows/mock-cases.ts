/**
 * Runs a workflow's MockConfigFile cases (MockConfigFile.json and cases.json in the workflow's test
 * folder) on our interpreter, and on an independent Step Functions engine where one is available
 * (test/sfn-local/engine.ts), which must give the identical status, error, cause and output.
 * `TRIBUTARY_SFN_ENGINE=required` (npm run test:sfn-local) fails instead of skipping without one.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { WorkflowName } from '../../workflows/catalog';
import { loadMockConfig, runCaseOffline, runCaseOnStepFunctionsLocal, type CaseOutcome } from '../../workflows/local/mock-config';
import { engineUnavailable, startEngine, type Engine } from '../sfn-local/engine';

interface Expected {
  readonly input?: unknown;
  readonly status: string;
  readonly error?: string;
  /** Matched with toMatchObject. */
  readonly output?: Record<string, unknown>;
}

const unavailable = engineUnavailable();
if (unavailable && process.env.TRIBUTARY_SFN_ENGINE === 'required')
  throw new Error(`no Step Functions engine to run the MockConfigFile cases on: ${unavailable}`);

export function describeMockCases(workflow: WorkflowName, folder: string): void {
  const config = loadMockConfig(join(folder, 'MockConfigFile.json'));
  const cases = JSON.parse(readFileSync(join(folder, 'cases.json'), 'utf8')) as { input: unknown; expected: Record<string, Expected> };
  const offline = new Map<string, Promise<CaseOutcome>>();
  const offlineOutcome = (testCase: string, input: unknown): Promise<CaseOutcome> => {
    if (!offline.has(testCase)) offline.set(testCase, runCaseOffline(config, workflow, testCase, input));
    return offline.get(testCase)!;
  };

  describe(`${workflow} MockConfigFile cases`, () => {
    it('has an expectation for every test case in the MockConfigFile', () => {
      expect(Object.keys(cases.expected).sort()).toEqual(Object.keys(config.StateMachines[workflow]!.TestCases).sort());
    });

    it.each(Object.entries(cases.expected))('%s, on our interpreter', async (testCase, expected) => {
      // Act
      const outcome = await offlineOutcome(testCase, expected.input ?? cases.input);

      // Assess
      expect(outcome.status).toBe(expected.status);
      if (expected.error) expect(outcome.error).toBe(expected.error);
      if (expected.output) expect(outcome.output).toMatchObject(expected.output);
    });
  });

  if (unavailable) {
    process.stderr.write(`NOTICE: ${workflow} MockConfigFile cases run on our interpreter only: ${unavailable} (see README, "Step Functions engines").\n`);
    return;
  }
  describe(`${workflow} MockConfigFile cases on an independent engine`, () => {
    let engine: Engine;
    beforeAll(async () => {
      engine = await startEngine();
    });
    afterAll(() => engine?.stop());

    it.each(Object.entries(cases.expected))('%s gives the same status, error, cause and output as our interpreter', async (testCase, expected) => {
      // Act
      const input = expected.input ?? cases.input;
      const [onEngine, ours] = await Promise.all([runCaseOnStepFunctionsLocal(engine.endpoint, workflow, testCase, input), offlineOutcome(testCase, input)]);

      // Assess
      expect(onEngine).toEqual(ours);
    });
  });
}
