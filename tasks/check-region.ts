/**
 * Task `CheckRegion` (workflow `onboard-region`): is this a region Tributary governs? A region
 * enabled outside the config ends the workflow with a clear RegionNotGoverned result. Also tells
 * the workflow the subscription mode, which decides how log groups are wired.
 */
import type { TaskContext } from './lib/context';
import { field, parseAccountId, parseRegion } from './lib/domain';
import { lambdaHandler } from './lib/lambda';

export async function checkRegion(input: unknown, { config }: TaskContext): Promise<{ governed: boolean; subscriptionMode: 'log-group' | 'account-policy' }> {
  parseAccountId(field(input, 'accountId'));
  const region = parseRegion(field(input, 'region'));
  return { governed: config.governedRegions.includes(region), subscriptionMode: config.subscription.mode };
}

export const handler = lambdaHandler(checkRegion);
