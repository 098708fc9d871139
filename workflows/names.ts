/**
 * Names shared by the ASL placeholders, the offline runner, the CDK stacks and the CLI: one
 * place decides how a workflow's state machine and a task's file are called.
 */
import type { TaskName } from '../tasks/registry';
import type { WorkflowName } from './catalog';

/** `SubscribeLogGroupsPage` -> `subscribe-log-groups-page`. */
export function kebabCase(pascal: string): string {
  return pascal.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** Every state machine's fixed name, so that parents name their children without a cycle. */
export function stateMachineName(workflow: WorkflowName): string {
  return `tributary-${workflow}`;
}

/** `OnboardRegionStateMachineArn` (from `${OnboardRegionStateMachineArn}`) -> `onboard-region`. */
export function workflowOfPlaceholder(placeholder: string): WorkflowName {
  return kebabCase(placeholder.slice(0, -'StateMachineArn'.length)) as WorkflowName;
}

/** `SubscribeLogGroupFunctionArn` -> `SubscribeLogGroup`. */
export function taskOfPlaceholder(placeholder: string): string {
  return placeholder.slice(0, -'FunctionArn'.length);
}

/** Every task's file is named after it: `tasks/subscribe-log-groups-page.ts`. */
export function taskFile(task: TaskName): string {
  return `${kebabCase(task)}.ts`;
}
