/**
 * Reading an ASL file the way the CDK deploys it: placeholders `${...}` substituted with ARNs,
 * and every Task state found (also inside Map and Parallel) with what it calls.
 */
import { readFileSync } from 'fs';
import { join, resolve } from 'path';
import type { WorkflowName } from '../catalog';
import { stateMachineName, taskOfPlaceholder, workflowOfPlaceholder } from '../names';

export const ASL_DIR = join(__dirname, '..', '..', 'asl');

/** ARNs stood in for placeholders offline (the account and region are never called). */
const OFFLINE_ACCOUNT = '000000000000';
const OFFLINE_REGION = 'us-east-1';

export type TaskTarget =
  | { readonly kind: 'function'; readonly task: string }
  | { readonly kind: 'child-workflow'; readonly workflow: WorkflowName }
  /** `startExecution` without `.sync`: the child runs on its own; the Task ends once it started. */
  | { readonly kind: 'detached-workflow'; readonly workflow: WorkflowName }
  | { readonly kind: 'unsupported'; readonly resource: string };

export interface TaskState {
  readonly stateName: string;
  readonly target: TaskTarget;
}

const PLACEHOLDER = /\$\{([A-Za-z0-9]+)\}/g;
const START_EXECUTION_SYNC = 'arn:aws:states:::states:startExecution.sync:2';
const START_EXECUTION = 'arn:aws:states:::states:startExecution';
/** The optimized Lambda integration: `{FunctionName, Payload}` in, the Invoke response out. */
export const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';

export function placeholderValue(name: string): string {
  if (name.endsWith('FunctionArn')) return `arn:aws:lambda:${OFFLINE_REGION}:${OFFLINE_ACCOUNT}:function:tributary-${taskOfPlaceholder(name)}`;
  if (name.endsWith('StateMachineArn'))
    return `arn:aws:states:${OFFLINE_REGION}:${OFFLINE_ACCOUNT}:stateMachine:${stateMachineName(workflowOfPlaceholder(name))}`;
  throw new Error(`ASL placeholder \${${name}} is neither a function nor a state machine ARN`);
}

export function readDefinition(aslFile: string): { raw: string; definition: Record<string, any> } {
  const raw = readFileSync(resolve(ASL_DIR, aslFile), 'utf8');
  return { raw, definition: JSON.parse(raw.replace(PLACEHOLDER, (_m, name: string) => placeholderValue(name))) };
}

export function placeholdersOf(raw: string): string[] {
  return [...new Set([...raw.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

function targetOf(state: Record<string, any>): TaskTarget {
  const resource = String(state.Resource);
  const fn = /^arn:aws:lambda:[^:]+:\d{12}:function:tributary-([A-Za-z0-9]+)$/.exec(String(state.Parameters?.FunctionName ?? ''));
  if (resource === LAMBDA_INVOKE && fn) return { kind: 'function', task: fn[1]! };
  const child = /:stateMachine:tributary-([a-z0-9-]+)$/.exec(String(state.Parameters?.StateMachineArn ?? ''));
  if (resource === START_EXECUTION_SYNC && child) return { kind: 'child-workflow', workflow: child[1] as WorkflowName };
  if (resource === START_EXECUTION && child) return { kind: 'detached-workflow', workflow: child[1] as WorkflowName };
  return { kind: 'unsupported', resource };
}

/** Every state of a definition, including those in Map processors and Parallel branches. */
export function allStates(definition: Record<string, any>): Array<[name: string, state: Record<string, any>]> {
  const found: Array<[string, Record<string, any>]> = [];
  const visit = (machine: Record<string, any>): void => {
    for (const entry of Object.entries<Record<string, any>>(machine.States ?? {})) {
      found.push(entry);
      const [, state] = entry;
      if (state.Type === 'Map') visit(state.ItemProcessor ?? state.Iterator ?? {});
      if (state.Type === 'Parallel') for (const branch of state.Branches ?? []) visit(branch);
    }
  };
  visit(definition);
  return found;
}

export function taskStates(definition: Record<string, any>): TaskState[] {
  return allStates(definition)
    .filter(([, state]) => state.Type === 'Task')
    .map(([stateName, state]) => ({ stateName, target: targetOf(state) }));
}
