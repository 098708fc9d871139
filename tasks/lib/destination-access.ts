/**
 * The account list of a region's destination policy (destination access `account-list`).
 *
 * PutDestinationPolicy has no conditional write, so the policy is never edited, only derived:
 * - every change is an intent (`present` or `absent`) for one account, recorded in the region's
 *   intent item in DynamoDB together with the next version of the item's counter, in one atomic
 *   update. DynamoDB serializes the updates: the latest intent per account wins.
 * - one writer at a time (the region's lease) writes the whole policy from the intents: the
 *   desired state, not a diff. A removal always fits; accounts that would take the policy past
 *   5,120 bytes are left out and named.
 * - the writer records the version it applied. A caller is done when the applied version reaches
 *   its own intent's, not when it sees its account in the policy (another writer's intent may be
 *   about to undo it).
 * - fencing by time: the lease outlives the holder's Lambda (its timeout plus a margin), so a
 *   holder that stalls is killed before anyone can take over, and its last write lands first.
 *
 * Reconcile sets the intents to the truth (the organization's active accounts), except for
 * accounts whose intent is newer than the reconcile's snapshot.
 */
import { DescribeDestinationsCommand, PutDestinationPolicyCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { GetItemCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { errorName, toTaskError } from './aws-errors';
import type { TaskContext } from './context';
import type { AccountId, Region } from './domain';
import { accountListDestinationPolicy, accountsInPolicy, DESTINATION_POLICY_MAX_BYTES, organizationDestinationPolicy } from './destination-policy';
import { DestinationPolicyTooLargeError, ResourceLockedError } from './errors';
import { LOCK_TABLE_NAME, withLeaseLock } from './lease-lock';
import { destinationArn, DESTINATION_NAME } from './ownership';

export type Intent = 'present' | 'absent';

/** The Lambda timeout of the one writer, EnsureDestinationAccess, in seconds (workflows/catalog.ts sets it from this). */
export const DESTINATION_WRITER_TIMEOUT_SECONDS = 60;
/** A request already sent when its Lambda stopped is processed within this (a margin, not a documented figure). */
const IN_FLIGHT_MARGIN_MS = 60_000;

/** Lease: the writer's whole life, so that no one takes over while it can still send, and the margin. */
export function destinationLeaseMs(): number {
  return DESTINATION_WRITER_TIMEOUT_SECONDS * 1000 + IN_FLIGHT_MARGIN_MS;
}

export interface IntentState {
  /** The item's counter: the newest intent's version. */
  readonly version: number;
  /** The newest version whose desired state is in the policy. */
  readonly applied: number;
  /** Accounts left out of the applied policy for its size. */
  readonly overflow: readonly string[];
  readonly intents: ReadonlyMap<string, { readonly intent: Intent; readonly version: number }>;
}

export interface DesiredPolicy {
  /** The accounts the policy lists, sorted. */
  readonly accounts: readonly string[];
  /** Accounts whose intent is `present` that do not fit. */
  readonly overflow: readonly string[];
  readonly policy: string;
}

/**
 * Pure: the policy the intents call for. Accounts without an intent keep their place (a policy
 * from before intents); a removal never waits for room. When the present accounts do not fit,
 * those already in the policy keep their place, then the rest in account order, and the others
 * are overflow.
 */
export function desiredPolicy(arn: string, current: readonly string[], intents: IntentState['intents']): DesiredPolicy {
  const present = new Set(current.filter((a) => intents.get(a)?.intent !== 'absent'));
  for (const [account, { intent }] of intents) if (intent === 'present') present.add(account);
  const ordered = [...present].sort((a, b) => Number(!current.includes(a)) - Number(!current.includes(b)) || a.localeCompare(b));
  const accounts: string[] = [];
  const overflow: string[] = [];
  for (const account of ordered) {
    const candidate = [...accounts, account];
    const fits = Buffer.byteLength(JSON.stringify(accountListDestinationPolicy(arn, candidate as AccountId[]))) <= DESTINATION_POLICY_MAX_BYTES;
    (fits ? accounts : overflow).push(account);
  }
  accounts.sort();
  return { accounts, overflow: overflow.sort(), policy: JSON.stringify(accountListDestinationPolicy(arn, accounts as AccountId[])) };
}

const itemKey = (region: Region) => ({ pk: { S: `destination-access/${region}` } });
const intentName = (account: string) => `i${account}`;
const versionName = (account: string) => `n${account}`;

function stateOf(item: Record<string, AttributeValue> | undefined): IntentState {
  const intents = new Map<string, { intent: Intent; version: number }>();
  for (const [name, value] of Object.entries(item ?? {})) {
    const account = /^i(\d{12})$/.exec(name)?.[1];
    if (account && (value.S === 'present' || value.S === 'absent'))
      intents.set(account, { intent: value.S, version: Number(item?.[versionName(account)]?.N ?? 0) });
  }
  return { version: Number(item?.v?.N ?? 0), applied: Number(item?.applied?.N ?? 0), overflow: JSON.parse(item?.overflow?.S ?? '[]') as string[], intents };
}

export async function readIntents(dynamo: DynamoDBClient, region: Region): Promise<IntentState> {
  try {
    const { Item } = await dynamo.send(new GetItemCommand({ TableName: LOCK_TABLE_NAME, Key: itemKey(region), ConsistentRead: true }));
    return stateOf(Item);
  } catch (error) {
    throw toTaskError(error, `dynamodb:GetItem destination intents ${region}`);
  }
}

/**
 * Records `intent` for `account` with the next version of the region's counter, in one atomic
 * update: a writer that reads the item sees the counter and every intent it counts. With
 * `notAfter` (reconcile), only if the account's intent is no newer than that version. Answers the
 * version, or undefined when a newer intent stood.
 */
export async function recordIntent(dynamo: DynamoDBClient, region: Region, account: string, intent: Intent, notAfter?: number): Promise<number | undefined> {
  try {
    const { Attributes } = await dynamo.send(
      new UpdateItemCommand({
        TableName: LOCK_TABLE_NAME,
        Key: itemKey(region),
        // Every operand reads the item as it was before this update (DynamoDB update expressions).
        UpdateExpression: 'SET #intent = :intent, #version = if_not_exists(v, :zero) + :one, v = if_not_exists(v, :zero) + :one',
        ...(notAfter === undefined ? {} : { ConditionExpression: 'attribute_not_exists(#version) OR #version < :bound' }),
        ExpressionAttributeNames: { '#intent': intentName(account), '#version': versionName(account) },
        ExpressionAttributeValues: {
          ':intent': { S: intent },
          ':zero': { N: '0' },
          ':one': { N: '1' },
          ...(notAfter === undefined ? {} : { ':bound': { N: String(notAfter + 1) } }),
        },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.v?.N);
  } catch (error) {
    if (notAfter !== undefined && errorName(error) === 'ConditionalCheckFailedException') return undefined;
    throw toTaskError(error, `dynamodb:UpdateItem destination intent ${account} ${region}`);
  }
}

export async function readDestinationPolicy(logs: CloudWatchLogsClient, region: Region): Promise<string | undefined> {
  try {
    const { destinations = [] } = await logs.send(new DescribeDestinationsCommand({ DestinationNamePrefix: DESTINATION_NAME }));
    const destination = destinations.find((d) => d.destinationName === DESTINATION_NAME);
    if (!destination) throw new Error(`destination ${DESTINATION_NAME} does not exist in ${region}: deploy the data-path stacks first`);
    return destination.accessPolicy;
  } catch (error) {
    throw toTaskError(error, `logs:DescribeDestinations ${DESTINATION_NAME} ${region}`);
  }
}

/**
 * Whether the policy in place is not the one wanted: the whole document, not only the accounts it
 * lists, since a statement someone added (a wildcard principal) is as much a change as a missing account.
 */
function policyDiffers(current: string | undefined, wanted: string): boolean {
  return current === undefined || JSON.stringify(JSON.parse(current)) !== JSON.stringify(JSON.parse(wanted));
}

/** Under the region's lease: writes the policy the intents call for (`wrote`: whether it differed) and records the version applied. */
export async function applyIntents(context: TaskContext, region: Region): Promise<IntentState & { readonly wrote: boolean }> {
  const { config, clients } = context;
  const logs = await clients.logs(config.accounts.logging, region);
  const dynamo = clients.dynamo();
  return withLeaseLock(dynamo, `destination-policy/${region}`, { now: () => context.clock.now(), leaseMs: destinationLeaseMs() }, async () => {
    const state = await readIntents(dynamo, region);
    const currentPolicy = await readDestinationPolicy(logs, region);
    const current = accountsInPolicy(currentPolicy);
    const desired = desiredPolicy(destinationArn(config.accounts.logging, region), current, state.intents);
    const wrote = policyDiffers(currentPolicy, desired.policy);
    if (wrote) {
      try {
        await logs.send(new PutDestinationPolicyCommand({ destinationName: DESTINATION_NAME, accessPolicy: desired.policy }));
      } catch (error) {
        throw toTaskError(error, `logs:PutDestinationPolicy ${DESTINATION_NAME} ${region}`);
      }
    }
    try {
      await dynamo.send(
        new UpdateItemCommand({
          TableName: LOCK_TABLE_NAME,
          Key: itemKey(region),
          UpdateExpression: 'SET applied = :applied, overflow = :overflow',
          ConditionExpression: 'attribute_not_exists(applied) OR applied < :applied',
          ExpressionAttributeValues: { ':applied': { N: String(state.version) }, ':overflow': { S: JSON.stringify(desired.overflow) } },
        }),
      );
    } catch (error) {
      if (errorName(error) !== 'ConditionalCheckFailedException') throw toTaskError(error, `dynamodb:UpdateItem destination applied ${region}`);
    }
    return { ...state, applied: state.version, overflow: desired.overflow, wrote };
  });
}

export interface AccessChange {
  /** Whether this call wrote the policy (or found another writer had not yet covered its intent). */
  readonly changed: boolean;
  readonly accounts: number;
}

function tooLarge(region: Region, overflow: readonly string[], account: string): DestinationPolicyTooLargeError {
  return new DestinationPolicyTooLargeError(
    `the destination policy in ${region} holds at most ${DESTINATION_POLICY_MAX_BYTES} bytes and cannot list ${overflow.length} account(s) (${overflow.join(', ')}), ${account} among them: set config.destinationAccess to "organization"`,
  );
}

/** Records the account's intent and returns once a policy write covers it (this call's or another's). */
export async function changeDestinationAccounts(context: TaskContext, region: Region, account: AccountId, change: 'add' | 'remove'): Promise<AccessChange> {
  const dynamo = context.clients.dynamo();
  const intent: Intent = change === 'add' ? 'present' : 'absent';
  // Already the account's intent, applied, and the policy says so (nobody edited it by hand):
  // nothing to write. A later intent of another caller is ordered after these reads, and wins.
  const current = await readIntents(dynamo, region);
  const recorded = current.intents.get(account);
  if (recorded?.intent === intent && current.applied >= recorded.version && !(change === 'add' && current.overflow.includes(account))) {
    const listed = accountsInPolicy(await readDestinationPolicy(await context.clients.logs(context.config.accounts.logging, region), region)).includes(account);
    if (listed === (intent === 'present')) return { changed: false, accounts: [...current.intents.values()].filter((i) => i.intent === 'present').length };
  }
  const mine = await recordIntent(dynamo, region, account, intent);
  const settled = (state: IntentState): AccessChange | undefined => {
    if (mine !== undefined && state.applied < mine) return undefined;
    if (change === 'add' && state.overflow.includes(account)) throw tooLarge(region, state.overflow, account);
    return { changed: false, accounts: [...state.intents.values()].filter((i) => i.intent === 'present').length };
  };
  const before = settled(await readIntents(dynamo, region));
  if (before) return before;
  try {
    const applied = await applyIntents(context, region);
    return { ...settled(applied)!, changed: true };
  } catch (error) {
    // Another writer holds the lease; it may cover this intent. Step Functions retries otherwise.
    if (!(error instanceof ResourceLockedError)) throw error;
    const after = settled(await readIntents(dynamo, region));
    if (after) return after;
    throw error;
  }
}

/**
 * Reconcile: every account of `truth` present, every other account absent, unless its intent is
 * newer than `snapshot` (the counter read before the truth was listed). Records intents only: the
 * one destination writer (EnsureDestinationAccess) applies them. `apply` says whether anything is
 * left to apply: an intent recorded, one not yet applied, or a policy edited by hand.
 */
export async function reconcileDestinationAccounts(
  context: TaskContext,
  region: Region,
  truth: readonly AccountId[],
  snapshot: number,
): Promise<{ readonly added: string[]; readonly removed: string[]; readonly apply: boolean }> {
  const dynamo = context.clients.dynamo();
  const logs = await context.clients.logs(context.config.accounts.logging, region);
  const state = await readIntents(dynamo, region);
  const listedPolicy = await readDestinationPolicy(logs, region);
  const listed = accountsInPolicy(listedPolicy);
  const wanted = new Set<string>(truth);
  const added: string[] = [];
  const removed: string[] = [];
  for (const account of [...new Set([...wanted, ...state.intents.keys(), ...listed])].sort()) {
    const intent: Intent = wanted.has(account) ? 'present' : 'absent';
    const recorded = state.intents.get(account)?.intent ?? (listed.includes(account) ? 'present' : 'absent');
    if (recorded === intent && (intent === 'absent' || listed.includes(account))) continue;
    if ((await recordIntent(dynamo, region, account, intent, snapshot)) !== undefined) (intent === 'present' ? added : removed).push(account);
  }
  const desired = desiredPolicy(destinationArn(context.config.accounts.logging, region), listed, state.intents);
  const apply =
    added.length > 0 || removed.length > 0 || state.applied < state.version || policyDiffers(listedPolicy, desired.policy) || desired.overflow.length > 0;
  return { added, removed, apply };
}

/** The writer's reconcile step: the region's policy from its intents; accounts that do not fit fail it, named. Returns whether it wrote. */
export async function applyRegionIntents(context: TaskContext, region: Region): Promise<boolean> {
  const applied = await applyIntents(context, region);
  if (applied.overflow.length > 0) {
    throw new DestinationPolicyTooLargeError(
      `the destination policy in ${region} holds at most ${DESTINATION_POLICY_MAX_BYTES} bytes; ${applied.overflow.length} account(s) do not fit (${applied.overflow.join(', ')}): set config.destinationAccess to "organization"`,
    );
  }
  return applied.wrote;
}

/**
 * The writer's repair of a policy someone else rewrote: in `organization` mode, the policy the
 * data-path stack deploys; in `account-list` mode, the one the intents call for. Returns whether
 * it had to write.
 */
export async function restoreDestinationPolicy(context: TaskContext, region: Region): Promise<boolean> {
  const { config, clients } = context;
  if (config.destinationAccess === 'account-list') return (await applyIntents(context, region)).wrote;
  const logs = await clients.logs(config.accounts.logging, region);
  const arn = destinationArn(config.accounts.logging, region);
  const wanted = JSON.stringify(organizationDestinationPolicy(arn, config.organizationId));
  if (!policyDiffers(await readDestinationPolicy(logs, region), wanted)) return false;
  try {
    await logs.send(new PutDestinationPolicyCommand({ destinationName: DESTINATION_NAME, accessPolicy: wanted }));
  } catch (error) {
    throw toTaskError(error, `logs:PutDestinationPolicy ${DESTINATION_NAME} ${region}`);
  }
  return true;
}
