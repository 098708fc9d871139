/**
 * Task `GovernedRegions` (workflow `offboard-account`): the regions whose central resources may
 * name the account, what started the workflow, and whether Tributary's own wiring is to be removed
 * too. It first confirms with Organizations that the account has departed or is closing: an ACTIVE
 * member is offboarded only when the input says `force` (a stolen credential or a mistyped id
 * could otherwise switch a member's logging off).
 */
import { DescribeAccountCommand } from '@aws-sdk/client-organizations';
import { errorName, toTaskError } from './lib/aws-errors';
import type { TaskContext } from './lib/context';
import { field, parseAccountId, type AccountId, type Region } from './lib/domain';
import { AccountStillActiveError, InvalidInputError } from './lib/errors';
import { lambdaHandler } from './lib/lambda';

function flag(input: unknown, name: string): boolean {
  const value = field(input, name) ?? false;
  if (typeof value !== 'boolean') throw new InvalidInputError(name, value, 'must be true or false');
  return value;
}

/** The account's Organizations status, or `DEPARTED` when Organizations no longer knows it. */
async function membership(context: TaskContext, accountId: AccountId): Promise<string> {
  try {
    const { Account } = await context.clients.organizations().send(new DescribeAccountCommand({ AccountId: accountId }));
    return String(Account?.State ?? Account?.Status ?? 'UNKNOWN');
  } catch (error) {
    if (errorName(error) === 'AccountNotFoundException') return 'DEPARTED';
    throw toTaskError(error, `organizations:DescribeAccount ${accountId}`);
  }
}

export async function governedRegions(
  input: unknown,
  context: TaskContext,
): Promise<{ accountId: AccountId; regions: readonly Region[]; trigger: unknown; removeWiring: boolean; membership: string }> {
  const removeWiring = flag(input, 'removeWiring');
  const force = flag(input, 'force');
  const accountId = parseAccountId(field(input, 'accountId'));
  const status = await membership(context, accountId);
  if (status === 'ACTIVE' && !force) {
    throw new AccountStillActiveError(
      `${accountId} is still an ACTIVE member of the organization: offboarding would switch its logging off. Remove or close the account first, or start offboard-account with "force": true`,
    );
  }
  return { accountId, regions: context.config.governedRegions, trigger: field(input, 'trigger') ?? 'manual', removeWiring, membership: status };
}

export const handler = lambdaHandler(governedRegions);
