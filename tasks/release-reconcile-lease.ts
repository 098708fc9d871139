/** Task `ReleaseReconcileLease` (workflow `reconcile`): gives back the lease of a full run, whether it succeeded or failed. */
import type { TaskContext } from './lib/context';
import { lambdaHandler } from './lib/lambda';
import { releaseReconcileLease, runIdOf } from './lib/reconcile-run';

export async function releaseReconcileLeaseTask(input: unknown, { clients }: TaskContext): Promise<{ released: true }> {
  await releaseReconcileLease(clients.dynamo(), runIdOf(input));
  return { released: true };
}

export const handler = lambdaHandler(releaseReconcileLeaseTask);
