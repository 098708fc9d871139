/** STS AssumeRole: the member role exists only once the account's baseline is deployed. */
import { STSServiceException } from '@aws-sdk/client-sts';
import type { OperationHandler } from './context';

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(.+)$/;

function accessDenied(message: string): STSServiceException {
  return new STSServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message });
}

/**
 * Simulated credentials carry the account they act as, and whether they are a member-role
 * session (`M`); the simulator reads both back on each call.
 */
export function simulatedAccessKeyFor(accountId: string, session: 'hub' | 'member' = 'hub'): string {
  return `ASIASIM${session === 'member' ? 'M' : ''}${accountId}`;
}

export function accountOfAccessKey(accessKeyId: string): string | undefined {
  return /^ASIASIMM?(\d{12})$/.exec(accessKeyId)?.[1];
}

export function isMemberSession(accessKeyId: string): boolean {
  return accessKeyId.startsWith('ASIASIMM');
}

export const sts: Record<string, OperationHandler> = {
  AssumeRole(input, ctx) {
    const match = ROLE_ARN.exec(String(input.RoleArn));
    const account = match ? ctx.state.account(match[1]!) : undefined;
    const denied = () => accessDenied(`User: arn:aws:sts::${ctx.callerAccount}:assumed-role/tributary-task is not authorized to perform: sts:AssumeRole on resource: ${String(input.RoleArn)}`);
    if (!match || !account || match[2] !== ctx.memberRoleName || account.status !== 'ACTIVE') throw denied();
    if (account.roleMissingAttempts > 0) {
      account.roleMissingAttempts--;
      throw denied();
    }
    return {
      Credentials: {
        AccessKeyId: simulatedAccessKeyFor(account.id, 'member'),
        SecretAccessKey: 'simulated',
        SessionToken: 'simulated',
        Expiration: new Date(ctx.now + 3600_000),
      },
      AssumedRoleUser: { Arn: `arn:aws:sts::${account.id}:assumed-role/${match[2]}/${String(input.RoleSessionName)}`, AssumedRoleId: `AROASIM:${String(input.RoleSessionName)}` },
    };
  },

  GetCallerIdentity(_input, ctx) {
    return { Account: ctx.callerAccount, Arn: `arn:aws:sts::${ctx.callerAccount}:assumed-role/tributary-task/simulated`, UserId: 'AROASIM' };
  },
};
