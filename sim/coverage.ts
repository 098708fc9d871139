/**
 * Coverage and integrity, read from the simulated state itself (ground truth), not from what
 * the workflows say they did.
 */
import type { TributaryConfig } from '../infra/config/schema';
import type { LogGroupName } from '../tasks/lib/domain';
import { destinationArn, exclusionMatcher, isOwnedName } from '../tasks/lib/ownership';
import { FILTER_SLOTS } from '../tasks/lib/subscription-plan';
import type { SimOrganizationState } from './state';

export interface LogGroupCoverage {
  total: number;
  subscribed: number;
  excluded: number;
  noSlot: number;
  /** Neither subscribed, excluded nor blocked by foreign filters: a gap. */
  missing: number;
}

export interface CoverageRow extends LogGroupCoverage {
  readonly account: string;
  readonly region: string;
}

/** Every foreign filter, keyed by where it is, as JSON: compared before and after a run. */
export type ForeignFilterSnapshot = ReadonlyMap<string, string>;

export function snapshotForeignFilters(state: SimOrganizationState): ForeignFilterSnapshot {
  const snapshot = new Map<string, string>();
  for (const account of state.accounts.values()) {
    for (const [region, accountRegion] of account.regions) {
      for (const group of accountRegion.logGroups.values()) {
        for (const filter of group.filters.values()) {
          if (!isOwnedName(filter.filterName)) snapshot.set(`${account.id}/${region}/${group.logGroupName}/${filter.filterName}`, JSON.stringify(filter));
        }
      }
    }
  }
  return snapshot;
}

/** Foreign filters changed or removed since `before`. */
export function foreignFiltersChanged(before: ForeignFilterSnapshot, after: ForeignFilterSnapshot): number {
  let changed = 0;
  for (const [key, value] of before) if (after.get(key) !== value) changed++;
  return changed;
}

export function logGroupCoverage(state: SimOrganizationState, config: TributaryConfig, accounts: ReadonlySet<string>): { rows: CoverageRow[]; totals: LogGroupCoverage; duplicateFilters: number } {
  const excluded = exclusionMatcher(config.logGroupExclusions);
  const rows: CoverageRow[] = [];
  const totals: LogGroupCoverage = { total: 0, subscribed: 0, excluded: 0, noSlot: 0, missing: 0 };
  let duplicateFilters = 0;
  for (const account of state.accounts.values()) {
    if (!accounts.has(account.id)) continue;
    for (const region of config.governedRegions) {
      const row: CoverageRow = { account: account.id, region, total: 0, subscribed: 0, excluded: 0, noSlot: 0, missing: 0 };
      const destination = destinationArn(config.accounts.logging, region);
      for (const group of account.regions.get(region)?.logGroups.values() ?? []) {
        const ours = [...group.filters.values()].filter((f) => isOwnedName(f.filterName));
        duplicateFilters += Math.max(0, ours.length - 1);
        row.total++;
        if (excluded(group.logGroupName as LogGroupName).excluded) row.excluded++;
        else if (ours.some((f) => f.destinationArn === destination)) row.subscribed++;
        else if (group.filters.size >= FILTER_SLOTS) row.noSlot++;
        else row.missing++;
      }
      rows.push(row);
      for (const key of ['total', 'subscribed', 'excluded', 'noSlot', 'missing'] as const) totals[key] += row[key];
    }
  }
  return { rows, totals, duplicateFilters };
}
