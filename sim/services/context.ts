import type { SimOrganizationState } from '../state';

/** Who is calling, where, and the organization they act on. */
export interface CallContext {
  readonly callerAccount: string;
  readonly region: string;
  readonly state: SimOrganizationState;
  /** The roles a member account holds: the baseline's, one per task, and the operator's (AssumeRole fails for any other). */
  readonly memberRoleNames: readonly string[];
  /** Virtual time of the call (ms). */
  readonly now: number;
}

export type OperationHandler = (input: Record<string, any>, ctx: CallContext) => Record<string, unknown>;

/** Paging helper shared by every List/Describe operation: the token is the next index. */
export function page<T>(items: readonly T[], nextToken: unknown, limit: number): { items: T[]; nextToken?: string } {
  const start = typeof nextToken === 'string' ? Number.parseInt(Buffer.from(nextToken, 'base64url').toString(), 10) : 0;
  const end = start + limit;
  return {
    items: items.slice(start, end),
    ...(end < items.length ? { nextToken: Buffer.from(String(end)).toString('base64url') } : {}),
  };
}
