/**
 * EventBridge content filtering, offline.
 *
 * Written by hand: no maintained npm package implements EventBridge's matcher, and routing must
 * behave exactly as the deployed rules do. Checked against the EventBridge corpus in
 * `../shared/fixtures/eventbridge-patterns` (see test/workflows/event-pattern-corpus.test.ts).
 *
 * Semantics (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html):
 * both the event and the pattern are flattened to dotted paths; every path of the pattern must
 * match (AND), any matcher in a path's list may match (OR), an array in the event matches when
 * any of its elements does, and `$or` lists alternative sub-patterns.
 */
import * as ipaddr from 'ipaddr.js';

export class InvalidEventPatternError extends Error {
  public override readonly name = 'InvalidEventPatternException';
  public constructor(
    public readonly path: string,
    reason: string,
  ) {
    super(`Event pattern is not valid at "${path}": ${reason}`);
  }
}

type Scalar = string | number | boolean | null;
type ValueTest = (value: Scalar) => boolean;
type Matcher = { readonly kind: 'exists'; readonly exists: boolean } | { readonly kind: 'value'; readonly test: ValueTest };

interface FieldRule {
  readonly path: string;
  readonly matchers: readonly Matcher[];
}

/** A validated pattern: all `fields` must match, and for each of `anyOf`, one alternative. */
export interface CompiledPattern {
  readonly fields: readonly FieldRule[];
  readonly anyOf: readonly (readonly CompiledPattern[])[];
}

/** Flattened event: dotted path -> leaf values found there (arrays contribute each element). */
export type FlatEvent = ReadonlyMap<string, readonly Scalar[]>;

const NUMERIC_OPERATORS = new Set(['=', '<', '<=', '>', '>=']);
/** EventBridge rejects wildcard values past a complexity limit; this is its documented simple form. */
const MAX_WILDCARDS = 5;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function joinPath(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

export function compileEventPattern(pattern: unknown): CompiledPattern {
  if (!isPlainObject(pattern) || Object.keys(pattern).length === 0) {
    throw new InvalidEventPatternError('', 'a pattern must be a non-empty JSON object');
  }
  return compileObject(pattern, '');
}

function compileObject(pattern: Record<string, unknown>, prefix: string): CompiledPattern {
  const fields: FieldRule[] = [];
  const anyOf: CompiledPattern[][] = [];
  const visit = (node: Record<string, unknown>, path: string): void => {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$or') {
        anyOf.push(compileOr(value, path));
      } else if (Array.isArray(value)) {
        fields.push({ path: joinPath(path, key), matchers: compileMatchers(value, joinPath(path, key)) });
      } else if (isPlainObject(value)) {
        visit(value, joinPath(path, key));
      } else {
        throw new InvalidEventPatternError(joinPath(path, key), 'a leaf value must be an array of matchers');
      }
    }
  };
  visit(pattern, prefix);
  return { fields, anyOf };
}

function compileOr(value: unknown, path: string): CompiledPattern[] {
  const at = joinPath(path, '$or');
  if (!Array.isArray(value) || value.length < 2) {
    throw new InvalidEventPatternError(at, '$or needs an array of at least two sub-patterns');
  }
  return value.map((alternative) => {
    if (!isPlainObject(alternative) || Object.keys(alternative).length === 0) {
      throw new InvalidEventPatternError(at, 'each $or alternative must be a non-empty object');
    }
    return compileObject(alternative, path);
  });
}

function compileMatchers(list: unknown[], path: string): Matcher[] {
  if (list.length === 0) throw new InvalidEventPatternError(path, 'an empty array matches nothing');
  return list.map((item) => compileMatcher(item, path));
}

function compileMatcher(item: unknown, path: string): Matcher {
  if (item === null || typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') {
    const expected = item;
    return { kind: 'value', test: (value) => value === expected };
  }
  if (!isPlainObject(item)) throw new InvalidEventPatternError(path, 'a matcher must be a value or an object');
  const keys = Object.keys(item);
  if (keys.length !== 1) throw new InvalidEventPatternError(path, `a matcher object takes exactly one operator, got ${keys.length}`);
  const operator = keys[0]!;
  const operand = item[operator];
  switch (operator) {
    case 'exists':
      if (typeof operand !== 'boolean') throw new InvalidEventPatternError(path, 'exists takes true or false');
      return { kind: 'exists', exists: operand };
    case 'prefix':
      return valueMatcher(affixTest(operand, path, 'prefix', (v, p) => v.startsWith(p)));
    case 'suffix':
      return valueMatcher(affixTest(operand, path, 'suffix', (v, s) => v.endsWith(s)));
    case 'equals-ignore-case': {
      const expected = requireString(operand, path, 'equals-ignore-case').toLowerCase();
      return valueMatcher((v) => typeof v === 'string' && v.toLowerCase() === expected);
    }
    case 'wildcard':
      return valueMatcher(wildcardTest(requireString(operand, path, 'wildcard'), path));
    case 'numeric':
      return valueMatcher(numericTest(operand, path));
    case 'cidr':
      return valueMatcher(cidrTest(operand, path));
    case 'anything-but':
      return valueMatcher(anythingButTest(operand, path));
    default:
      throw new InvalidEventPatternError(path, `unknown operator "${operator}" (operators are case-sensitive)`);
  }
}

function valueMatcher(test: ValueTest): Matcher {
  return { kind: 'value', test };
}

function requireString(operand: unknown, path: string, operator: string): string {
  if (typeof operand !== 'string') throw new InvalidEventPatternError(path, `${operator} takes a string`);
  return operand;
}

/** prefix/suffix take a string, or `{ "equals-ignore-case": string }`. */
function affixTest(operand: unknown, path: string, operator: string, test: (value: string, affix: string) => boolean): ValueTest {
  if (isPlainObject(operand) && Object.keys(operand).length === 1 && 'equals-ignore-case' in operand) {
    const affix = requireString(operand['equals-ignore-case'], path, `${operator}.equals-ignore-case`).toLowerCase();
    return (v) => typeof v === 'string' && test(v.toLowerCase(), affix);
  }
  const affix = requireString(operand, path, operator);
  return (v) => typeof v === 'string' && test(v, affix);
}

function wildcardTest(pattern: string, path: string): ValueTest {
  if (pattern.includes('**')) throw new InvalidEventPatternError(path, 'consecutive wildcard characters');
  if ([...pattern].filter((c) => c === '*').length > MAX_WILDCARDS) {
    throw new InvalidEventPatternError(path, 'rule is too complex - try using fewer wildcard characters');
  }
  const source = pattern
    .split(/(\\\*|\\\\|\*)/)
    .map((part) => (part === '*' ? '.*' : part === '\\*' ? '\\*' : part === '\\\\' ? '\\\\' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const regex = new RegExp(`^${source}$`, 's');
  return (v) => typeof v === 'string' && regex.test(v);
}

function numericTest(operand: unknown, path: string): ValueTest {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    throw new InvalidEventPatternError(path, 'numeric takes [op, number] or [lower-op, number, upper-op, number]');
  }
  const bounds: Array<{ op: string; limit: number }> = [];
  for (let i = 0; i < operand.length; i += 2) {
    const op = operand[i];
    const limit = operand[i + 1];
    if (typeof op !== 'string' || !NUMERIC_OPERATORS.has(op))
      throw new InvalidEventPatternError(path, `numeric operator ${JSON.stringify(op)} is not one of = < <= > >=`);
    if (typeof limit !== 'number' || !Number.isFinite(limit))
      throw new InvalidEventPatternError(path, `numeric ${op} needs a number, got ${JSON.stringify(limit)}`);
    bounds.push({ op, limit });
  }
  if (bounds.length === 2) {
    if (!bounds[0]!.op.startsWith('>') || !bounds[1]!.op.startsWith('<')) {
      throw new InvalidEventPatternError(path, 'a numeric range needs one lower bound (> or >=) then one upper bound (< or <=)');
    }
  }
  const compare: Record<string, (v: number, l: number) => boolean> = {
    '=': (v, l) => v === l,
    '<': (v, l) => v < l,
    '<=': (v, l) => v <= l,
    '>': (v, l) => v > l,
    '>=': (v, l) => v >= l,
  };
  return (v) => typeof v === 'number' && bounds.every(({ op, limit }) => compare[op]!(v, limit));
}

function cidrTest(operand: unknown, path: string): ValueTest {
  const cidr = requireString(operand, path, 'cidr');
  let range: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    range = ipaddr.parseCIDR(cidr);
  } catch (cause) {
    throw new InvalidEventPatternError(path, `malformed CIDR ${JSON.stringify(cidr)}: ${(cause as Error).message}`);
  }
  return (v) => {
    if (typeof v !== 'string' || !ipaddr.isValid(v)) return false;
    const address = ipaddr.parse(v);
    return address.kind() === range[0].kind() && address.match(range);
  };
}

/** anything-but: a value, a list of values, or an object with prefix/suffix/equals-ignore-case/wildcard. */
function anythingButTest(operand: unknown, path: string): ValueTest {
  const at = `${path} (anything-but)`;
  if (typeof operand === 'string' || typeof operand === 'number') return (v) => v !== operand;
  if (Array.isArray(operand)) {
    if (operand.length === 0) throw new InvalidEventPatternError(at, 'takes a non-empty list');
    for (const item of operand) {
      if (typeof item !== 'string' && typeof item !== 'number') throw new InvalidEventPatternError(at, 'list items must be strings or numbers');
    }
    const excluded = new Set<Scalar>(operand as Array<string | number>);
    return (v) => !excluded.has(v);
  }
  if (!isPlainObject(operand) || Object.keys(operand).length !== 1) {
    throw new InvalidEventPatternError(at, 'takes a string, a number, a list of them, or one operator object');
  }
  const [operator, inner] = Object.entries(operand)[0]!;
  const strings = (allowEmpty: boolean): string[] => {
    const list = Array.isArray(inner) ? inner : [inner];
    if (list.length === 0 || list.some((s) => typeof s !== 'string' || (!allowEmpty && s === ''))) {
      throw new InvalidEventPatternError(at, `${operator} takes ${allowEmpty ? 'a string' : 'a non-empty string'} or a list of them`);
    }
    return list as string[];
  };
  switch (operator) {
    case 'prefix': {
      const prefixes = strings(false);
      return (v) => typeof v !== 'string' || !prefixes.some((p) => v.startsWith(p));
    }
    case 'suffix': {
      const suffixes = strings(false);
      return (v) => typeof v !== 'string' || !suffixes.some((s) => v.endsWith(s));
    }
    case 'equals-ignore-case': {
      const lowered = new Set(strings(true).map((s) => s.toLowerCase()));
      return (v) => typeof v !== 'string' || !lowered.has(v.toLowerCase());
    }
    case 'wildcard': {
      const tests = strings(true).map((w) => wildcardTest(w, at));
      return (v) => typeof v !== 'string' || !tests.some((t) => t(v));
    }
    default:
      throw new InvalidEventPatternError(at, `unknown operator "${operator}"`);
  }
}

/** Flattens an event once so that many patterns can be tested against it. */
export function flattenEvent(event: unknown): FlatEvent {
  const flat = new Map<string, Scalar[]>();
  const add = (path: string, value: Scalar): void => {
    const values = flat.get(path);
    if (values) values.push(value);
    else flat.set(path, [value]);
  };
  const visit = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      for (const element of node) visit(element, path);
    } else if (isPlainObject(node)) {
      for (const [key, value] of Object.entries(node)) visit(value, joinPath(path, key));
    } else if (path !== '') {
      add(path, node as Scalar);
    }
  };
  visit(event, '');
  return flat;
}

export function matchesFlatEvent(pattern: CompiledPattern, event: FlatEvent): boolean {
  const fieldMatches = ({ path, matchers }: FieldRule): boolean => {
    const values = event.get(path) ?? [];
    return matchers.some((m) => (m.kind === 'exists' ? m.exists === values.length > 0 : values.some(m.test)));
  };
  return pattern.fields.every(fieldMatches) && pattern.anyOf.every((alternatives) => alternatives.some((alt) => matchesFlatEvent(alt, event)));
}

/** Convenience for a single test; throws InvalidEventPatternError for an invalid pattern. */
export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  return matchesFlatEvent(compileEventPattern(pattern), flattenEvent(event));
}
