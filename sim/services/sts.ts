/** STS AssumeRole: the member roles exist only once the account's baseline is deployed. */
import { STSServiceException } from '@aws-sdk/client-sts';
import type { OperationHandler } from './context';

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(.+)$/;

function accessDenied(message: string): STSServiceException {
  return new STSServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message });
}

/**
 * The role Organizations creates in an account it creates (an administrator's): offline, the
 * operator's own calls (`tributary plan`, a test's set-up) are made with it
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_access.html).
 */
export const OPERATOR_ROLE_NAME = 'OrganizationAccountAccessRole';

/**
 * Simulated credentials carry the account they act as and, for a member session (`M`), the
 * number of the role assumed (in the simulator's list of roles); the simulator reads them back
 * on each call.
 */
export function simulatedAccessKeyFor(accountId: string, roleIndex?: number): string {
  return roleIndex === undefined ? `ASIASIM${accountId}` : `ASIASIMM${accountId}R${roleIndex}`;
}

export function accountOfAccessKey(accessKeyId: string): string | undefined {
  return /^ASIASIMM?(\d{12})(?:R\d+)?$/.exec(accessKeyId)?.[1];
}

/** The number of the role a member session assumed, or undefined for the account's own credentials. */
export function roleIndexOfAccessKey(accessKeyId: string): number | undefined {
  const index = /^ASIASIMM\d{12}R(\d+)$/.exec(accessKeyId)?.[1];
  return index === undefined ? undefined : Number(index);
}

export const sts: Record<string, OperationHandler> = {
  AssumeRole(input, ctx) {
    const match = ROLE_ARN.exec(String(input.RoleArn));
    const account = match ? ctx.state.account(match[1]!) : undefined;
    const denied = () =>
      accessDenied(
        `User: arn:aws:sts::${ctx.callerAccount}:assumed-role/tributary-task is not authorized to perform: sts:AssumeRole on resource: ${String(input.RoleArn)}`,
      );
    const roleIndex = match ? ctx.memberRoleNames.indexOf(match[2]!) : -1;
    if (!match || !account || roleIndex < 0 || account.status !== 'ACTIVE') throw denied();
    if (account.outsideBaseline && match[2] !== OPERATOR_ROLE_NAME) throw denied();
    if (account.roleMissingAttempts > 0) {
      account.roleMissingAttempts--;
      throw denied();
    }
    return {
      Credentials: {
        AccessKeyId: simulatedAccessKeyFor(account.id, roleIndex),
        SecretAccessKey: 'simulated',
        SessionToken: 'simulated',
        Expiration: new Date(ctx.now + 3600_000),
      },
      AssumedRoleUser: {
        Arn: `arn:aws:sts::${account.id}:assumed-role/${match[2]}/${String(input.RoleSessionName)}`,
        AssumedRoleId: `AROASIM:${String(input.RoleSessionName)}`,
      },
    };
  },

  GetCallerIdentity(_input, ctx) {
    return { Account: ctx.callerAccount, Arn: `arn:aws:sts::${ctx.callerAccount}:assumed-role/tributary-task/simulated`, UserId: 'AROASIM' };
  },
};
