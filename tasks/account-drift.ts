/**
 * Task `AccountDrift` (workflow `reconcile`): one account's onboard-account result reduced to what
 * it repaired, recorded in the hub's table for the run's report. Returns only a small summary, so
 * the Distributed Map's results never grow with the organization.
 */
import type { TaskContext } from './lib/context';
import { field, parseAccountId } from './lib/domain';
import { accountDrift } from './lib/drift';
import { lambdaHandler } from './lib/lambda';
import { putAccountDrift, runIdOf } from './lib/reconcile-run';

export async function accountDriftTask(input: unknown, { clients, clock }: TaskContext): Promise<{ accountId: string; drifted: boolean; failed: boolean }> {
  const accountId = parseAccountId(field(input, 'accountId'));
  const runId = runIdOf(input);
  const drift = accountDrift(accountId, (field(input, 'result') ?? {}) as Parameters<typeof accountDrift>[1]);
  await putAccountDrift(clients.dynamo(), runId, drift, clock.now());
  return { accountId, drifted: drift.details.length > 0, failed: drift.failures.length > 0 };
}

export const handler = lambdaHandler(accountDriftTask);
