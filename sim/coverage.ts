/**
 * Coverage and integrity, read from the simulated state itself (ground truth), not from what
 * the workflows say they did.
 */
import type { TributaryConfig } from '../tasks/lib/config';
import type { AccountId, LogGroupName } from '../tasks/lib/domain';
import { accountsInPolicy, grantsOrganization } from '../tasks/lib/destination-policy';
import { isOwnedFlowLog } from '../tasks/lib/flow-log-plan';
import { policyCovers } from '../tasks/lib/account-policy';
import { ACCOUNT_POLICY_NAME, destinationArn, DESTINATION_NAME, exclusionMatcher, isOurFilterName } from '../tasks/lib/ownership';
import { desiredFilter } from '../tasks/lib/subscription-filter';
import { FILTER_SLOTS, filterMatches } from '../tasks/lib/subscription-plan';
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
export type ForeignSnapshot = ReadonlyMap<string, string>;

export function snapshotForeignFilters(state: SimOrganizationState): ForeignSnapshot {
  const snapshot = new Map<string, string>();
  for (const account of state.accounts.values()) {
    for (const [region, accountRegion] of account.regions) {
      for (const group of accountRegion.logGroups.values()) {
        for (const filter of group.filters.values()) {
          if (!isOurFilterName(filter.filterName)) snapshot.set(`${account.id}/${region}/${group.logGroupName}/${filter.filterName}`, JSON.stringify(filter));
        }
      }
    }
  }
  return snapshot;
}

/** Entries of a snapshot (foreign filters or flow logs) changed or removed since `before`. */
export function changedSince(before: ForeignSnapshot, after: ForeignSnapshot): number {
  let changed = 0;
  for (const [key, value] of before) if (after.get(key) !== value) changed++;
  return changed;
}

/** A log group Tributary cannot subscribe: both filter slots are taken by others, whose filters are named. */
export interface NoSlotGroup {
  readonly account: string;
  readonly region: string;
  readonly logGroup: string;
  readonly filters: readonly string[];
}

export function logGroupCoverage(
  state: SimOrganizationState,
  config: TributaryConfig,
  accounts: ReadonlySet<string>,
): { rows: CoverageRow[]; totals: LogGroupCoverage; duplicateFilters: number; noSlotGroups: NoSlotGroup[] } {
  const noSlotGroups: NoSlotGroup[] = [];
  const rows: CoverageRow[] = [];
  const totals: LogGroupCoverage = { total: 0, subscribed: 0, excluded: 0, noSlot: 0, missing: 0 };
  let duplicateFilters = 0;
  for (const account of state.accounts.values()) {
    if (!accounts.has(account.id)) continue;
    const excluded = exclusionMatcher(config, account.id);
    for (const region of config.governedRegions) {
      const row: CoverageRow = { account: account.id, region, total: 0, subscribed: 0, excluded: 0, noSlot: 0, missing: 0 };
      const destination = destinationArn(config.accounts.logging, region);
      // In account-policy mode, one account-level policy subscribes the groups it does not exclude.
      const accountPolicy = account.regions.get(region)?.accountPolicies.get(ACCOUNT_POLICY_NAME);
      const desired = desiredFilter(config, account.id as AccountId, region);
      for (const group of account.regions.get(region)?.logGroups.values() ?? []) {
        const ours = [...group.filters.values()].filter((f) => isOurFilterName(f.filterName));
        // Delivered twice: ours and any other filter to our destination.
        duplicateFilters += Math.max(0, [...group.filters.values()].filter((f) => f.destinationArn === destination).length - 1);
        row.total++;
        if (excluded(group.logGroupName as LogGroupName).excluded) row.excluded++;
        else if (
          ours.some((f) => filterMatches(f, desired)) ||
          policyCovers(
            accountPolicy && { policyDocument: accountPolicy.policyDocument, selectionCriteria: accountPolicy.selectionCriteria },
            desired,
            group.logGroupName,
          )
        )
          row.subscribed++;
        else if (group.filters.size >= FILTER_SLOTS) {
          row.noSlot++;
          noSlotGroups.push({ account: account.id, region, logGroup: group.logGroupName, filters: [...group.filters.keys()] });
        } else row.missing++;
      }
      rows.push(row);
      for (const key of ['total', 'subscribed', 'excluded', 'noSlot', 'missing'] as const) totals[key] += row[key];
    }
  }
  return { rows, totals, duplicateFilters, noSlotGroups };
}

/** Every foreign flow log, keyed by where it is, as JSON. */
export function snapshotForeignFlowLogs(state: SimOrganizationState): ForeignSnapshot {
  const snapshot = new Map<string, string>();
  for (const account of state.accounts.values()) {
    for (const [region, accountRegion] of account.regions) {
      for (const flowLog of accountRegion.flowLogs.values()) {
        if (!isOwnedFlowLog(flowLog)) snapshot.set(`${account.id}/${region}/${flowLog.FlowLogId}`, JSON.stringify(flowLog));
      }
    }
  }
  return snapshot;
}

export interface VpcCoverage {
  total: number;
  withFlowLogs: number;
  duplicateFlowLogs: number;
}

export function vpcCoverage(
  state: SimOrganizationState,
  config: TributaryConfig,
  accounts: ReadonlySet<string>,
  regions: readonly string[] = config.governedRegions,
): VpcCoverage {
  const coverage: VpcCoverage = { total: 0, withFlowLogs: 0, duplicateFlowLogs: 0 };
  for (const account of state.accounts.values()) {
    if (!accounts.has(account.id)) continue;
    for (const region of regions) {
      const accountRegion = account.regions.get(region as never);
      for (const vpc of accountRegion?.vpcs.values() ?? []) {
        const ours = [...accountRegion!.flowLogs.values()].filter((f) => f.ResourceId === vpc.VpcId && isOwnedFlowLog(f));
        coverage.total++;
        if (ours.length > 0) coverage.withFlowLogs++;
        coverage.duplicateFlowLogs += Math.max(0, ours.length - 1);
      }
    }
  }
  return coverage;
}

/** Members expected (every account, every governed region) and enabled under the administrator. */
export function guardDutyCoverage(state: SimOrganizationState, config: TributaryConfig, accounts: ReadonlySet<string>): { expected: number; members: number } {
  if (config.guardDuty.mode === 'off') return { expected: 0, members: 0 };
  const admin = config.guardDuty.administratorAccount;
  const members = [...accounts].filter((a) => a !== admin);
  let enabled = 0;
  for (const region of config.governedRegions) {
    const adminMembers = state.account(admin)?.regions.get(region)?.guardDuty.members;
    enabled += members.filter((a) => adminMembers?.get(a)?.RelationshipStatus === 'Enabled').length;
  }
  return { expected: members.length * config.governedRegions.length, members: enabled };
}

/** Per region: the accounts an account-list destination policy names (organization mode: whether it grants the organization). */
export function destinationAccess(state: SimOrganizationState, config: TributaryConfig): Record<string, string[] | 'organization'> {
  const out: Record<string, string[] | 'organization'> = {};
  for (const region of config.governedRegions) {
    const policy = state.account(config.accounts.logging)?.regions.get(region)?.destinations.get(DESTINATION_NAME)?.accessPolicy;
    out[region] = config.destinationAccess === 'organization' && grantsOrganization(policy, config.organizationId) ? 'organization' : accountsInPolicy(policy);
  }
  return out;
}
