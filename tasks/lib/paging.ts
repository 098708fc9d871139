/**
 * Tasks that walk an account-region's resources one page per invocation: the workflow hands each
 * invocation the previous page's result (`page`), whose totals the next one adds to.
 */
import { field } from './domain';
import { InvalidInputError } from './errors';

/** Names kept per list across pages: a Step Functions payload is at most 256 KB. */
export const MAX_LISTED = 20;

/** The previous page's result, or nothing on the first page. */
export function previousPage<T>(input: unknown): Partial<T> {
  const page = field(input, 'page') ?? {};
  if (typeof page !== 'object' || page === null || Array.isArray(page)) throw new InvalidInputError('page', page, 'must be the previous page result');
  return page as Partial<T>;
}

/** Counts added key by key; keys missing on either side count 0. */
export function addCounts<T extends { readonly [K in keyof T]: number }>(
  empty: T,
  ...counts: ReadonlyArray<Partial<T> | undefined>
): { -readonly [K in keyof T]: number } {
  const sum = { ...empty } as { -readonly [K in keyof T]: number };
  for (const c of counts) for (const key of Object.keys(empty) as Array<keyof T>) sum[key] += c?.[key] ?? 0;
  return sum;
}
