/** Task `AccountDrift` (workflow `reconcile`): one account's onboard-account result reduced to what it repaired. */
import type { TaskContext } from './lib/context';
import { field, parseAccountId } from './lib/domain';
import { accountDrift, type AccountDrift } from './lib/drift';
import { lambdaHandler } from './lib/lambda';

export async function accountDriftTask(input: unknown, _context: TaskContext): Promise<AccountDrift> {
  const accountId = parseAccountId(field(input, 'accountId'));
  return accountDrift(accountId, (field(input, 'result') ?? {}) as Parameters<typeof accountDrift>[1]);
}

export const handler = lambdaHandler(accountDriftTask);
