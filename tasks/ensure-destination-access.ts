/**
 * Task `EnsureDestinationAccess`: the one writer of the central destinations' access policies
 * (account-list mode), so that no other task's credentials can touch a destination policy.
 * - Onboarding (workflow `onboard-region`, `change` "add", the default): the account may subscribe
 *   to the region's destination. In `organization` mode the data-path stack's policy grants every
 *   account of the organization, so there is nothing to do per account (reading the logging
 *   account's destination once per onboarding does not scale: DescribeDestinations allows 5 calls a
 *   second for the whole organization).
 * - Offboarding (workflow `offboard-account`, `change` "remove"): the departed account loses its place.
 * - Reconcile (workflow `reconcile`, `apply`): the region's policy is written from the intents
 *   `ReconcileDestinationAccess` recorded; accounts that do not fit fail it, named.
 * - Tamper repair (workflow `repair-tampering`, `restore`): a policy someone else rewrote is put back.
 * Every change goes through the intents and the region's lease (tasks/lib/destination-access.ts).
 */
import type { TaskContext } from './lib/context';
import { applyRegionIntents, changeDestinationAccounts, restoreDestinationPolicy } from './lib/destination-access';
import { field, parseAccountId, parseRegion, type AccountId, type Region } from './lib/domain';
import { InvalidInputError } from './lib/errors';
import { lambdaHandler } from './lib/lambda';
import { toTaskError } from './lib/aws-errors';
import { addOrganizationAccount, ORGANIZATION_ACCOUNTS_KEY } from './lib/organization-accounts';

export interface DestinationAccessResult {
  readonly accountId?: AccountId;
  readonly region: Region;
  readonly mode: 'organization' | 'account-list';
  /** Granted (onboarding), Removed (offboarding; an organization-scoped policy stops matching a departed account by itself), Applied (reconcile). */
  readonly status: 'Granted' | 'Removed' | 'OrganizationScoped' | 'Applied' | 'Restored';
  readonly changed: boolean;
}

export async function ensureDestinationAccess(input: unknown, context: TaskContext): Promise<DestinationAccessResult> {
  const region = parseRegion(field(input, 'region'));
  const { config } = context;
  const mode = config.destinationAccess;
  if (field(input, 'restore') === true) return { region, mode, status: 'Restored', changed: await restoreDestinationPolicy(context, region) };
  if (field(input, 'apply') === true) {
    if (mode === 'organization') return { region, mode, status: 'Applied', changed: false };
    return { region, mode, status: 'Applied', changed: await applyRegionIntents(context, region) };
  }
  const accountId = parseAccountId(field(input, 'accountId'));
  const change = field(input, 'change') ?? 'add';
  if (change !== 'add' && change !== 'remove') throw new InvalidInputError('change', change, 'must be "add" or "remove"');
  if (change === 'remove') {
    if (mode === 'organization') return { accountId, region, mode, status: 'OrganizationScoped', changed: false };
    return { accountId, region, mode, status: 'Removed', changed: (await changeDestinationAccounts(context, region, accountId, 'remove')).changed };
  }
  // The processor accepts the account's records from now on (organization-accounts.ts).
  await addOrganizationAccount(context.clients.dynamo(), accountId, context.clock.now()).catch((error: unknown) => {
    throw toTaskError(error, `dynamodb:UpdateItem ${ORGANIZATION_ACCOUNTS_KEY}`);
  });
  if (mode === 'organization') return { accountId, region, mode, status: 'Granted', changed: false };
  const { changed } = await changeDestinationAccounts(context, region, accountId, 'add');
  return { accountId, region, mode, status: 'Granted', changed };
}

export const handler = lambdaHandler(ensureDestinationAccess);
