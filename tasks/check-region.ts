/**
 * Task `CheckRegion` (workflow `onboard-region`): is this a region Tributary governs? A region
 * enabled outside the config ends the workflow with a clear RegionNotGoverned result. Also tells
 * the workflow the subscription mode, which decides how log groups are wired, and whether to start
 * the backfill (config `backfill`).
 */
import type { TaskContext } from './lib/context';
import { field, parseAccountId, parseRegion } from './lib/domain';
import { lambdaHandler } from './lib/lambda';

export async function checkRegion(
  input: unknown,
  { config }: TaskContext,
): Promise<{ governed: boolean; subscriptionMode: 'log-group' | 'account-policy'; backfill: boolean }> {
  parseAccountId(field(input, 'accountId'));
  const region = parseRegion(field(input, 'region'));
  // The backfill runs up to each group's own filter: subscription mode log-group only.
  const backfill = config.backfill !== undefined && config.subscription.mode === 'log-group';
  return { governed: config.governedRegions.includes(region), subscriptionMode: config.subscription.mode, backfill };
}

export const handler = lambdaHandler(checkRegion);
