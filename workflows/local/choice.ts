/**
 * Choice rules of Amazon States Language (JSONPath): comparisons, `Is*` tests, And / Or / Not.
 * A comparison whose variable has another type is false; a missing variable is `States.Runtime`
 * except for `IsPresent`.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
 */
import { read, StatesError, tryRead } from './json-path';

type Rule = Record<string, any>;

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  Equals: (a, b) => a === b,
  LessThan: (a, b) => a < b,
  GreaterThan: (a, b) => a > b,
  LessThanEquals: (a, b) => a <= b,
  GreaterThanEquals: (a, b) => a >= b,
};

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function ordered(kind: string, value: unknown, operand: unknown, op: (a: number, b: number) => boolean): boolean {
  if (kind === 'String') return typeof value === 'string' && typeof operand === 'string' && op(value < operand ? -1 : value > operand ? 1 : 0, 0);
  if (kind === 'Numeric') return typeof value === 'number' && typeof operand === 'number' && op(value, operand);
  if (kind === 'Boolean') return typeof value === 'boolean' && typeof operand === 'boolean' && op(value === operand ? 0 : 1, 0);
  if (kind === 'Timestamp')
    return typeof value === 'string' && typeof operand === 'string' && TIMESTAMP.test(value) && op(Date.parse(value), Date.parse(operand));
  throw new StatesError('States.Runtime', `unknown comparison kind ${kind}`);
}

function globMatch(value: unknown, pattern: unknown): boolean {
  if (typeof value !== 'string' || typeof pattern !== 'string') return false;
  const regex = pattern.replace(/\\\*|\*|[.+?^${}()|[\]\\]/g, (m) => (m === '*' ? '.*' : m === '\\*' ? '\\*' : `\\${m}`));
  return new RegExp(`^${regex}$`, 's').test(value);
}

export function evaluateRule(rule: Rule, input: unknown, context: unknown): boolean {
  if (Array.isArray(rule.And)) return rule.And.every((r: Rule) => evaluateRule(r, input, context));
  if (Array.isArray(rule.Or)) return rule.Or.some((r: Rule) => evaluateRule(r, input, context));
  if (rule.Not) return !evaluateRule(rule.Not, input, context);
  const variable = String(rule.Variable);
  if ('IsPresent' in rule) return (tryRead(variable, input, context) !== undefined) === rule.IsPresent;
  const value = read(variable, input, context, 'Variable');
  for (const [key, operand] of Object.entries(rule)) {
    if (key === 'Variable' || key === 'Next') continue;
    if (key === 'IsNull') return (value === null) === operand;
    if (key === 'IsNumeric') return (typeof value === 'number') === operand;
    if (key === 'IsString') return (typeof value === 'string') === operand;
    if (key === 'IsBoolean') return (typeof value === 'boolean') === operand;
    if (key === 'IsTimestamp') return (typeof value === 'string' && TIMESTAMP.test(value)) === operand;
    if (key === 'StringMatches') return globMatch(value, operand);
    const match = /^(String|Numeric|Boolean|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$/.exec(key);
    if (!match) throw new StatesError('States.Runtime', `Choice operator ${key} is not modelled offline`);
    const [, kind, comparison, isPath] = match;
    const right = isPath ? read(String(operand), input, context, key) : operand;
    return ordered(kind!, value, right, COMPARE[comparison!]!);
  }
  throw new StatesError('States.Runtime', `Choice rule on ${variable} has no comparison`);
}
