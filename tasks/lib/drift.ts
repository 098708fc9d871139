/**
 * What a reconcile repaired, read from onboard-account results. Pure: the reconcile workflow
 * reduces each account's result to a small record, then adds the records up.
 */

/** Kinds of drift a reconcile repairs. */
export const DRIFT_KINDS = ['subscriptionFilters', 'accountPolicies', 'flowLogs', 'destinationAccess', 'eventForwarding', 'guardDuty'] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];
export type DriftCounts = Record<DriftKind, number>;

export interface AccountDrift {
  readonly accountId: string;
  readonly repaired: DriftCounts;
  /** One line per repair, e.g. "eu-west-1: 2 subscription filters". */
  readonly details: readonly string[];
  readonly failures: readonly string[];
}

export interface DriftReport {
  readonly accounts: number;
  readonly repaired: DriftCounts;
  /** Lines of what was repaired where, at most 100. */
  readonly details: readonly string[];
  /** Lines of what failed where, at most 100. */
  readonly failures: readonly string[];
  /** Accounts with any failure, or no result at all. */
  readonly failedAccounts: number;
  readonly drifted: boolean;
}

const MAX_DETAILS = 100;
const zero = (): DriftCounts => Object.fromEntries(DRIFT_KINDS.map((k) => [k, 0])) as DriftCounts;

/** One part of an onboard-region result, as far as the drift count reads it. */
interface PartResult {
  readonly status?: string;
  readonly error?: string;
  readonly changed?: boolean;
  readonly totals?: Readonly<Record<string, number | undefined>>;
}

const PARTS = ['logGroups', 'flowLogs', 'destinationAccess', 'eventForwarding', 'guardDuty'] as const;

type RegionResult = { readonly region?: string; readonly status?: string; readonly error?: string } & {
  readonly [part in (typeof PARTS)[number]]?: PartResult;
};

/** Reduces one onboard-account output (or its failure) to what was repaired. */
export function accountDrift(accountId: string, output: { regions?: RegionResult[]; error?: string; cause?: string }): AccountDrift {
  const repaired = zero();
  const details: string[] = [];
  const failures: string[] = output.error ? [`${accountId}: ${output.error}: ${output.cause ?? ''}`] : [];
  for (const r of output.regions ?? []) {
    if (r.status === 'Failed') {
      failures.push(`${accountId} ${r.region}: ${r.error}`);
      continue;
    }
    const found: Partial<DriftCounts> = {
      subscriptionFilters: r.logGroups?.totals?.subscribed ?? 0,
      accountPolicies: r.logGroups?.changed ? 1 : 0,
      flowLogs: (r.flowLogs?.totals?.created ?? 0) + (r.flowLogs?.totals?.replaced ?? 0),
      destinationAccess: r.destinationAccess?.changed ? 1 : 0,
      eventForwarding: r.eventForwarding?.changed ? 1 : 0,
      guardDuty: r.guardDuty?.changed ? 1 : 0,
    };
    for (const part of PARTS) {
      if (r[part]?.status === 'Failed') failures.push(`${accountId} ${r.region} ${part}: ${r[part]?.error}`);
    }
    const lines = Object.entries(found)
      .filter(([, n]) => n! > 0)
      .map(([kind, n]) => `${n} ${kind}`);
    if (lines.length > 0) details.push(`${accountId} ${r.region}: ${lines.join(', ')}`);
    for (const kind of DRIFT_KINDS) repaired[kind] += found[kind] ?? 0;
  }
  return { accountId, repaired, details, failures };
}

/** Adds up the accounts' records; `unreported` lines name accounts that left no record. */
export function driftReport(accounts: readonly AccountDrift[], unreported: readonly string[] = []): DriftReport {
  const repaired = zero();
  for (const a of accounts) for (const kind of DRIFT_KINDS) repaired[kind] += a.repaired[kind];
  const details = accounts.flatMap((a) => a.details);
  const failures = [...unreported, ...accounts.flatMap((a) => a.failures)];
  return {
    accounts: accounts.length + unreported.length,
    failedAccounts: unreported.length + accounts.filter((a) => a.failures.length > 0).length,
    repaired,
    details: details.length > MAX_DETAILS ? [...details.slice(0, MAX_DETAILS), `... and ${details.length - MAX_DETAILS} more`] : details,
    failures: failures.slice(0, MAX_DETAILS),
    drifted: DRIFT_KINDS.some((k) => repaired[k] > 0),
  };
}
