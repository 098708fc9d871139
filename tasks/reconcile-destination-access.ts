/**
 * Task `ReconcileDestinationAccess` (workflow `reconcile`, after the accounts are onboarded): it
 * publishes the organization's ACTIVE accounts for the record processor; in `account-list` mode it
 * records, per governed region, the intents that make the destination policy exactly the
 * organization's ACTIVE accounts, and says where there is anything to apply: the one destination
 * writer (`EnsureDestinationAccess`, next in the workflow) writes the policies. The intents'
 * counters are read before the accounts are listed, so an account that joins or leaves meanwhile
 * keeps its own, newer intent. The reconcile started for a joining account (`joinedWithinHours`)
 * lists only part of the organization and leaves the policies alone.
 */
import type { TaskContext } from './lib/context';
import { readIntents, reconcileDestinationAccounts } from './lib/destination-access';
import type { Region } from './lib/domain';
import { lambdaHandler } from './lib/lambda';
import { toTaskError } from './lib/aws-errors';
import { publishOrganizationAccounts, ORGANIZATION_ACCOUNTS_KEY } from './lib/organization-accounts';
import { activeAccounts } from './list-active-accounts';

export interface DestinationReconcileResult {
  readonly mode: 'organization' | 'account-list' | 'partial-reconcile';
  /** Each region's intents recorded, and whether the writer (EnsureDestinationAccess) has anything to apply there. */
  readonly regions: ReadonlyArray<{ readonly region: Region; readonly added: readonly string[]; readonly removed: readonly string[]; readonly apply: boolean }>;
}

export async function reconcileDestinationAccess(input: unknown, context: TaskContext): Promise<DestinationReconcileResult> {
  const { config } = context;
  const execution = (input as { execution?: { joinedWithinHours?: unknown } } | null)?.execution;
  if (execution?.joinedWithinHours !== undefined) return { mode: 'partial-reconcile', regions: [] };
  const dynamo = context.clients.dynamo();
  const snapshots = new Map<Region, number>();
  if (config.destinationAccess === 'account-list')
    for (const region of config.governedRegions) snapshots.set(region, (await readIntents(dynamo, region)).version);
  const listedFrom = context.clock.now();
  const truth = await activeAccounts(context);
  // The record processor's list of the organization's accounts, the management account included.
  await publishOrganizationAccounts(dynamo, [...truth, config.accounts.management], listedFrom, context.clock.now()).catch((error: unknown) => {
    throw toTaskError(error, `dynamodb:PutItem ${ORGANIZATION_ACCOUNTS_KEY}`);
  });
  if (config.destinationAccess === 'organization') return { mode: 'organization', regions: [] };
  const regions: Array<{ region: Region; added: string[]; removed: string[]; apply: boolean }> = [];
  for (const region of config.governedRegions)
    regions.push({ region, ...(await reconcileDestinationAccounts(context, region, truth, snapshots.get(region)!)) });
  return { mode: 'account-list', regions };
}

export const handler = lambdaHandler(reconcileDestinationAccess);
