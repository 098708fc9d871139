/**
 * The event pattern of the rule each member region keeps to forward Tributary's triggers to the
 * hub bus: the union of the catalog's member-region triggers, so that adding a trigger to the
 * catalog is enough to have it forwarded.
 */
import { CATALOG, type WorkflowSpec } from './catalog';

type Pattern = Record<string, any>;

function union(values: unknown[]): unknown[] {
  const seen = new Map<string, unknown>();
  for (const v of values) seen.set(JSON.stringify(v), v);
  return [...seen.values()];
}

export function memberForwardingPattern(catalog: readonly WorkflowSpec[] = CATALOG): Pattern {
  const patterns = catalog.flatMap((w) => w.triggers.filter((t) => t.origin === 'member-region').map((t) => t.eventPattern as Pattern));
  if (patterns.length === 0) throw new Error('the catalog has no member-region trigger to forward');
  return {
    source: union(patterns.flatMap((p) => p.source)),
    'detail-type': union(patterns.flatMap((p) => p['detail-type'])),
    detail: {
      eventSource: union(patterns.flatMap((p) => p.detail.eventSource)),
      eventName: union(patterns.flatMap((p) => p.detail.eventName)),
      // Only successful calls, as every member-region trigger requires.
      errorCode: [{ exists: false }],
    },
  };
}
