/**
 * Task `OffboardRegion` (workflow `offboard-account`): a departed account loses its GuardDuty
 * membership in the region (its place in the destination policy is the destination writer's,
 * EnsureDestinationAccess, before this). Nothing else is touched: its logs, already delivered, stay
 * in the archive under Object Lock.
 */
import { DeleteMembersCommand, DisassociateMembersCommand, GetMembersCommand, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { toTaskError } from './lib/aws-errors';
import type { TaskContext } from './lib/context';
import { field, parseAccountId, parseRegion, type AccountId, type Region } from './lib/domain';
import { lambdaHandler } from './lib/lambda';

export interface OffboardRegionResult {
  readonly accountId: AccountId;
  readonly region: Region;
  readonly guardDuty: 'Removed' | 'NotMember' | 'Off';
  readonly changed: boolean;
}

async function removeGuardDutyMember(context: TaskContext, accountId: AccountId, region: Region): Promise<OffboardRegionResult['guardDuty']> {
  const { mode, administratorAccount } = context.config.guardDuty;
  if (mode === 'off') return 'Off';
  const admin = await context.clients.guardDuty(administratorAccount, region);
  try {
    const { DetectorIds = [] } = await admin.send(new ListDetectorsCommand({}));
    const detectorId = DetectorIds[0];
    if (!detectorId) return 'NotMember';
    const { Members = [] } = await admin.send(new GetMembersCommand({ DetectorId: detectorId, AccountIds: [accountId] }));
    if (!Members.some((m) => m.AccountId === accountId)) return 'NotMember';
    await admin.send(new DisassociateMembersCommand({ DetectorId: detectorId, AccountIds: [accountId] }));
    await admin.send(new DeleteMembersCommand({ DetectorId: detectorId, AccountIds: [accountId] }));
    return 'Removed';
  } catch (error) {
    throw toTaskError(error, `guardduty: remove member ${accountId} in ${region}`);
  }
}

export async function offboardRegion(input: unknown, context: TaskContext): Promise<OffboardRegionResult> {
  const accountId = parseAccountId(field(input, 'accountId'));
  const region = parseRegion(field(input, 'region'));
  const guardDuty = await removeGuardDutyMember(context, accountId, region);
  return { accountId, region, guardDuty, changed: guardDuty === 'Removed' };
}

export const handler = lambdaHandler(offboardRegion);
