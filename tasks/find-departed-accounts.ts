/**
 * Task `FindDepartedAccounts` (workflow `offboard-account`, started by Organizations'
 * `AccountDepartedOrganization`): the accounts Tributary has wired that are no longer ACTIVE
 * members. The departure event names the account in no documented field, so, as the join trigger
 * does, the organization is compared with what is wired: the accounts an account-list destination
 * policy names, and the GuardDuty administrator's members, in every governed region. An account
 * already offboarded (by CloseAccount, say) is wired no more, so a departure offboards it once.
 */
import { ListDetectorsCommand, ListMembersCommand } from '@aws-sdk/client-guardduty';
import type { TaskContext } from './lib/context';
import { readDestinationPolicy } from './lib/destination-access';
import { guardDutyCall } from './lib/guardduty-membership';
import { accountsInPolicy } from './lib/destination-policy';
import type { AccountId, Region } from './lib/domain';
import { lambdaHandler } from './lib/lambda';
import { activeAccounts } from './list-active-accounts';

/** Departed accounts offboarded by one execution; more are named as left for the next departure or by hand. */
export const MAX_DEPARTED_PER_RUN = 50;

export interface DepartedAccounts {
  readonly accounts: readonly AccountId[];
  /** Departed accounts past MAX_DEPARTED_PER_RUN, left for the next run. */
  readonly omitted: number;
}

/** Pure: the wired accounts that are not active members (the management account is never wired). */
export function departedAccounts(wired: Iterable<string>, active: Iterable<string>, management: string): { accounts: AccountId[]; omitted: number } {
  const members = new Set(active);
  const departed = [...new Set(wired)].filter((a) => !members.has(a) && a !== management).sort() as AccountId[];
  return { accounts: departed.slice(0, MAX_DEPARTED_PER_RUN), omitted: Math.max(0, departed.length - MAX_DEPARTED_PER_RUN) };
}

async function guardDutyMembers(context: TaskContext, region: Region): Promise<string[]> {
  const admin = await context.clients.guardDuty(context.config.guardDuty.administratorAccount, region);
  const detectorId = (await guardDutyCall(`ListDetectors ${region}`, () => admin.send(new ListDetectorsCommand({})))).DetectorIds?.[0];
  if (!detectorId) return [];
  const members: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await guardDutyCall(`ListMembers ${region}`, () =>
      admin.send(new ListMembersCommand({ DetectorId: detectorId, OnlyAssociated: 'false', MaxResults: 50, NextToken })),
    );
    members.push(...(page.Members ?? []).filter((m) => m.RelationshipStatus !== 'Removed').map((m) => m.AccountId ?? ''));
    NextToken = page.NextToken || undefined;
  } while (NextToken);
  return members;
}

async function wiredAccounts(context: TaskContext): Promise<string[]> {
  const { config } = context;
  const wired: string[] = [];
  for (const region of config.governedRegions) {
    if (config.destinationAccess === 'account-list')
      wired.push(...accountsInPolicy(await readDestinationPolicy(await context.clients.logs(config.accounts.logging, region), region)));
    if (config.guardDuty.mode !== 'off') wired.push(...(await guardDutyMembers(context, region)).filter((a) => a !== config.guardDuty.administratorAccount));
  }
  return wired;
}

export async function findDepartedAccounts(_input: unknown, context: TaskContext): Promise<DepartedAccounts> {
  const wired = await wiredAccounts(context);
  return departedAccounts(wired, await activeAccounts(context), context.config.accounts.management);
}

export const handler = lambdaHandler(findDepartedAccounts);
