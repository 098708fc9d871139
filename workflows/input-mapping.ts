/**
 * How a workflow's input is built from an event: the same object the CDK rule turns into an
 * EventBridge input transformer (`RuleTargetInput.fromObject` with `EventField.fromPath`).
 * A string starting with `$.` is a path into the event; anything else is a literal.
 */

export type InputMapping = { readonly [field: string]: string | InputMapping };

/** EventBridge input paths are plain dotted paths; this resolves one. */
export function resolvePath(event: unknown, path: string): unknown {
  let node: unknown = event;
  for (const key of path.slice(2).split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

export function isEventPath(value: string): boolean {
  return value.startsWith('$.');
}

/** Applies a mapping; returns the input and the mapped fields whose path found nothing. */
export function applyInputMapping(mapping: InputMapping, event: unknown, at = ''): { input: Record<string, unknown>; missing: string[] } {
  const input: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const [name, spec] of Object.entries(mapping)) {
    if (typeof spec === 'string') {
      const value = isEventPath(spec) ? resolvePath(event, spec) : spec;
      if (value === undefined) missing.push(`${at}${name} (${spec})`);
      else input[name] = value;
    } else {
      const nested = applyInputMapping(spec, event, `${at}${name}.`);
      input[name] = nested.input;
      missing.push(...nested.missing);
    }
  }
  return { input, missing };
}
