/** Every ASL file follows the rules of DESIGN.md, so that the same file runs offline and in AWS. */
import { readdirSync } from 'fs';
import aslValidator from 'asl-validator';
import type { TaskName } from '../../tasks/registry';
import { CATALOG } from '../../workflows/catalog';
import { allStates, ASL_DIR, placeholdersOf, readDefinition } from '../../workflows/local/definition';
import { LAMBDA_TRANSIENT_ERROR_NAMES, RETRYABLE_ERROR_NAMES } from '../../tasks/lib/errors';
import { TASK_PERMISSIONS } from '../../infra/task-permissions';
import { TASKS } from '../../tasks/registry';

const files = readdirSync(ASL_DIR).filter((f) => f.endsWith('.asl.json'));

describe.each(files)('%s', (file) => {
  const { raw, definition } = readDefinition(file);

  it('is valid Amazon States Language', () => {
    const { isValid, errorsText } = aslValidator(definition);
    expect(errorsText('\n')).toBe('');
    expect(isValid).toBe(true);
  });

  it('uses JSONPath only (no JSONata, no Assign, which the offline interpreter ignores)', () => {
    expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    for (const [, state] of allStates(definition)) {
      expect(state.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
      expect(state.Assign).toBeUndefined();
    }
  });

  it('has a catalog entry, and every placeholder names a catalog task or workflow', () => {
    const spec = CATALOG.find((w) => w.aslFile === file);
    expect(spec).toBeDefined();
    for (const name of placeholdersOf(raw)) {
      const task = name.match(/^(\w+)FunctionArn$/)?.[1];
      if (task) {
        expect(spec!.tasks).toContain(task);
        expect(Object.keys(TASKS)).toContain(task);
      } else {
        expect(name).toMatch(/StateMachineArn$/);
      }
    }
  });

  it('retries transient Lambda errors in every function Task, and every retryable task error where the task calls AWS, with backoff and jitter', () => {
    for (const [name, state] of allStates(definition).filter(([, s]) => s.Type === 'Task' && String(s.Resource).includes(':function:'))) {
      const task = /function:tributary-(\w+)$/.exec(String(state.Resource))![1] as TaskName;
      const retried = (state.Retry ?? []).flatMap((r: { ErrorEquals: string[] }) => r.ErrorEquals);
      const required = [...LAMBDA_TRANSIENT_ERROR_NAMES, ...(TASK_PERMISSIONS[task].length > 0 ? RETRYABLE_ERROR_NAMES : [])];
      expect({ name, missing: required.filter((e) => !retried.includes(e)) }).toEqual({ name, missing: [] });
      for (const retrier of state.Retry) {
        expect(retrier.BackoffRate).toBeGreaterThan(1);
        expect(retrier.JitterStrategy).toBe('FULL');
        expect(retrier.MaxDelaySeconds).toBeGreaterThan(0);
      }
    }
  });
});
