/**
 * Task `DescribeMemberAccount` (workflow `onboard-account`): the account is an ACTIVE member, and
 * which regions to onboard: enabled for the account and governed by the config (or the subset an
 * operator asked for). In a reconcile it first waits for the account's start slot: until then it
 * calls nothing and says when to ask again.
 */
import { ListRegionsCommand, type RegionOptStatus } from '@aws-sdk/client-account';
import { DescribeAccountCommand } from '@aws-sdk/client-organizations';
import { parseStartSlot, startTime } from './lib/account-starts';
import { errorName, toTaskError } from './lib/aws-errors';
import type { TaskContext } from './lib/context';
import { field, parseAccountId, parseRegion, type AccountId, type Region } from './lib/domain';
import { AccountNotActiveError, InvalidInputError } from './lib/errors';
import { lambdaHandler } from './lib/lambda';

export interface MemberAccount {
  readonly accountId: AccountId;
  readonly accountName: string;
  /** Governed regions enabled for the account: the ones to onboard. */
  readonly regions: readonly Region[];
  /** Governed regions the account has not enabled (onboarded when a Region Opt-In event says so). */
  readonly notEnabled: readonly Region[];
  /** What started the workflow: an event's detail-type and eventName, `manual` or `reconcile`. */
  readonly trigger: unknown;
  /** The account's root e-mail, when it was read: GuardDuty invitations need it, once per account rather than per region. */
  readonly email: string | null;
}

const ENABLED: RegionOptStatus[] = ['ENABLED', 'ENABLED_BY_DEFAULT'];

/** Governed regions to onboard, given those enabled and an optional requested subset. */
export function regionsToOnboard(
  governed: readonly Region[],
  enabled: ReadonlySet<string>,
  requested?: readonly Region[],
): { regions: Region[]; notEnabled: Region[] } {
  const wanted = requested ?? governed;
  for (const region of wanted) {
    if (!governed.includes(region)) throw new InvalidInputError('regions', region, `is not governed (config.governedRegions: ${governed.join(', ')})`);
  }
  return { regions: wanted.filter((r) => enabled.has(r)), notEnabled: wanted.filter((r) => !enabled.has(r)) };
}

async function enabledRegions(context: TaskContext, accountId: AccountId): Promise<Set<string>> {
  const enabled = new Set<string>();
  let NextToken: string | undefined;
  do {
    const page = await context.clients
      .account()
      .send(new ListRegionsCommand({ AccountId: accountId, RegionOptStatusContains: ENABLED, NextToken }))
      .catch((error: unknown) => {
        throw toTaskError(error, `account:ListRegions ${accountId}`);
      });
    for (const r of page.Regions ?? []) if (r.RegionName) enabled.add(r.RegionName);
    NextToken = page.NextToken;
  } while (NextToken);
  return enabled;
}

/** A reconcile's account whose start slot has not come: the workflow waits until `waitUntil` and asks again. */
export interface NotYourTurn {
  readonly accountId: AccountId;
  readonly waitUntil: string;
}

export async function describeMemberAccount(input: unknown, context: TaskContext): Promise<MemberAccount | NotYourTurn> {
  const accountId = parseAccountId(field(input, 'accountId'));
  const slot = parseStartSlot(input);
  const startsAt = slot && startTime(slot);
  if (startsAt && startsAt > context.clock.now()) return { accountId, waitUntil: new Date(startsAt).toISOString() };
  const rawRegions = field(input, 'regions');
  if (rawRegions !== undefined && !Array.isArray(rawRegions)) throw new InvalidInputError('regions', rawRegions, 'must be a list of regions');
  const requested = rawRegions?.map((r, i) => parseRegion(r, `regions[${i}]`));

  // A reconcile listed the account ACTIVE moments ago: asking Organizations again for every account
  // of a large organization at once would only meet its request quota, unless GuardDuty
  // invitations need the account's e-mail (read here once, not in every region).
  const listedActive = field(input, 'listedActive') === true;
  let account;
  if (!listedActive || context.config.guardDuty.mode === 'invitation') {
    try {
      ({ Account: account } = await context.clients.organizations().send(new DescribeAccountCommand({ AccountId: accountId })));
    } catch (error) {
      if (errorName(error) === 'AccountNotFoundException')
        throw new AccountNotActiveError(`account ${accountId} is not a member of the organization`, { cause: error });
      throw toTaskError(error, `organizations:DescribeAccount ${accountId}`);
    }
    const status = account?.State ?? account?.Status;
    if (status !== 'ACTIVE') throw new AccountNotActiveError(`account ${accountId} is ${String(status)}, not ACTIVE: nothing to onboard`);
  }

  const { regions, notEnabled } = regionsToOnboard(context.config.governedRegions, await enabledRegions(context, accountId), requested);
  return {
    accountId,
    accountName: account?.Name ?? accountId,
    regions,
    notEnabled,
    trigger: field(input, 'trigger') ?? 'manual',
    email: account?.Email ?? null,
  };
}

export const handler = lambdaHandler(describeMemberAccount);
