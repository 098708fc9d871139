/**
 * Task `EnsureDestinationAccess` (workflow `onboard-region`): the account may subscribe to the
 * region's central destination. In `organization` mode the data-path stack's policy grants every
 * account of the organization, so there is nothing to do per account (reading the logging
 * account's destination once per onboarding does not scale: DescribeDestinations allows 5 calls a
 * second for the whole organization). In `account-list` mode the account is added under a lease lock.
 */
import type { TaskContext } from './lib/context';
import { changeDestinationAccounts } from './lib/destination-access';
import { field, parseAccountId, parseRegion, type AccountId, type Region } from './lib/domain';
import { lambdaHandler } from './lib/lambda';
import { toTaskError } from './lib/aws-errors';
import { addOrganizationAccount, ORGANIZATION_ACCOUNTS_KEY } from './lib/organization-accounts';

export interface DestinationAccessResult {
  readonly accountId: AccountId;
  readonly region: Region;
  readonly mode: 'organization' | 'account-list';
  readonly status: 'Granted';
  readonly changed: boolean;
}

export async function ensureDestinationAccess(input: unknown, context: TaskContext): Promise<DestinationAccessResult> {
  const accountId = parseAccountId(field(input, 'accountId'));
  const region = parseRegion(field(input, 'region'));
  const { config } = context;
  // The processor accepts the account's records from now on (organization-accounts.ts).
  await addOrganizationAccount(context.clients.dynamo(), accountId, context.clock.now()).catch((error: unknown) => {
    throw toTaskError(error, `dynamodb:UpdateItem ${ORGANIZATION_ACCOUNTS_KEY}`);
  });
  if (config.destinationAccess === 'organization') return { accountId, region, mode: 'organization', status: 'Granted', changed: false };
  const { changed } = await changeDestinationAccounts(context, region, accountId, 'add');
  return { accountId, region, mode: 'account-list', status: 'Granted', changed };
}

export const handler = lambdaHandler(ensureDestinationAccess);
