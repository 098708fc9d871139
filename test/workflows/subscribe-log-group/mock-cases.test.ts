/**
 * The Step Functions Local test cases of subscribe-log-group (MockConfigFile.json beside this
 * file), run offline; with SFN_LOCAL_ENDPOINT set, against Step Functions Local instead.
 */
import { join } from 'path';
import { loadMockConfig, runCaseOffline, runCaseOnStepFunctionsLocal } from '../../../workflows/local/mock-config';
import cases from './cases.json';

const config = loadMockConfig(join(__dirname, 'MockConfigFile.json'));
const endpoint = process.env.SFN_LOCAL_ENDPOINT;
const run = endpoint
  ? (testCase: string) => runCaseOnStepFunctionsLocal(endpoint, 'subscribe-log-group', testCase, cases.input)
  : (testCase: string) => runCaseOffline(config, 'subscribe-log-group', testCase, cases.input);

describe(`subscribe-log-group MockConfigFile cases (${endpoint ? `Step Functions Local at ${endpoint}` : 'offline'})`, () => {
  it('covers every test case in the MockConfigFile', () => {
    expect(Object.keys(cases.expected).sort()).toEqual(Object.keys(config.StateMachines['subscribe-log-group']!.TestCases).sort());
  });

  it.each(Object.entries(cases.expected))('%s', async (testCase, expected) => {
    // Act
    const outcome = await run(testCase);

    // Assess
    expect(outcome.status).toBe(expected.status);
    if ('outputStatus' in expected) expect(outcome.output).toMatchObject({ status: expected.outputStatus, logGroupName: cases.input.logGroupName });
    if ('error' in expected) expect(outcome.error).toBe(expected.error);
  });
});
