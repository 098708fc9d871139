/**
 * Task `EnsureGuardDuty` (workflow `onboard-region`): the account is a GuardDuty member of the
 * configured administrator in this region (`invitation` or `organization` mode), or nothing (`off`).
 */
import type { TaskContext } from './lib/context';
import { field, parseAccountId, parseRegion, type AccountId, type Region } from './lib/domain';
import { ensureGuardDutyMembership, type GuardDutyOutcome } from './lib/guardduty-membership';
import { lambdaHandler } from './lib/lambda';

export interface EnsureGuardDutyResult extends GuardDutyOutcome {
  readonly accountId: AccountId;
  readonly region: Region;
  readonly mode: 'organization' | 'invitation' | 'off';
}

export async function ensureGuardDuty(input: unknown, context: TaskContext): Promise<EnsureGuardDutyResult> {
  const accountId = parseAccountId(field(input, 'accountId'));
  const region = parseRegion(field(input, 'region'));
  const outcome = await ensureGuardDutyMembership(context, accountId, region);
  if (outcome.status === 'EmailVerificationFailed' || outcome.status === 'Resigned') {
    context.logger.warn('GuardDuty membership needs a person', { accountId, region, status: outcome.status });
  }
  return { accountId, region, mode: context.config.guardDuty.mode, ...outcome };
}

export const handler = lambdaHandler(ensureGuardDuty);
