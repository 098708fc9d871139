/**
 * Runs a workflow's Step Functions Local test cases (MockConfigFile.json and cases.json in the
 * workflow's test folder): offline, or on Step Functions Local when SFN_LOCAL_ENDPOINT is set.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { WorkflowName } from '../../workflows/catalog';
import { loadMockConfig, runCaseOffline, runCaseOnStepFunctionsLocal } from '../../workflows/local/mock-config';

interface Expected {
  readonly input?: unknown;
  readonly status: string;
  readonly error?: string;
  /** Matched with toMatchObject. */
  readonly output?: Record<string, unknown>;
}

export function describeMockCases(workflow: WorkflowName, folder: string): void {
  const config = loadMockConfig(join(folder, 'MockConfigFile.json'));
  const cases = JSON.parse(readFileSync(join(folder, 'cases.json'), 'utf8')) as { input: unknown; expected: Record<string, Expected> };
  const endpoint = process.env.SFN_LOCAL_ENDPOINT;

  describe(`${workflow} MockConfigFile cases (${endpoint ? `Step Functions Local at ${endpoint}` : 'offline'})`, () => {
    it('has an expectation for every test case in the MockConfigFile', () => {
      expect(Object.keys(cases.expected).sort()).toEqual(Object.keys(config.StateMachines[workflow]!.TestCases).sort());
    });

    it.each(Object.entries(cases.expected))('%s', async (testCase, expected) => {
      // Act
      const input = expected.input ?? cases.input;
      const outcome = endpoint ? await runCaseOnStepFunctionsLocal(endpoint, workflow, testCase, input) : await runCaseOffline(config, workflow, testCase, input);

      // Assess
      expect(outcome.status).toBe(expected.status);
      if (expected.error) expect(outcome.error).toBe(expected.error);
      if (expected.output) expect(outcome.output).toMatchObject(expected.output);
    });
  });
}
