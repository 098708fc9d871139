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

function validationError(message: string): STSServiceException {
  return new STSServiceException({ name: 'ValidationError', $fault: 'client', $metadata: { httpStatusCode: 400 }, message });
}

/**
 * A session of 900 s to the role's maximum, 3,600 s unless raised, and never more when the caller
 * is itself a role session (role chaining: a task's Lambda role, or an operator's role), as every
 * caller offline is (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use.html#id_roles_use_view-role-max-session).
 */
const MIN_SESSION_SECONDS = 900;
const CHAINED_SESSION_SECONDS = 3600;
/** RoleSessionName: 2 to 64 of `[\w+=,.@-]`. */
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

export const sts: Record<string, OperationHandler> = {
  AssumeRole(input, ctx) {
    const sessionName = String(input.RoleSessionName);
    if (!SESSION_NAME.test(sessionName))
      throw validationError(
        `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
      );
    const seconds = input.DurationSeconds === undefined ? CHAINED_SESSION_SECONDS : Number(input.DurationSeconds);
    if (!Number.isInteger(seconds) || seconds < MIN_SESSION_SECONDS)
      throw validationError(
        `1 validation error detected: Value '${String(input.DurationSeconds)}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`,
      );
    if (seconds > CHAINED_SESSION_SECONDS)
      throw validationError('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
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
        Expiration: new Date(ctx.now + seconds * 1000),
      },
      AssumedRoleUser: {
        Arn: `arn:aws:sts::${account.id}:assumed-role/${match[2]}/${sessionName}`,
        AssumedRoleId: `AROASIM:${sessionName}`,
      },
    };
  },

  GetCallerIdentity(_input, ctx) {
    return { Account: ctx.callerAccount, Arn: `arn:aws:sts::${ctx.callerAccount}:assumed-role/tributary-task/simulated`, UserId: 'AROASIM' };
  },
};
