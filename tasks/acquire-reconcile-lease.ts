/**
 * Task `AcquireReconcileLease` (workflow `reconcile`): a full reconcile runs only if no other one
 * does (a daily schedule, a hand-started run, a run that outlived its day). A reconcile scoped to
 * accounts that just joined needs no lease: it is small and idempotent like any onboarding.
 */
import type { TaskContext } from './lib/context';
import { field } from './lib/domain';
import { lambdaHandler } from './lib/lambda';
import { acquireReconcileLease, runIdOf, type LeaseOutcome } from './lib/reconcile-run';

/** As long as the reconcile workflow's own TimeoutSeconds: a run that dies keeps the lease no longer. */
export const RECONCILE_LEASE_SECONDS = 23 * 3600;

/** Refused, the result names the run that holds the lease and until when, so the execution's output says who. */
export async function acquireReconcileLeaseTask(input: unknown, { clients, clock, logger }: TaskContext): Promise<LeaseOutcome & { scoped: boolean }> {
  const runId = runIdOf(input);
  const scoped = field(field(input, 'input'), 'joinedWithinHours') !== undefined;
  if (scoped) return { acquired: true, scoped };
  const now = clock.now();
  const outcome = await acquireReconcileLease(clients.dynamo(), runId, now, now + RECONCILE_LEASE_SECONDS * 1000);
  if (!outcome.acquired) logger.info('another reconcile holds the lease', { runId, holder: outcome.holder, heldUntil: outcome.heldUntil });
  return { ...outcome, scoped };
}

export const handler = lambdaHandler(acquireReconcileLeaseTask);
