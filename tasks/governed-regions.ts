/** Task `GovernedRegions` (workflow `offboard-account`): the regions whose central resources may name the account, and what started the workflow. */
import type { TaskContext } from './lib/context';
import { field, parseAccountId, type AccountId, type Region } from './lib/domain';
import { lambdaHandler } from './lib/lambda';

export async function governedRegions(input: unknown, { config }: TaskContext): Promise<{ accountId: AccountId; regions: readonly Region[]; trigger: unknown }> {
  return { accountId: parseAccountId(field(input, 'accountId')), regions: config.governedRegions, trigger: field(input, 'trigger') ?? 'manual' };
}

export const handler = lambdaHandler(governedRegions);
