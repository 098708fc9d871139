/** `tributary route <event.json>`: which workflow an EventBridge event starts, and with what input. */
import { readFileSync } from 'fs';
import { EventRouter } from '../workflows/routing';
import { reportProblems } from './problems';

export function routeCommand(path: string): number {
  let event: unknown;
  try {
    event = JSON.parse(readFileSync(path === '-' ? 0 : path, 'utf8'));
  } catch (cause) {
    console.error(`tributary route: cannot read an event from ${path}: ${(cause as Error).message}`);
    return 2;
  }
  try {
    const route = new EventRouter().route(event);
    console.log(JSON.stringify(route.workflow === null ? route : { workflow: route.workflow, trigger: route.trigger, input: route.input }, null, 2));
    return 0;
  } catch (error) {
    return reportProblems('route', error);
  }
}
