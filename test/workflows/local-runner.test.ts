import { join } from 'path';
import type { WorkflowSpec } from '../../workflows/catalog';
import { LocalRunner, UnboundTaskError } from '../../workflows/local/runner';

const fixture = (name: string) => join(__dirname, 'fixtures', `${name}.asl.json`);
const spec = (name: string, aslFile: string): WorkflowSpec => ({ name: name as WorkflowSpec['name'], description: name, aslFile, triggers: [], tasks: [] });
const catalog = [spec('parent', fixture('parent')), spec('child', fixture('child')), spec('unbound', fixture('unbound'))];
const double = async (input: unknown) => ((input as { value: number }).value ?? 0) * 2;

describe('local runner', () => {
  it('refuses a definition with a Task it cannot bind, naming each one, before running anything', () => {
    // Prepare
    let calls = 0;
    const runner = new LocalRunner({ catalog, tasks: { Double: async () => ++calls } });

    // Act
    const prepare = () => runner.prepare('unbound' as never);

    // Assess
    expect(prepare).toThrow(UnboundTaskError);
    expect(prepare).toThrow(/"Unknown" \(task Missing\)/);
    expect(prepare).toThrow(/"RawLambda" \(arn:aws:lambda:us-east-1:123456789012:function:somebody-else\)/);
    expect(calls).toBe(0);
  });

  it('runs startExecution.sync:2 children locally and counts their state transitions', async () => {
    // Prepare
    const runner = new LocalRunner({ catalog, tasks: { Double: double } });

    // Act
    const execution = await runner.start('parent' as never, { items: [1, 2, 3] });

    // Assess
    expect(execution).toMatchObject({ status: 'SUCCEEDED', output: [2, 4, 6] });
    expect(execution.children).toHaveLength(3);
    expect(execution.stateTransitions).toBe(1 + 3 + 3);
  });

  it('fails the parent with States.TaskFailed when a child fails', async () => {
    // Prepare
    const runner = new LocalRunner({
      catalog,
      tasks: {
        Double: async () => {
          throw Object.assign(new Error('boom'), { name: 'AwsRequestRejected' });
        },
      },
    });

    // Act
    const execution = await runner.start('parent' as never, { items: [1] });

    // Assess
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('States.TaskFailed');
    expect(execution.cause).toContain('AwsRequestRejected');
  });
});
