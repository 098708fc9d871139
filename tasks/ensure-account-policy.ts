/**
 * Task `EnsureAccountPolicy` (workflow `onboard-region`, subscription mode `account-policy`): the
 * member region's account-level subscription filter policy, with the exclusions as selection criteria.
 */
import { ensureAccountPolicy as ensure, type AccountPolicyOutcome } from './lib/account-policy';
import type { TaskContext } from './lib/context';
import { field, parseAccountId, parseRegion, type AccountId, type Region } from './lib/domain';
import { lambdaHandler } from './lib/lambda';

export interface EnsureAccountPolicyResult extends AccountPolicyOutcome {
  readonly accountId: AccountId;
  readonly region: Region;
  readonly status: 'Done';
}

export async function ensureAccountPolicy(input: unknown, context: TaskContext): Promise<EnsureAccountPolicyResult> {
  const accountId = parseAccountId(field(input, 'accountId'));
  const region = parseRegion(field(input, 'region'));
  return { accountId, region, status: 'Done', ...(await ensure(context, accountId, region)) };
}

export const handler = lambdaHandler(ensureAccountPolicy);
