/**
 * Task `CheckBaselineRole` (workflow `onboard-account`): can the member role be assumed yet? A new
 * account gets its baseline (StackSet) minutes after it is created, so the workflow waits, with
 * backoff, for a bounded time; the wait itself is a Wait state, not a sleeping Lambda.
 */
import type { TaskContext } from './lib/context';
import { field, parseAccountId } from './lib/domain';
import { BaselineRoleNotReadyError, InvalidInputError } from './lib/errors';
import { lambdaHandler } from './lib/lambda';

/** Waits of 15 s doubling to at most 5 min; 12 checks span about 40 minutes. */
export const BASELINE_MAX_CHECKS = 12;
const FIRST_WAIT_SECONDS = 15;
const MAX_WAIT_SECONDS = 300;

export interface BaselineCheck {
  readonly ready: boolean;
  /** Checks made so far. */
  readonly attempt: number;
  /** Seconds to wait before the next check. */
  readonly waitSeconds: number;
  /** No check left: the workflow stops with BaselineRoleNeverReady. */
  readonly gaveUp: boolean;
}

/** Pure: what to do after the `attempt`-th failed check. */
export function nextBaselineCheck(attempt: number): Omit<BaselineCheck, 'ready'> {
  return {
    attempt,
    waitSeconds: Math.min(MAX_WAIT_SECONDS, FIRST_WAIT_SECONDS * 2 ** (attempt - 1)),
    gaveUp: attempt >= BASELINE_MAX_CHECKS,
  };
}

export async function checkBaselineRole(input: unknown, context: TaskContext): Promise<BaselineCheck> {
  const accountId = parseAccountId(field(input, 'accountId'));
  const previous = field(input, 'attempt') ?? 0;
  if (typeof previous !== 'number' || !Number.isInteger(previous) || previous < 0) throw new InvalidInputError('attempt', previous, 'must be a whole number');
  try {
    await context.clients.logs(accountId, context.config.homeRegion);
    return { ready: true, attempt: previous + 1, waitSeconds: 0, gaveUp: false };
  } catch (error) {
    if (!(error instanceof BaselineRoleNotReadyError)) throw error;
    context.logger.info('baseline role not ready yet', { accountId, attempt: previous + 1 });
    return { ready: false, ...nextBaselineCheck(previous + 1) };
  }
}

export const handler = lambdaHandler(checkBaselineRole);
