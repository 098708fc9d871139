/**
 * Task `CheckOutcome` (workflows `onboard-region`, `onboard-account`, `offboard-account`): the
 * last state of each. Returns the summary when everything succeeded (an onboard-account one with
 * each region's log groups as the account's paging left them); otherwise fails the execution with
 * `WorkIncomplete`, naming every failed account, region and part, so the failed-execution alarms
 * see a partial failure too.
 */
import type { TaskContext } from './lib/context';
import { field } from './lib/domain';
import { InvalidInputError, WorkIncompleteError } from './lib/errors';
import { lambdaHandler } from './lib/lambda';
import { outcomeFailures, withAccountLogGroups } from './lib/outcome';

const WORKFLOWS = ['onboard-region', 'onboard-account', 'offboard-account'] as const;
type CheckedWorkflow = (typeof WORKFLOWS)[number];

export async function checkOutcome(input: unknown, _context: TaskContext): Promise<Record<string, unknown>> {
  const workflow = field(input, 'workflow');
  if (!WORKFLOWS.includes(workflow as CheckedWorkflow)) throw new InvalidInputError('workflow', workflow, `must be one of ${WORKFLOWS.join(', ')}`);
  const summary = field(input, 'summary');
  if (typeof summary !== 'object' || summary === null || Array.isArray(summary))
    throw new InvalidInputError('summary', summary, 'must be the workflow summary object');
  const reported = workflow === 'onboard-account' ? withAccountLogGroups(summary as Record<string, unknown>) : (summary as Record<string, unknown>);
  const failures = outcomeFailures(workflow as CheckedWorkflow, reported);
  const subject = [(summary as { accountId?: unknown }).accountId, (summary as { region?: unknown }).region].filter((v) => typeof v === 'string').join(' ');
  if (failures.length > 0) throw new WorkIncompleteError(`${workflow} ${subject}: ${failures.length} part(s) failed: ${failures.join('; ')}`);
  return reported;
}

export const handler = lambdaHandler(checkOutcome);
