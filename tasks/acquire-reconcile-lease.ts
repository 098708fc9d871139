/**
 * Task `AcquireReconcileLease` (workflow `reconcile`): a full reconcile runs only if no other one
 * does (a daily schedule, a hand-started run, a run that outlived its day). A reconcile scoped to
 * accounts that just joined opens a window instead: every `AccountJoinedOrganization` event starts
 * one, and each lists every account that joined in a day, so a burst of 50 joins onboarded 50
 * accounts 50 times over. The first run opens a minute's window and lists when it closes; a run
 * started inside it ends at once, since its account joined before its event and so before the
 * window closes.
 */
import type { TaskContext } from './lib/context';
import { field } from './lib/domain';
import { lambdaHandler } from './lib/lambda';
import { acquireReconcileLease, JOINED_WINDOW_KEY, runIdOf, type LeaseOutcome } from './lib/reconcile-run';

/** As long as the reconcile workflow's own TimeoutSeconds: a run that dies keeps the lease no longer. */
export const RECONCILE_LEASE_SECONDS = 23 * 3600;
/** How long the first of a burst of joins waits for the others before listing. */
export const JOINED_WINDOW_SECONDS = 60;

/** Refused, the result names the run that holds the lease and until when, so the execution's output says who. */
export async function acquireReconcileLeaseTask(input: unknown, { clients, clock, logger }: TaskContext): Promise<LeaseOutcome & { scoped: boolean }> {
  const runId = runIdOf(input);
  const scoped = field(field(input, 'input'), 'joinedWithinHours') !== undefined;
  const now = clock.now();
  if (scoped) return { ...(await acquireReconcileLease(clients.dynamo(), runId, now, now + JOINED_WINDOW_SECONDS * 1000, JOINED_WINDOW_KEY)), scoped };
  const outcome = await acquireReconcileLease(clients.dynamo(), runId, now, now + RECONCILE_LEASE_SECONDS * 1000);
  if (!outcome.acquired) logger.info('another reconcile holds the lease', { runId, holder: outcome.holder, heldUntil: outcome.heldUntil });
  return { ...outcome, scoped };
}

export const handler = lambdaHandler(acquireReconcileLeaseTask);
