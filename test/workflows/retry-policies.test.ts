/**
 * Issue #20 item 2: every Task's Retry and Catch in the ASL is exactly what workflows/retry-policies.ts
 * states. A retry count changed, an error dropped from a policy, a Catch narrowed or removed, or a
 * Task state the table does not know, each fails here.
 */
import { CATALOG } from '../../workflows/catalog';
import { readDefinition } from '../../workflows/local/definition';
import { RETRY_POLICIES, TASK_POLICIES } from '../../workflows/retry-policies';

type State = {
  Type: string;
  Retry?: unknown[];
  Catch?: Array<{ ErrorEquals: string[]; Next: string }>;
  Branches?: Array<{ States: Record<string, State> }>;
  Iterator?: { States: Record<string, State> };
  ItemProcessor?: { States: Record<string, State> };
};

function taskStates(states: Record<string, State>): Array<[string, State]> {
  return Object.entries(states).flatMap(([name, state]) => [
    ...(state.Type === 'Task' ? [[name, state] as [string, State]] : []),
    ...(state.Branches ?? []).flatMap((branch) => taskStates(branch.States)),
    ...(state.Iterator ? taskStates(state.Iterator.States) : []),
    ...(state.ItemProcessor ? taskStates(state.ItemProcessor.States) : []),
  ]);
}

describe.each(CATALOG.map((spec) => [spec.name, spec] as const))('%s', (workflow, spec) => {
  const tasks = taskStates(readDefinition(spec.aslFile).definition.States as Record<string, State>);

  it('has a stated policy for each Task state, and no stated policy for a state it does not have', () => {
    expect(tasks.map(([name]) => name).sort()).toEqual(Object.keys(TASK_POLICIES[workflow]).sort());
  });

  it.each(tasks.map(([name, state]) => [name, state] as const))('%s retries and catches exactly as stated', (name, state) => {
    const policy = TASK_POLICIES[workflow][name]!;
    expect(state.Retry ?? []).toEqual(policy.retry.map((p) => RETRY_POLICIES[p]));
    expect((state.Catch ?? []).map((c) => ({ ErrorEquals: c.ErrorEquals, Next: c.Next }))).toEqual(
      policy.catchTo ? [{ ErrorEquals: ['States.ALL'], Next: policy.catchTo }] : [],
    );
  });
});
