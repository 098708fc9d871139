/**
 * Task `ReportDrift` (workflow `reconcile`): the drift found and repaired across the organization,
 * read from the run's records. An account with no record (its child execution failed) counts as
 * failed. The number of failed accounts is published as a metric (tasks/lib/metrics.ts) that an
 * alarm watches: a reconcile tolerates failed accounts and reports them, it does
 * not stop for them.
 */
import type { TaskContext } from './lib/context';
import { field } from './lib/domain';
import { driftReport, type DriftReport } from './lib/drift';
import { InvalidInputError } from './lib/errors';
import { lambdaHandler } from './lib/lambda';
import { publishMetric } from './lib/metrics';
import { readAccountDrifts, runIdOf } from './lib/reconcile-run';

export const FAILED_ACCOUNTS_METRIC = 'ReconcileFailedAccounts';

export async function reportDrift(input: unknown, context: TaskContext): Promise<DriftReport> {
  const { clients } = context;
  const runId = runIdOf(input);
  const accounts = field(input, 'accounts');
  if (!Array.isArray(accounts) || accounts.some((a) => typeof a !== 'string'))
    throw new InvalidInputError('accounts', accounts, "must be the run's list of account ids");
  const { drifts, missing } = await readAccountDrifts(clients.dynamo(), runId, accounts as string[]);
  const report = driftReport(
    drifts,
    missing.map((a) => `${a}: no result (its reconcile child execution failed)`),
  );
  publishMetric(
    context,
    'reconcile finished',
    { name: FAILED_ACCOUNTS_METRIC, value: report.failedAccounts, unit: 'Count', dimensions: {} },
    { runId, accounts: report.accounts, repaired: report.repaired, failedAccounts: report.failedAccounts },
  );
  return report;
}

export const handler = lambdaHandler(reportDrift);
