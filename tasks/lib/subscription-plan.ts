/**
 * The decision behind every subscription filter Tributary puts: current filters + desired filter
 * -> the smallest plan. Pure, so it is tested without any client.
 */
import { isOwnedName, SUBSCRIPTION_FILTER_NAME } from './ownership';

/** CloudWatch Logs allows this many subscription filters per log group. */
export const FILTER_SLOTS = 2;

export interface ExistingFilter {
  readonly filterName: string;
  readonly destinationArn: string;
  readonly filterPattern: string;
  readonly roleArn?: string | undefined;
  readonly distribution?: string | undefined;
}

export interface DesiredFilter {
  readonly destinationArn: string;
  readonly filterPattern: string;
  readonly roleArn: string;
  readonly distribution: 'ByLogStream' | 'Random';
}

export type SubscriptionPlan =
  /** Our filter is there and correct: no write. */
  | { readonly kind: 'in-place' }
  /**
   * Delete our duplicate filters, then put ours (absent when the kept one is already correct):
   * created under the canonical name, or a stale one of ours updated in place under its name.
   */
  | { readonly kind: 'change'; readonly deleteDuplicates: readonly string[]; readonly put?: { readonly filterName: string; readonly reason: 'create' | 'update' } }
  /** Foreign filters fill every slot; we change nothing. */
  | { readonly kind: 'no-slot'; readonly foreignFilters: readonly string[] };

function matches(filter: ExistingFilter, desired: DesiredFilter): boolean {
  return (
    filter.destinationArn === desired.destinationArn &&
    filter.filterPattern === desired.filterPattern &&
    filter.roleArn === desired.roleArn &&
    (filter.distribution ?? 'ByLogStream') === desired.distribution
  );
}

export function planSubscription(existing: readonly ExistingFilter[], desired: DesiredFilter): SubscriptionPlan {
  const ours = existing.filter((f) => isOwnedName(f.filterName));
  if (ours.length === 0) {
    if (existing.length >= FILTER_SLOTS) return { kind: 'no-slot', foreignFilters: existing.map((f) => f.filterName) };
    return { kind: 'change', deleteDuplicates: [], put: { filterName: SUBSCRIPTION_FILTER_NAME, reason: 'create' } };
  }
  // Keep one of ours (a correct one, else the canonical name, else the first) and drop our extras.
  const keep = ours.find((f) => matches(f, desired)) ?? ours.find((f) => f.filterName === SUBSCRIPTION_FILTER_NAME) ?? ours[0]!;
  const deleteDuplicates = ours.filter((f) => f !== keep).map((f) => f.filterName);
  const put = matches(keep, desired) ? undefined : { filterName: keep.filterName, reason: 'update' as const };
  if (!put && deleteDuplicates.length === 0) return { kind: 'in-place' };
  return { kind: 'change', deleteDuplicates, ...(put ? { put } : {}) };
}
