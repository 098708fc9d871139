/**
 * Task `AcquireReconcileLease` (workflow `reconcile`): a full reconcile runs only if no other one
 * does (a daily schedule, a hand-started run, a run that outlived its day). A reconcile scoped to
 * accounts that just joined needs no lease: it is small and idempotent like any onboarding.
 */
import type { TaskContext } from './lib/context';
import { field } from './lib/domain';
import { lambdaHandler } from './lib/lambda';
import { acquireReconcileLease, runIdOf } from './lib/reconcile-run';

/** As long as the reconcile workflow's own TimeoutSeconds: a run that dies keeps the lease no longer. */
export const RECONCILE_LEASE_SECONDS = 23 * 3600;

export async function acquireReconcileLeaseTask(input: unknown, { clients, clock }: TaskContext): Promise<{ acquired: boolean; scoped: boolean }> {
  const runId = runIdOf(input);
  const scoped = field(field(input, 'input'), 'joinedWithinHours') !== undefined;
  if (scoped) return { acquired: true, scoped };
  const now = clock.now();
  const { acquired } = await acquireReconcileLease(clients.dynamo(), runId, now, now + RECONCILE_LEASE_SECONDS * 1000);
  return { acquired, scoped };
}

export const handler = lambdaHandler(acquireReconcileLeaseTask);
