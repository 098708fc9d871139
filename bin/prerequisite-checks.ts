/**
 * The prerequisites `plan` can see from where it runs, each a problem with the command that fixes
 * it: the accounts the tasks reach through member roles have the baseline (they are inside
 * memberBaselineTargets), and, seen from another account than the management account, the
 * organization's delegations let it read accounts and a member's regions.
 */
import { ListRegionsCommand } from '@aws-sdk/client-account';
import { DescribeAccountCommand } from '@aws-sdk/client-organizations';
import { prerequisites } from '../infra/organization-prerequisites';
import { errorName } from '../tasks/lib/aws-errors';
import type { TaskContext } from '../tasks/lib/context';
import type { AccountId } from '../tasks/lib/domain';

export interface PrerequisiteProblem {
  readonly problem: string;
  readonly fix: string;
}

/** A refused call, and a member role that cannot be assumed (tasks/lib/clients.ts names it BaselineRoleNotReady). */
const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'BaselineRoleNotReady']);

function fixFor(context: TaskContext, purposeIncludes: string): string {
  return prerequisites(context.config).find((p) => p.purpose.includes(purposeIncludes))?.command ?? 'see the README, "Deploying into an organization"';
}

async function deniedOrUndefined(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return false;
  } catch (error) {
    if (DENIED.has(errorName(error) ?? '')) return true;
    throw error;
  }
}

/** `probe`: a member account to read as the tasks would; `hubAccount`: the account plan's own credentials are in. */
export async function checkPrerequisites(context: TaskContext, probe: AccountId, hubAccount: string): Promise<PrerequisiteProblem[]> {
  const { config } = context;
  const problems: PrerequisiteProblem[] = [];
  const reached: Array<[string, AccountId]> = [['logging', config.accounts.logging]];
  if (config.guardDuty.mode !== 'off') reached.push(['GuardDuty administrator', config.guardDuty.administratorAccount]);
  for (const [role, account] of reached) {
    if (account === config.accounts.management) continue;
    if (await deniedOrUndefined(() => context.clients.logs(account, config.homeRegion))) {
      problems.push({
        problem: `the ${role} account ${account} has no Tributary baseline role: it is outside memberBaselineTargets (${config.memberBaselineTargets.join(', ')}), and the tasks reach it through its member roles`,
        fix: `add the OU it is in (aws organizations list-parents --child-id ${account}) to memberBaselineTargets, then deploy again`,
      });
    }
  }
  if (hubAccount !== config.accounts.management) {
    if (await deniedOrUndefined(() => context.clients.organizations().send(new DescribeAccountCommand({ AccountId: probe })))) {
      problems.push({
        problem: `account ${hubAccount} may not read the organization's accounts (organizations:DescribeAccount)`,
        fix: fixFor(context, 'reads accounts'),
      });
    }
    if (await deniedOrUndefined(() => context.clients.account().send(new ListRegionsCommand({ AccountId: probe, MaxResults: 1 })))) {
      problems.push({
        problem: `account ${hubAccount} may not list a member's regions (account:ListRegions): it is not Account Management's delegated administrator`,
        fix: fixFor(context, 'Account Management'),
      });
    }
  }
  return problems;
}
