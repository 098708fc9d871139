/**
 * GuardDuty membership of one account in one region, per config mode. Each step reads first and
 * writes only what is missing, so a re-run makes no write; a member state that no retry can fix
 * (email verification failed, the member resigned) ends as a result, never a loop.
 */
import {
  AcceptAdministratorInvitationCommand,
  CreateDetectorCommand,
  CreateMembersCommand,
  DescribeOrganizationConfigurationCommand,
  GetMembersCommand,
  InviteMembersCommand,
  ListDetectorsCommand,
  ListInvitationsCommand,
  UpdateOrganizationConfigurationCommand,
  type DescribeOrganizationConfigurationCommandOutput,
  type GuardDutyClient,
} from '@aws-sdk/client-guardduty';
import { DescribeAccountCommand } from '@aws-sdk/client-organizations';
import { errorName, toTaskError } from './aws-errors';
import type { TaskContext } from './context';
import type { AccountId, Region } from './domain';
import { GuardDutyNotDelegatedError } from './errors';

/** GuardDuty's CreateMembers and InviteMembers take at most this many accounts a call. */
export const MEMBERS_PER_CALL = 50;

export type GuardDutyStatus = 'Enabled' | 'Off' | 'Administrator' | 'EmailVerificationFailed' | 'Invited';

export interface GuardDutyOutcome {
  readonly status: GuardDutyStatus;
  readonly changed: boolean;
  readonly actions: readonly string[];
}

/** Splits a list for APIs that take at most `size` items. */
export function batches<T>(items: readonly T[], size = MEMBERS_PER_CALL): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A GuardDuty call whose failure becomes the task error that names it. */
export async function guardDutyCall<T>(what: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw toTaskError(error, `guardduty:${what}`);
  }
}

/** The account's detector in this region, created when missing. */
async function ensureDetector(client: GuardDutyClient, actions: string[], whose: string): Promise<string> {
  const list = async () => (await guardDutyCall('ListDetectors', () => client.send(new ListDetectorsCommand({})))).DetectorIds?.[0];
  const existing = await list();
  if (existing) return existing;
  try {
    const { DetectorId } = await client.send(new CreateDetectorCommand({ Enable: true }));
    actions.push(`CreateDetector (${whose})`);
    return DetectorId!;
  } catch (error) {
    // Onboardings of other accounts in this region race for the administrator's detector: use the winner's.
    const created = errorName(error) === 'BadRequestException' ? await list() : undefined;
    if (created) return created;
    throw toTaskError(error, 'guardduty:CreateDetector');
  }
}

async function memberStatus(admin: GuardDutyClient, detectorId: string, accountId: AccountId): Promise<string | undefined> {
  const { Members = [] } = await guardDutyCall('GetMembers', () => admin.send(new GetMembersCommand({ DetectorId: detectorId, AccountIds: [accountId] })));
  return Members.find((m) => m.AccountId === accountId)?.RelationshipStatus;
}

async function accountEmail(context: TaskContext, accountId: AccountId): Promise<string> {
  const { Account } = await context.clients
    .organizations()
    .send(new DescribeAccountCommand({ AccountId: accountId }))
    .catch((error: unknown) => {
      throw toTaskError(error, `organizations:DescribeAccount ${accountId}`);
    });
  return Account?.Email ?? `${accountId}@unknown.invalid`;
}

/** The command that delegates GuardDuty's administration to `administratorAccount` in `region` (run in the management account). */
export function delegationCommand(administratorAccount: AccountId, region: Region): string {
  return `aws guardduty enable-organization-admin-account --admin-account-id ${administratorAccount} --region ${region}`;
}

/**
 * The organization configuration, readable only by the region's delegated administrator: a
 * refusal means this region was never delegated
 * (https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_organizations.html).
 */
export async function organizationConfiguration(
  admin: GuardDutyClient,
  detectorId: string,
  administratorAccount: AccountId,
  region: Region,
): Promise<DescribeOrganizationConfigurationCommandOutput> {
  try {
    return await admin.send(new DescribeOrganizationConfigurationCommand({ DetectorId: detectorId }));
  } catch (error) {
    if (errorName(error) === 'BadRequestException' && /delegated administrator/i.test(String((error as Error).message))) {
      throw new GuardDutyNotDelegatedError(
        `${administratorAccount} is not GuardDuty's delegated administrator in ${region}: run ${delegationCommand(administratorAccount, region)} in the management account`,
        { cause: error },
      );
    }
    throw toTaskError(error, 'guardduty:DescribeOrganizationConfiguration');
  }
}

/** `knownEmail`: the account's e-mail when the workflow already read it (onboard-account does, once for all regions). */
export async function ensureGuardDutyMembership(context: TaskContext, accountId: AccountId, region: Region, knownEmail?: string): Promise<GuardDutyOutcome> {
  const { mode, administratorAccount } = context.config.guardDuty;
  const actions: string[] = [];
  const done = (status: GuardDutyStatus): GuardDutyOutcome => ({ status, changed: actions.length > 0, actions });
  if (mode === 'off') return done('Off');

  const admin = await context.clients.guardDuty(administratorAccount, region);
  const adminDetector = await ensureDetector(admin, actions, 'administrator');
  if (accountId === administratorAccount) return done('Administrator');

  if (mode === 'organization') {
    const configuration = await organizationConfiguration(admin, adminDetector, administratorAccount, region);
    if (configuration.AutoEnableOrganizationMembers !== 'ALL') {
      await guardDutyCall('UpdateOrganizationConfiguration', () =>
        admin.send(new UpdateOrganizationConfigurationCommand({ DetectorId: adminDetector, AutoEnableOrganizationMembers: 'ALL' })),
      );
      actions.push('UpdateOrganizationConfiguration AutoEnableOrganizationMembers=ALL');
    }
  }

  let status = await memberStatus(admin, adminDetector, accountId);
  if (status === undefined || status === 'Removed') {
    // Organization members are associated by CreateMembers alone; invitation mode invites next.
    const email = knownEmail ?? (await accountEmail(context, accountId));
    let unprocessed = false;
    for (const batch of batches([{ AccountId: accountId, Email: email }])) {
      const { UnprocessedAccounts = [] } = await guardDutyCall('CreateMembers', () =>
        admin.send(new CreateMembersCommand({ DetectorId: adminDetector, AccountDetails: batch })),
      );
      unprocessed ||= UnprocessedAccounts.some((u) => u.AccountId === accountId);
    }
    actions.push('CreateMembers');
    // A member the call processed is Created (Enabled at once for an organization's delegated
    // administrator): reading it back would only spend the administrator's request quota, which
    // every member of the region shares.
    status = unprocessed ? await memberStatus(admin, adminDetector, accountId) : mode === 'organization' ? 'Enabled' : 'Created';
  }
  if (status === 'Enabled') return done('Enabled');
  if (status === 'EmailVerificationFailed') return done('EmailVerificationFailed');
  if (mode === 'organization') return done('Invited');

  // A member that left its administrator by itself is invited again: its details stay with the
  // administrator (API_DisassociateFromAdministratorAccount), and its leaving is tampering.
  if (status === 'Created' || status === 'Resigned') {
    await guardDutyCall('InviteMembers', () =>
      admin.send(new InviteMembersCommand({ DetectorId: adminDetector, AccountIds: [accountId], DisableEmailNotification: true })),
    );
    actions.push('InviteMembers (email notification off)');
    status = await memberStatus(admin, adminDetector, accountId);
    if (status === 'EmailVerificationFailed') return done('EmailVerificationFailed');
  }

  const member = await context.clients.guardDuty(accountId, region);
  const memberDetector = await ensureDetector(member, actions, 'member');
  const { Invitations = [] } = await guardDutyCall('ListInvitations', () => member.send(new ListInvitationsCommand({})));
  const invitation = Invitations.find((i) => i.AccountId === administratorAccount);
  if (!invitation?.InvitationId) return done('Invited');
  try {
    await guardDutyCall('AcceptAdministratorInvitation', () =>
      member.send(
        new AcceptAdministratorInvitationCommand({ DetectorId: memberDetector, AdministratorId: administratorAccount, InvitationId: invitation.InvitationId }),
      ),
    );
  } catch (error) {
    // An accept whose response was lost, retried by the SDK, finds its invitation consumed: the
    // membership it asked for is the truth to check.
    if ((await memberStatus(admin, adminDetector, accountId)) !== 'Enabled') throw error;
  }
  actions.push('AcceptAdministratorInvitation');
  return done('Enabled');
}
