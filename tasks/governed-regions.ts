/** Task `GovernedRegions` (workflow `offboard-account`): the regions whose central resources may name the account, what started the workflow, and whether Tributary's own wiring is to be removed too. */
import type { TaskContext } from './lib/context';
import { field, parseAccountId, type AccountId, type Region } from './lib/domain';
import { InvalidInputError } from './lib/errors';
import { lambdaHandler } from './lib/lambda';

export async function governedRegions(input: unknown, { config }: TaskContext): Promise<{ accountId: AccountId; regions: readonly Region[]; trigger: unknown; removeWiring: boolean }> {
  const removeWiring = field(input, 'removeWiring') ?? false;
  if (typeof removeWiring !== 'boolean') throw new InvalidInputError('removeWiring', removeWiring, 'must be true or false');
  return { accountId: parseAccountId(field(input, 'accountId')), regions: config.governedRegions, trigger: field(input, 'trigger') ?? 'manual', removeWiring };
}

export const handler = lambdaHandler(governedRegions);
