/**
 * How fast a reconcile starts its accounts. Each account's start calls two organization-wide
 * quotas of the calling account: Account Management's `ListRegions`, 5 a second
 * (https://docs.aws.amazon.com/accounts/latest/reference/quotas.html), and, for GuardDuty
 * invitations' e-mail, Organizations' `DescribeAccount`, whose rate AWS does not publish (users
 * of 900-account organizations meet its TooManyRequestsException; the simulator assumes 10 a
 * second: https://github.com/awsdocs/aws-organizations-docs/issues/39). A
 * Distributed Map starts all its items at once up to its concurrency: hundreds of accounts would
 * meet those quotas together, be refused and back off for up to a minute. Instead each account has
 * a start slot, the time the list was read plus its position over the rate, and waits for it in a
 * Wait state (no Lambda is held).
 */
import { field } from './domain';
import { InvalidInputError } from './errors';

/** One a second under `ListRegions`' 5, left for operators' and event-driven onboardings. */
export const ACCOUNT_STARTS_PER_SECOND = 4;

/** At 4 a second, about 7 hours: within the reconcile's 23-hour timeout, and no input can ask for a longer wait. */
export const MAX_START_POSITION = 100_000;

/** An account's place in a reconcile's paced starts: the list's time (ISO 8601) and its index in the list. */
export interface StartSlot {
  readonly listedAt: string;
  readonly position: number;
}

/** The `startSlot` of an onboarding's input, validated; `undefined` when it has none (an event or an operator started it). */
export function parseStartSlot(input: unknown): StartSlot | undefined {
  const raw = field(input, 'startSlot');
  if (raw === undefined) return undefined;
  const listedAt = field(raw, 'listedAt');
  if (typeof listedAt !== 'string' || !/^\d{4}-\d\d-\d\dT/.test(listedAt) || Number.isNaN(Date.parse(listedAt))) {
    throw new InvalidInputError('startSlot.listedAt', listedAt, 'must be the time the accounts were listed, an ISO 8601 timestamp');
  }
  const position = field(raw, 'position');
  if (typeof position !== 'number' || !Number.isInteger(position) || position < 0 || position > MAX_START_POSITION) {
    throw new InvalidInputError('startSlot.position', position, `must be the account's index in the list, a whole number from 0 to ${MAX_START_POSITION}`);
  }
  return { listedAt, position };
}

/** When the account in `slot` may start (ms since the epoch). */
export function startTime(slot: StartSlot): number {
  return Date.parse(slot.listedAt) + Math.floor((slot.position * 1000) / ACCOUNT_STARTS_PER_SECOND);
}
