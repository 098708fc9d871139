/**
 * Tampering with Tributary's wiring, as the hub sees it: the kinds of call that undo it, the
 * validated record of one such call (CloudTrail's fields, forwarded from the member region), the
 * per-resource bound that ends a tug of war, and what a repair's result says was undone.
 * The tasks `CheckTamperBound` and `ReportTampering` make the calls.
 */
import { createHash } from 'crypto';
import { field, parseAccountId, parseRegion, type AccountId, type Region } from './domain';
import { InvalidInputError } from './errors';

/** What a tamper call undid; each kind has its own hub rule and repair (workflows/catalog.ts). */
export const TAMPER_KINDS = [
  'subscription-filter',
  'account-policy',
  'flow-logs',
  'forwarding-rule',
  'guardduty',
  'detector-suspended',
  'destination',
  'trail',
] as const;
export type TamperKind = (typeof TAMPER_KINDS)[number];

/** One forwarded call that undid (or may have undone) Tributary's wiring. */
export interface TamperCall {
  readonly kind: TamperKind;
  readonly accountId: AccountId;
  readonly region: Region;
  /** CloudTrail's eventName: the API call. */
  readonly eventName: string;
  /** CloudTrail's userIdentity.arn: who made the call. */
  readonly principal: string;
  readonly eventTime: string;
  readonly eventId: string;
  /** What was undone, as named in the call (a log group, a policy, a detector...). */
  readonly resource: string;
}

/** Repairs of one resource per clock hour before a tug of war is left to a person. */
export const DEFAULT_REPAIRS_PER_HOUR = 5;

/** Who may appear as a caller: an IAM or STS ARN (CloudTrail's userIdentity.arn), of IAM's name characters. */
const PRINCIPAL_ARN = /^arn:aws:(iam|sts)::\d{12}:[\w+=,.@/-]{1,1900}$/;
const EVENT_NAME = /^[A-Za-z0-9]{1,128}$/;
const EVENT_ID = /^[A-Za-z0-9-]{1,128}$/;
/** A resource as CloudTrail names it: printable, bounded (a log group name is at most 512). */
const RESOURCE = /^[\x20-\x7e]{1,1024}$/;

function matching(value: unknown, name: string, pattern: RegExp, what: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) throw new InvalidInputError(`tamper.${name}`, value, `is not ${what}`);
  return value;
}

/** Validates the `tamper` record a hub rule built from a CloudTrail event: every field comes from a member account. */
export function parseTamperCall(input: unknown): TamperCall {
  const record = field(input, 'tamper');
  const kind = field(record, 'kind');
  if (!TAMPER_KINDS.includes(kind as TamperKind)) throw new InvalidInputError('tamper.kind', kind, `is not one of ${TAMPER_KINDS.join(', ')}`);
  const eventTime = field(record, 'eventTime');
  if (typeof eventTime !== 'string' || eventTime.length > 40 || Number.isNaN(Date.parse(eventTime)))
    throw new InvalidInputError('tamper.eventTime', eventTime, 'is not a timestamp');
  return {
    kind: kind as TamperKind,
    accountId: parseAccountId(field(input, 'accountId')),
    region: parseRegion(field(input, 'region')),
    eventName: matching(field(record, 'eventName'), 'eventName', EVENT_NAME, 'an API operation name'),
    principal: matching(field(record, 'principal'), 'principal', PRINCIPAL_ARN, 'an IAM or STS ARN'),
    eventTime,
    eventId: matching(field(record, 'eventId'), 'eventId', EVENT_ID, 'a CloudTrail event id'),
    resource: matching(field(record, 'resource'), 'resource', RESOURCE, 'a resource name (1-1024 printable characters)'),
  };
}

/** The bound counts repairs over the last hour, sliding: a tug of war across a clock hour gets no more. */
export const REPAIR_WINDOW_MS = 3_600_000;

/**
 * The lock-table item holding the times one resource was repaired. The resource is hashed into the
 * key: a log group name may hold characters a key should not carry, and its length is the member's choice.
 */
export function tamperRecordKey(call: Pick<TamperCall, 'accountId' | 'region' | 'kind' | 'resource'>, hash: (text: string) => string): string {
  return `tamper/${call.accountId}/${call.region}/${call.kind}/${hash(call.resource)}`;
}

/** A resource's name as a key part: fixed length, any characters. */
export const resourceHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 32);

/** The repair times a lock-table item holds (a string set of ms timestamps). */
export function repairTimes(item: Record<string, { SS?: string[] }> | undefined): number[] {
  return (item?.repairs?.SS ?? []).map(Number).filter(Number.isFinite);
}

/** How many of `repairTimes` (ms) fall within the hour before `now`. */
export function repairsInWindow(repairTimes: readonly number[], now: number): number {
  return repairTimes.filter((t) => t > now - REPAIR_WINDOW_MS && t <= now).length;
}

/** Whether one more repair fits the bound. */
export function withinBound(repairsThisHour: number, bound: number): boolean {
  return repairsThisHour < bound;
}

/**
 * What the repair task's result says: `repaired` when it changed something (the wiring had been
 * undone), `intact` when nothing was missing (a foreign resource was touched, or the change did
 * not matter), `failed` when the repair could not be made.
 */
export type RepairVerdict = 'repaired' | 'intact' | 'failed';

export function repairVerdict(kind: TamperKind, result: unknown): RepairVerdict {
  if (typeof result !== 'object' || result === null) return 'failed';
  const r = result as { changed?: unknown; status?: unknown; totals?: { created?: unknown; replaced?: unknown; failed?: unknown }; error?: unknown };
  if (r.error !== undefined) return 'failed';
  if (kind === 'flow-logs') {
    const totals = r.totals ?? {};
    if (Number(totals.failed ?? 0) > 0) return 'failed';
    return Number(totals.created ?? 0) + Number(totals.replaced ?? 0) > 0 ? 'repaired' : 'intact';
  }
  // A filter that cannot be put back (both slots taken meanwhile) is not repaired.
  if (kind === 'subscription-filter' && r.status === 'NoFilterSlot') return 'failed';
  if (kind === 'guardduty' && r.status !== 'Enabled') return 'failed';
  return r.changed === true ? 'repaired' : 'intact';
}

/** How a tamper call ended: what the SOC's event and the execution's status say. */
export type TamperOutcome = 'repaired' | 'intact' | 'left-unrepaired' | 'repair-failed' | 'not-repairable';

/** Outcomes that fail the execution, so the workflow's failure alarm sees them. */
export const FAILING_OUTCOMES: ReadonlySet<TamperOutcome> = new Set(['left-unrepaired', 'repair-failed', 'not-repairable']);

/** The SOC's event on the hub bus (a custom source: `aws.` sources are AWS's own). */
export const TAMPER_EVENT_SOURCE = 'tributary';
export const TAMPER_EVENT_DETAIL_TYPE = 'Tributary Tamper Detected';

/** Metrics (namespace `Tributary`, dimension `Kind`): every tamper that undid something, and every one left unrepaired. */
export const TAMPER_METRICS = { detected: 'TamperDetected', leftUnrepaired: 'TamperLeftUnrepaired' } as const;
