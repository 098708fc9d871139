/**
 * Task `CheckRegion` (workflow `onboard-region`): is this a region Tributary governs? A region
 * enabled outside the config ends the workflow with a clear RegionNotGoverned result.
 */
import type { TaskContext } from './lib/context';
import { field, parseAccountId, parseRegion } from './lib/domain';
import { lambdaHandler } from './lib/lambda';

export async function checkRegion(input: unknown, { config }: TaskContext): Promise<{ governed: boolean }> {
  parseAccountId(field(input, 'accountId'));
  const region = parseRegion(field(input, 'region'));
  return { governed: config.governedRegions.includes(region) };
}

export const handler = lambdaHandler(checkRegion);
