/**
 * Task `EnsureGuardDuty` (workflow `onboard-region`): the account is a GuardDuty member of the
 * configured administrator in this region (`invitation` or `organization` mode), or nothing (`off`).
 */
import type { TaskContext } from './lib/context';
import { field, parseAccountId, parseRegion, type AccountId, type Region } from './lib/domain';
import { ensureGuardDutyMembership, type GuardDutyOutcome } from './lib/guardduty-membership';
import { InvalidInputError } from './lib/errors';
import { lambdaHandler } from './lib/lambda';

export interface EnsureGuardDutyResult extends GuardDutyOutcome {
  readonly accountId: AccountId;
  readonly region: Region;
  readonly mode: 'organization' | 'invitation' | 'off';
}

export async function ensureGuardDuty(input: unknown, context: TaskContext): Promise<EnsureGuardDutyResult> {
  const accountId = parseAccountId(field(input, 'accountId'));
  const region = parseRegion(field(input, 'region'));
  // The execution's own input carries the e-mail when onboard-account started it.
  const onboarding = field(input, 'onboarding');
  const email = onboarding === undefined ? undefined : field(onboarding, 'email');
  if (email !== undefined && email !== null && (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email)))
    throw new InvalidInputError('email', email, 'must be an e-mail address');
  const outcome = await ensureGuardDutyMembership(context, accountId, region, typeof email === 'string' ? email : undefined);
  if (outcome.status === 'EmailVerificationFailed') {
    context.logger.warn('GuardDuty membership needs a person', { accountId, region, status: outcome.status });
  }
  return { accountId, region, mode: context.config.guardDuty.mode, ...outcome };
}

export const handler = lambdaHandler(ensureGuardDuty);
