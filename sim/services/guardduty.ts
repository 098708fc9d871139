/**
 * GuardDuty as Tributary drives it: detectors, members (invitation and organization modes),
 * invitations, and the organization's auto-enable setting.
 */
import { BadRequestException, GuardDutyServiceException, InternalServerErrorException } from '@aws-sdk/client-guardduty';
import type { SimGuardDuty } from '../state';
import { page, type CallContext, type OperationHandler } from './context';

const meta = { $metadata: { httpStatusCode: 400 } };

export function guardDutyThrottled(): GuardDutyServiceException {
  return new GuardDutyServiceException({ name: 'TooManyRequestsException', $fault: 'client', $metadata: { httpStatusCode: 429 }, message: 'Rate exceeded' });
}

export function guardDutyServerError(): InternalServerErrorException {
  return new InternalServerErrorException({
    $metadata: { httpStatusCode: 500 },
    message: 'Internal server error',
    Message: 'Internal server error',
    Type: 'InternalException',
  });
}

function gd(ctx: CallContext, account = ctx.callerAccount): SimGuardDuty {
  return ctx.state.accountRegion(account, ctx.region).guardDuty;
}

function requireDetector(ctx: CallContext, detectorId: unknown): SimGuardDuty {
  const own = gd(ctx);
  if (!own.detectorId || own.detectorId !== detectorId) {
    throw new BadRequestException({
      ...meta,
      message: `The request is rejected because the input detectorId is not owned by the current account.`,
      Message: 'detector not found',
      Type: 'InvalidInputException',
    });
  }
  return own;
}

/** In organization mode, a member's detector is enabled for it by the administrator. */
/** Organization configuration is the region's delegated administrator's alone (https://docs.aws.amazon.com/guardduty/latest/APIReference/API_DescribeOrganizationConfiguration.html). */
function requireDelegatedAdmin(ctx: CallContext): void {
  if (ctx.state.guardDutyDelegatedAdmins.get(ctx.region) !== ctx.callerAccount) {
    throw new BadRequestException({
      ...meta,
      message: 'The request is rejected because the current account is not the delegated administrator.',
      Message: 'not delegated admin',
      Type: 'InvalidInputException',
    });
  }
}

function enableOrganizationMember(ctx: CallContext, accountId: string): void {
  const member = gd(ctx, accountId);
  member.detectorId ??= ctx.state.nextId('d', 30);
  member.administrator = { AccountId: ctx.callerAccount, RelationshipStatus: 'Enabled' };
}

/**
 * A member may not switch itself off while its organization auto-enables ALL members
 * (https://docs.aws.amazon.com/guardduty/latest/APIReference/API_DisassociateFromAdministratorAccount.html:
 * "you'll receive an error if you attempt to disable GuardDuty in a member account").
 */
function refuseWhileAutoEnabled(ctx: CallContext, administrator: string): void {
  if (gd(ctx, administrator).autoEnableOrganizationMembers === 'ALL') {
    throw new BadRequestException({
      ...meta,
      message: 'The request is rejected because the organization configuration auto-enables all members.',
      Message: 'auto-enable ALL',
      Type: 'InvalidInputException',
    });
  }
}

export const guardDuty: Record<string, OperationHandler> = {
  ListDetectors(_input, ctx) {
    const { detectorId } = gd(ctx);
    return { DetectorIds: detectorId ? [detectorId] : [] };
  },

  CreateDetector(_input, ctx) {
    const own = gd(ctx);
    if (own.detectorId)
      throw new BadRequestException({
        ...meta,
        message: 'The request is rejected because a detector already exists for the current account.',
        Message: 'detector exists',
        Type: 'InvalidInputException',
      });
    own.detectorId = ctx.state.nextId('d', 30);
    return { DetectorId: own.detectorId };
  },

  GetMembers(input, ctx) {
    const own = requireDetector(ctx, input.DetectorId);
    const Members = [];
    const UnprocessedAccounts = [];
    for (const id of input.AccountIds as string[]) {
      const m = own.members.get(id);
      if (m)
        Members.push({
          ...m,
          MasterId: ctx.callerAccount,
          AdministratorId: ctx.callerAccount,
          DetectorId: gd(ctx, id).detectorId,
          UpdatedAt: new Date(ctx.now).toISOString(),
        });
      else UnprocessedAccounts.push({ AccountId: id, Result: 'The request is rejected because the input account is not a member.' });
    }
    return { Members, UnprocessedAccounts };
  },

  ListMembers(input, ctx) {
    const own = requireDetector(ctx, input.DetectorId);
    const all = [...own.members.values()].map((m) => ({
      ...m,
      MasterId: ctx.callerAccount,
      AdministratorId: ctx.callerAccount,
      DetectorId: gd(ctx, m.AccountId).detectorId,
      UpdatedAt: new Date(ctx.now).toISOString(),
    }));
    const { items, nextToken } = page(all, input.NextToken, Math.min(Number(input.MaxResults ?? 50), 50));
    return { Members: items, NextToken: nextToken };
  },

  CreateMembers(input, ctx) {
    const own = requireDetector(ctx, input.DetectorId);
    const details = input.AccountDetails as Array<{ AccountId: string; Email: string }>;
    if (details.length > 50)
      throw new BadRequestException({ ...meta, message: 'AccountDetails has more than 50 items.', Message: 'too many', Type: 'InvalidInputException' });
    const organizationMode = ctx.state.guardDutyDelegatedAdmins.get(ctx.region) === ctx.callerAccount;
    const UnprocessedAccounts = [];
    for (const { AccountId, Email } of details) {
      if (!ctx.state.account(AccountId)) {
        UnprocessedAccounts.push({ AccountId, Result: 'The request is rejected because the account does not exist.' });
        continue;
      }
      const existing = own.members.get(AccountId);
      if (existing && existing.RelationshipStatus !== 'Removed') continue;
      own.members.set(AccountId, { AccountId, Email, RelationshipStatus: organizationMode ? 'Enabled' : 'Created' });
      if (organizationMode) enableOrganizationMember(ctx, AccountId);
    }
    return { UnprocessedAccounts };
  },

  InviteMembers(input, ctx) {
    const own = requireDetector(ctx, input.DetectorId);
    const UnprocessedAccounts = [];
    for (const id of input.AccountIds as string[]) {
      const m = own.members.get(id);
      if (!m) {
        UnprocessedAccounts.push({ AccountId: id, Result: 'The request is rejected because the input account is not a member.' });
        continue;
      }
      if (ctx.state.account(id)?.guardDutyEmailFails) {
        m.RelationshipStatus = 'EmailVerificationFailed';
        continue;
      }
      m.RelationshipStatus = 'Invited';
      m.InvitedAt = new Date(ctx.now).toISOString();
      m.InvitationId = ctx.state.nextId('i', 30);
      gd(ctx, id).invitations.set(ctx.callerAccount, m.InvitationId);
    }
    return { UnprocessedAccounts };
  },

  ListInvitations(_input, ctx) {
    return {
      Invitations: [...gd(ctx).invitations.entries()].map(([AccountId, InvitationId]) => ({
        AccountId,
        InvitationId,
        RelationshipStatus: 'Invited',
        InvitedAt: new Date(ctx.now).toISOString(),
      })),
    };
  },

  AcceptAdministratorInvitation(input, ctx) {
    const own = requireDetector(ctx, input.DetectorId);
    const admin = String(input.AdministratorId);
    if (own.invitations.get(admin) !== input.InvitationId)
      throw new BadRequestException({
        ...meta,
        message: 'The request is rejected because the invitation is not valid.',
        Message: 'bad invitation',
        Type: 'InvalidInputException',
      });
    own.invitations.delete(admin);
    own.administrator = { AccountId: admin, RelationshipStatus: 'Enabled' };
    const member = gd(ctx, admin).members.get(ctx.callerAccount);
    if (member) member.RelationshipStatus = 'Enabled';
    return {};
  },

  DescribeOrganizationConfiguration(input, ctx) {
    const own = requireDetector(ctx, input.DetectorId);
    requireDelegatedAdmin(ctx);
    return {
      AutoEnable: own.autoEnableOrganizationMembers !== 'NONE',
      AutoEnableOrganizationMembers: own.autoEnableOrganizationMembers,
      MemberAccountLimitReached: false,
    };
  },

  UpdateOrganizationConfiguration(input, ctx) {
    const own = requireDetector(ctx, input.DetectorId);
    requireDelegatedAdmin(ctx);
    own.autoEnableOrganizationMembers = input.AutoEnableOrganizationMembers ?? 'NONE';
    return {};
  },

  DisassociateMembers(input, ctx) {
    const own = requireDetector(ctx, input.DetectorId);
    for (const id of input.AccountIds as string[]) {
      const m = own.members.get(id);
      if (m) m.RelationshipStatus = 'Removed';
      const member = gd(ctx, id);
      if (member.administrator?.AccountId === ctx.callerAccount) member.administrator = undefined;
    }
    return { UnprocessedAccounts: [] };
  },

  /**
   * A member leaves its administrator. Its details stay with the administrator, who can invite it
   * again (https://docs.aws.amazon.com/guardduty/latest/APIReference/API_DisassociateFromAdministratorAccount.html);
   * the administrator then sees it `Resigned` (assumed from RelationshipStatus's values, not verified).
   */
  DisassociateFromAdministratorAccount(input, ctx) {
    const own = requireDetector(ctx, input.DetectorId);
    const admin = own.administrator?.AccountId;
    if (!admin) return {};
    refuseWhileAutoEnabled(ctx, admin);
    own.administrator = undefined;
    const member = gd(ctx, admin).members.get(ctx.callerAccount);
    if (member) member.RelationshipStatus = 'Resigned';
    return {};
  },

  /**
   * Deleting a detector switches GuardDuty off in the region. Its administrator then sees the
   * member `Removed` (assumed, not verified).
   */
  DeleteDetector(input, ctx) {
    const own = requireDetector(ctx, input.DetectorId);
    const admin = own.administrator?.AccountId;
    if (admin) refuseWhileAutoEnabled(ctx, admin);
    own.detectorId = undefined;
    own.administrator = undefined;
    const member = admin ? gd(ctx, admin).members.get(ctx.callerAccount) : undefined;
    if (member) member.RelationshipStatus = 'Removed';
    return {};
  },

  /**
   * Suspends or resumes the detector (`Enable`,
   * https://docs.aws.amazon.com/guardduty/latest/APIReference/API_UpdateDetector.html). A member of an
   * organization that auto-enables ALL may not suspend it (assumed to be refused like the calls
   * above; unverified).
   */
  UpdateDetector(input, ctx) {
    const own = requireDetector(ctx, input.DetectorId);
    const admin = own.administrator?.AccountId;
    if (input.Enable === false && admin) refuseWhileAutoEnabled(ctx, admin);
    if (typeof input.Enable === 'boolean') own.suspended = !input.Enable;
    return {};
  },

  DeleteMembers(input, ctx) {
    const own = requireDetector(ctx, input.DetectorId);
    for (const id of input.AccountIds as string[]) own.members.delete(id);
    return { UnprocessedAccounts: [] };
  },
};
