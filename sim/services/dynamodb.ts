/**
 * DynamoDB, as far as Tributary's leases, destination-access intents and reconcile reports use
 * it: GetItem, PutItem/DeleteItem with a condition, and UpdateItem with a condition, setting
 * values, adding numbers or adding to and deleting from string sets (with `ReturnValues:
 * UPDATED_NEW`). Only the forms Tributary writes are understood (conditions
 * `attribute_not_exists(a)`, `a < :v`, `a = :v` joined by OR; updates `SET a = :v, ...` and
 * `SET a = if_not_exists(b, :v) + :w`,
 * `ADD a :v` and `DELETE a :v`); anything else is refused, so a new form cannot pass unseen. An item may not pass
 * 400 KB (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html).
 */
import { ConditionalCheckFailedException, DynamoDBServiceException, ResourceNotFoundException, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { CallContext, OperationHandler } from './context';
import { copyData } from '../plain-copy';

type Item = Record<string, Record<string, string>>;
const meta = { $metadata: {} };
/** "The maximum item size in DynamoDB is 400 KB", names and values included. */
const MAX_ITEM_BYTES = 400 * 1024;

function checkItemSize(item: Item): void {
  if (Buffer.byteLength(JSON.stringify(item), 'utf8') > MAX_ITEM_BYTES) throw validation('Item size has exceeded the maximum allowed size');
}
function validation(message: string): DynamoDBServiceException {
  return new DynamoDBServiceException({ name: 'ValidationException', $fault: 'client', $metadata: {}, message });
}

/**
 * What DynamoDB refuses before it reads the item: an empty expression, a number that is not one,
 * a placeholder used but not given, or given but not used
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeValues.html,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html).
 * The wording is DynamoDB's as measured against the live service (floci-io/floci#2893, which also
 * shows the check runs before the table is looked up); it is not on those pages.
 */
function validateExpressions(input: Record<string, any>): void {
  const expressions: string[] = [];
  for (const field of ['ConditionExpression', 'UpdateExpression', 'ProjectionExpression'] as const) {
    if (!(field in input) || input[field] === undefined) continue;
    if (typeof input[field] !== 'string' || input[field].trim() === '') throw validation(`Invalid ${field}: The expression can not be empty;`);
    expressions.push(input[field]);
  }
  const text = expressions.join(' ');
  const values = (input.ExpressionAttributeValues ?? {}) as Record<string, Record<string, unknown>>;
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  for (const [field, map] of [
    ['ExpressionAttributeValues', values],
    ['ExpressionAttributeNames', names],
  ] as const)
    if (input[field] !== undefined && Object.keys(map).length === 0) throw validation(`${field} must not be empty`);
  for (const [token, value] of Object.entries(values)) {
    if ('N' in value && (typeof value.N !== 'string' || value.N.trim() === '' || !Number.isFinite(Number(value.N))))
      throw validation(`ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value for key ${token}`);
  }
  const used = (prefix: string) => new Set(text.match(new RegExp(`${prefix}[A-Za-z0-9_]+`, 'g')) ?? []);
  for (const token of used(':'))
    if (!(token in values)) throw validation(`An expression attribute value used in expression is not defined; attribute value: ${token}`);
  for (const token of used('#'))
    if (!(token in names)) throw validation(`An expression attribute name used in the document path is not defined; attribute name: ${token}`);
  const unusedValues = Object.keys(values).filter((token) => !used(':').has(token));
  if (unusedValues.length > 0) throw validation(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`);
  const unusedNames = Object.keys(names).filter((token) => !used('#').has(token));
  if (unusedNames.length > 0) throw validation(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`);
}

/** Tables that exist in the simulated hub (the orchestration stack creates them in AWS). */
export const SIMULATED_TABLES = ['tributary-locks'];

function table(ctx: CallContext, name: unknown): Map<string, Record<string, unknown>> {
  if (!SIMULATED_TABLES.includes(String(name)))
    throw new ResourceNotFoundException({ ...meta, message: `Requested resource not found: Table: ${String(name)} not found` });
  const tables = ctx.state.accountRegion(ctx.callerAccount, ctx.region).tables;
  let found = tables.get(String(name));
  if (!found) tables.set(String(name), (found = new Map()));
  return found;
}

function keyOf(key: Item): string {
  const [[name, value]] = Object.entries(key) as [[string, Record<string, string>]];
  return `${name}=${Object.values(value)[0]}`;
}

function scalar(value: Record<string, string> | undefined): string | number | undefined {
  if (!value) return undefined;
  if ('N' in value) return Number(value.N);
  return value.S;
}

/** Evaluates the condition forms the lease lock uses against the current item (or none). */
export function evaluateCondition(
  expression: string,
  item: Item | undefined,
  names: Record<string, string> = {},
  values: Record<string, Record<string, string>> = {},
): boolean {
  const attribute = (token: string) => names[token] ?? token;
  return expression.split(/\s+OR\s+/).some((term) => {
    const notExists = /^attribute_not_exists\(\s*([#\w]+)\s*\)$/.exec(term.trim());
    if (notExists) return item?.[attribute(notExists[1]!)] === undefined;
    const comparison = /^([#\w]+)\s*(<|=)\s*(:\w+)$/.exec(term.trim());
    if (!comparison) throw new Error(`simulator: condition "${term}" is not one the simulated DynamoDB understands`);
    const left = scalar(item?.[attribute(comparison[1]!)]);
    const right = scalar(values[comparison[3]!]);
    if (left === undefined || right === undefined) return false;
    return comparison[2] === '<' ? left < right : left === right;
  });
}

/** `a = :x, b = f(c, :y) + :z`: the commas inside a function call do not split. */
function splitAssignments(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of text) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += c;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

/**
 * A failed condition returns the item as it was only when the call asks with
 * `ReturnValuesOnConditionCheckFailure: ALL_OLD`
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html).
 */
function conditional(input: Record<string, any>, current: Item | undefined): void {
  if (input.ConditionExpression && !evaluateCondition(input.ConditionExpression, current, input.ExpressionAttributeNames, input.ExpressionAttributeValues)) {
    const returned =
      input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && current ? { Item: copyData(current) as unknown as Record<string, AttributeValue> } : {};
    throw new ConditionalCheckFailedException({ ...meta, message: 'The conditional request failed', ...returned });
  }
}

export const dynamoDb: Record<string, OperationHandler> = {
  GetItem(input, ctx) {
    validateExpressions(input);
    const item = table(ctx, input.TableName).get(keyOf(input.Key));
    return item ? { Item: copyData(item) } : {};
  },

  /** At most 100 keys a call (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html). */
  BatchGetItem(input, ctx) {
    const Responses: Record<string, unknown[]> = {};
    const requests = Object.entries(input.RequestItems ?? {}) as Array<[string, { Keys: Item[] }]>;
    if (requests.reduce((n, [, r]) => n + r.Keys.length, 0) > 100) {
      throw new DynamoDBServiceException({
        name: 'ValidationException',
        $fault: 'client',
        $metadata: {},
        message: 'Too many items requested for the BatchGetItem call',
      });
    }
    for (const [name, request] of requests) {
      const items = table(ctx, name);
      Responses[name] = request.Keys.map((key) => items.get(keyOf(key)))
        .filter((item) => item !== undefined)
        .map((item) => copyData(item));
    }
    return { Responses, UnprocessedKeys: {} };
  },

  PutItem(input, ctx) {
    validateExpressions(input);
    const items = table(ctx, input.TableName);
    const [keyName] = Object.keys(input.Item);
    const key = keyOf({ [keyName!]: input.Item[keyName!] });
    conditional(input, items.get(key) as Item | undefined);
    checkItemSize(input.Item);
    items.set(key, copyData(input.Item));
    return {};
  },

  UpdateItem(input, ctx) {
    validateExpressions(input);
    const items = table(ctx, input.TableName);
    const key = keyOf(input.Key);
    conditional(input, items.get(key) as Item | undefined);
    const item: Item = copyData((items.get(key) as Item | undefined) ?? input.Key);
    const before: Item = copyData(item);
    const names: Record<string, string> = input.ExpressionAttributeNames ?? {};
    const values: Record<string, { SS?: string[]; N?: string }> = input.ExpressionAttributeValues ?? {};
    const updated: Item = {};
    const clauses = String(input.UpdateExpression).match(/(SET|ADD|DELETE)\s+[^A-Z]+/g) ?? [];
    if (clauses.length === 0) throw new Error(`simulator: update "${String(input.UpdateExpression)}" is not one the simulated DynamoDB understands`);
    for (const clause of clauses) {
      const [action, ...rest] = clause.trim().split(/\s+/);
      if (action === 'SET') {
        for (const assignment of splitAssignments(rest.join(' '))) {
          const plain = /^([#\w]+)\s*=\s*(:\w+)$/.exec(assignment);
          // `a = if_not_exists(b, :zero) + :one`: operands read the item as it was before the update.
          const counter = /^([#\w]+)\s*=\s*if_not_exists\(\s*([#\w]+)\s*,\s*(:\w+)\s*\)\s*\+\s*(:\w+)$/.exec(assignment);
          const attribute = names[(plain ?? counter)?.[1] ?? ''] ?? (plain ?? counter)?.[1];
          if (plain && attribute && values[plain[2]!] !== undefined) item[attribute] = copyData(values[plain[2]!]) as Record<string, string>;
          else if (counter && attribute) {
            const base = (before[names[counter[2]!] ?? counter[2]!] as { N?: string } | undefined)?.N ?? values[counter[3]!]?.N;
            item[attribute] = { N: String(Number(base) + Number(values[counter[4]!]?.N)) };
          } else throw new Error(`simulator: SET "${assignment}" is not one the simulated DynamoDB understands`);
          updated[attribute] = item[attribute]!;
        }
        continue;
      }
      for (const pair of rest.join(' ').split(',')) {
        const [nameToken, valueToken] = pair.trim().split(/\s+/) as [string, string];
        const attribute = names[nameToken] ?? nameToken;
        const value = values[valueToken];
        if (value?.N !== undefined) {
          if (action !== 'ADD') throw new Error(`simulator: ${action} of a number is not one the simulated DynamoDB understands`);
          item[attribute] = { N: String(Number((item[attribute] as { N?: string } | undefined)?.N ?? 0) + Number(value.N)) };
          updated[attribute] = item[attribute]!;
          continue;
        }
        const set = new Set((item[attribute] as { SS?: string[] } | undefined)?.SS ?? []);
        for (const v of values[valueToken]?.SS ?? []) {
          if (action === 'ADD') set.add(v);
          else set.delete(v);
        }
        if (set.size > 0) item[attribute] = { SS: [...set].sort() } as never;
        else delete item[attribute];
        if (item[attribute]) updated[attribute] = item[attribute]!;
      }
    }
    checkItemSize(item);
    items.set(key, item);
    return input.ReturnValues === 'UPDATED_NEW' ? { Attributes: copyData(updated) } : {};
  },

  DeleteItem(input, ctx) {
    validateExpressions(input);
    const items = table(ctx, input.TableName);
    const key = keyOf(input.Key);
    conditional(input, items.get(key) as Item | undefined);
    items.delete(key);
    return {};
  },
};
