/** Task `ReportDrift` (workflow `reconcile`): the drift found and repaired across the organization. */
import type { TaskContext } from './lib/context';
import { field } from './lib/domain';
import { driftReport, type AccountDrift, type DriftReport } from './lib/drift';
import { InvalidInputError } from './lib/errors';
import { lambdaHandler } from './lib/lambda';

export async function reportDrift(input: unknown, context: TaskContext): Promise<DriftReport> {
  const accounts = field(input, 'accounts');
  if (!Array.isArray(accounts)) throw new InvalidInputError('accounts', accounts, 'must be the list of account drift records');
  const report = driftReport(accounts as AccountDrift[]);
  context.logger.info('reconcile finished', { ...report.repaired, accounts: report.accounts, failures: report.failures.length });
  return report;
}

export const handler = lambdaHandler(reportDrift);
