/**
 * The decision behind every subscription filter Tributary puts: current filters + desired filter
 * -> the smallest plan. Pure, so it is tested without any client.
 */
import { isOurFilterName, SUBSCRIPTION_FILTER_NAME } from './ownership';

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
  /** Put ours under its canonical name: created, or a stale one updated in place. */
  | { readonly kind: 'change'; readonly put: { readonly filterName: string; readonly reason: 'create' | 'update' } }
  /** Foreign filters fill every slot; we change nothing. */
  | { readonly kind: 'no-slot'; readonly foreignFilters: readonly string[] };

/** Whether a filter is exactly the desired one: destination, pattern, role and distribution. */
export function filterMatches(filter: ExistingFilter, desired: DesiredFilter): boolean {
  return (
    filter.destinationArn === desired.destinationArn &&
    filter.filterPattern === desired.filterPattern &&
    filter.roleArn === desired.roleArn &&
    (filter.distribution ?? 'ByLogStream') === desired.distribution
  );
}

/** Ours is the filter of the exact canonical name (names are unique per log group); every other filter is foreign. */
export function planSubscription(existing: readonly ExistingFilter[], desired: DesiredFilter): SubscriptionPlan {
  const ours = existing.find((f) => isOurFilterName(f.filterName));
  if (ours) return filterMatches(ours, desired) ? { kind: 'in-place' } : { kind: 'change', put: { filterName: SUBSCRIPTION_FILTER_NAME, reason: 'update' } };
  if (existing.length >= FILTER_SLOTS) return { kind: 'no-slot', foreignFilters: existing.map((f) => f.filterName) };
  return { kind: 'change', put: { filterName: SUBSCRIPTION_FILTER_NAME, reason: 'create' } };
}
