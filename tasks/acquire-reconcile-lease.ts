/**
 * Task `AcquireReconcileLease` (workflow `reconcile`): a full reconcile runs only if no other one
 * does (a daily schedule, a hand-started run, a run that outlived its day). A reconcile scoped to
 * accounts that just joined opens a window instead: every `AccountJoinedOrganization` event starts
 * one, and each lists every account that joined in a day, so a burst of 50 joins onboarded 50
 * accounts 50 times over. The first run opens a minute's window and lists half a minute after it
 * closes; a run started inside it ends at once, since its account joined before its event and so
 * before the window closes.
 */
import type { TaskContext } from './lib/context';
import { field } from './lib/domain';
import { lambdaHandler } from './lib/lambda';
import { acquireReconcileLease, JOINED_WINDOW_KEY, runIdOf, type LeaseOutcome } from './lib/reconcile-run';

/** As long as the reconcile workflow's own TimeoutSeconds: a run that dies keeps the lease no longer. */
export const RECONCILE_LEASE_SECONDS = 23 * 3600;
/** How long the first of a burst of joins waits for the others before listing. */
export const JOINED_WINDOW_SECONDS = 60;
/**
 * How long after its window closes that run lists: Organizations is eventually consistent, and an
 * account that joined in the window's last moment must show in ListAccounts by then.
 */
export const JOINED_LIST_SETTLE_SECONDS = 30;

/** Refused, the result names the run that holds the lease and until when, so the execution's output says who. */
export async function acquireReconcileLeaseTask(
  input: unknown,
  { clients, clock, logger }: TaskContext,
): Promise<LeaseOutcome & { scoped: boolean; listAt?: string }> {
  const runId = runIdOf(input);
  const scoped = field(field(input, 'input'), 'joinedWithinHours') !== undefined;
  const now = clock.now();
  if (scoped) {
    const closes = now + JOINED_WINDOW_SECONDS * 1000;
    const window = await acquireReconcileLease(clients.dynamo(), runId, now, closes, JOINED_WINDOW_KEY);
    return window.acquired ? { ...window, scoped, listAt: new Date(closes + JOINED_LIST_SETTLE_SECONDS * 1000).toISOString() } : { ...window, scoped };
  }
  const outcome = await acquireReconcileLease(clients.dynamo(), runId, now, now + RECONCILE_LEASE_SECONDS * 1000);
  if (!outcome.acquired) logger.info('another reconcile holds the lease', { runId, holder: outcome.holder, heldUntil: outcome.heldUntil });
  return { ...outcome, scoped };
}

export const handler = lambdaHandler(acquireReconcileLeaseTask);
