/**
 * Task `ReconcileDestinationAccess` (workflow `reconcile`, after the accounts are onboarded): it
 * publishes the organization's ACTIVE accounts for the record processor; in `account-list` mode, each governed region's destination policy is set to exactly the
 * organization's ACTIVE accounts. The intents' counters are read before the accounts are listed,
 * so an account that joins or leaves meanwhile keeps its own, newer intent. Accounts that do not fit
 * in the policy fail the task, named, with the fix. The reconcile started for a joining account
 * (`joinedWithinHours`) lists only part of the organization and leaves the policies alone.
 */
import type { TaskContext } from './lib/context';
import { readIntents, reconcileDestinationAccounts } from './lib/destination-access';
import { DESTINATION_POLICY_MAX_BYTES } from './lib/destination-policy';
import type { Region } from './lib/domain';
import { DestinationPolicyTooLargeError } from './lib/errors';
import { lambdaHandler } from './lib/lambda';
import { toTaskError } from './lib/aws-errors';
import { publishOrganizationAccounts, ORGANIZATION_ACCOUNTS_KEY } from './lib/organization-accounts';
import { activeAccounts } from './list-active-accounts';

export interface DestinationReconcileResult {
  readonly mode: 'organization' | 'account-list' | 'partial-reconcile';
  readonly regions: ReadonlyArray<{ readonly region: Region; readonly added: readonly string[]; readonly removed: readonly string[] }>;
}

export async function reconcileDestinationAccess(input: unknown, context: TaskContext): Promise<DestinationReconcileResult> {
  const { config } = context;
  const execution = (input as { execution?: { joinedWithinHours?: unknown } } | null)?.execution;
  if (execution?.joinedWithinHours !== undefined) return { mode: 'partial-reconcile', regions: [] };
  const dynamo = context.clients.dynamo();
  const snapshots = new Map<Region, number>();
  if (config.destinationAccess === 'account-list') for (const region of config.governedRegions) snapshots.set(region, (await readIntents(dynamo, region)).version);
  const listedFrom = context.clock.now();
  const truth = await activeAccounts(context);
  // The record processor's list of the organization's accounts, the management account included.
  await publishOrganizationAccounts(dynamo, [...truth, config.accounts.management], listedFrom, context.clock.now()).catch((error: unknown) => {
    throw toTaskError(error, `dynamodb:PutItem ${ORGANIZATION_ACCOUNTS_KEY}`);
  });
  if (config.destinationAccess === 'organization') return { mode: 'organization', regions: [] };
  const regions: Array<{ region: Region; added: string[]; removed: string[] }> = [];
  const overflow = new Map<Region, readonly string[]>();
  for (const region of config.governedRegions) {
    const result = await reconcileDestinationAccounts(context, region, truth, snapshots.get(region)!);
    regions.push({ region, added: result.added, removed: result.removed });
    if (result.overflow.length > 0) overflow.set(region, result.overflow);
  }
  if (overflow.size > 0) {
    const lines = [...overflow].map(([region, accounts]) => `${region}: ${accounts.length} account(s) do not fit (${accounts.join(', ')})`);
    throw new DestinationPolicyTooLargeError(`destination policies hold at most ${DESTINATION_POLICY_MAX_BYTES} bytes; ${lines.join('; ')}: set config.destinationAccess to "organization"`);
  }
  return { mode: 'account-list', regions };
}

export const handler = lambdaHandler(reconcileDestinationAccess);
