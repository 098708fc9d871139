/** Every task by the name the ASL uses (`${<TaskName>FunctionArn}`). */
import type { TaskName } from '../workflows/catalog';
import type { Task } from './lib/context';
import { subscribeLogGroup } from './subscribe-log-group';

export const TASKS: Readonly<Record<TaskName, Task>> = {
  SubscribeLogGroup: subscribeLogGroup,
};
