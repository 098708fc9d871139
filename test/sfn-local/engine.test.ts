import { readFileSync } from 'fs';
import { join } from 'path';
import { runOnStepFunctionsEndpoint } from '../../workflows/local/mock-config';
import { engineUnavailable, mergedMockConfig, startEngine, type Engine } from './engine';
import { CATALOG } from '../../workflows/catalog';

describe('the MockConfigFile of every workflow as one file', () => {
  it('holds every workflow test folder and every mocked response once', () => {
    // Act
    const merged = mergedMockConfig();

    // Assess
    expect(Object.keys(merged.StateMachines).sort()).toEqual(CATALOG.map((w) => w.name).sort());
    const named = new Set(Object.values(merged.StateMachines).flatMap((machine) => Object.values(machine.TestCases).flatMap((mocks) => Object.values(mocks))));
    expect([...named].filter((name) => !merged.MockedResponses[name])).toEqual([]);
  });
});

const unavailable = engineUnavailable();
if (unavailable) process.stderr.write(`NOTICE: the engine deadline test is skipped: ${unavailable}.\n`);
(unavailable ? describe.skip : describe)('a case on an independent engine', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await startEngine();
  });
  afterAll(() => engine?.stop());

  it('that never ends fails at its deadline, naming the case and the execution, and is stopped', async () => {
    // Prepare
    const definition = JSON.parse(readFileSync(join(__dirname, '..', 'workflows', 'fixtures', 'endless-loop.asl.json'), 'utf8')) as Record<string, unknown>;

    // Act
    const run = runOnStepFunctionsEndpoint({ endpoint: engine.endpoint, stateMachine: 'endless-loop', definition, input: {}, deadlineMs: 1_000 });

    // Assess
    await expect(run).rejects.toThrow(
      /^endless-loop was still RUNNING on http:\/\/\S+ after 1 s; stopped arn:aws:states:us-east-1:\d{12}:execution:endless-loop:run-/,
    );
  });
});
