/**
 * Task `EnsureDestinationAccess` (workflow `onboard-region`): the account may subscribe to the
 * region's central destination. In `organization` mode the data-path stack owns the policy, so
 * this only verifies it; in `account-list` mode the account is added under a lease lock.
 */
import type { TaskContext } from './lib/context';
import { changeDestinationAccounts, readDestinationPolicy } from './lib/destination-access';
import { grantsOrganization } from './lib/destination-policy';
import { field, parseAccountId, parseRegion, type AccountId, type Region } from './lib/domain';
import { lambdaHandler } from './lib/lambda';

export interface DestinationAccessResult {
  readonly accountId: AccountId;
  readonly region: Region;
  readonly mode: 'organization' | 'account-list';
  /** `Granted`, or `PolicyDrift` when an organization-mode policy no longer grants the organization. */
  readonly status: 'Granted' | 'PolicyDrift';
  readonly changed: boolean;
}

export async function ensureDestinationAccess(input: unknown, context: TaskContext): Promise<DestinationAccessResult> {
  const accountId = parseAccountId(field(input, 'accountId'));
  const region = parseRegion(field(input, 'region'));
  const { config, clients } = context;
  if (config.destinationAccess === 'organization') {
    const policy = await readDestinationPolicy(await clients.logs(config.accounts.logging, region), region);
    const granted = grantsOrganization(policy, config.organizationId);
    if (!granted) context.logger.warn('destination policy does not grant the organization: redeploy the pipeline stack', { region });
    return { accountId, region, mode: 'organization', status: granted ? 'Granted' : 'PolicyDrift', changed: false };
  }
  const { changed } = await changeDestinationAccounts(context, region, accountId, 'add');
  return { accountId, region, mode: 'account-list', status: 'Granted', changed };
}

export const handler = lambdaHandler(ensureDestinationAccess);
