/**
 * DynamoDB, as far as Tributary's lease lock and request sets use it: GetItem, PutItem/DeleteItem
 * with a condition, and UpdateItem adding to or deleting from string sets. Only the forms Tributary
 * writes are understood (conditions `attribute_not_exists(a)`, `a < :v`, `a = :v` joined by OR;
 * updates `ADD a :v` and `DELETE a :v`); anything else is refused, so a new form cannot pass unseen.
 */
import { ConditionalCheckFailedException, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import type { CallContext, OperationHandler } from './context';

type Item = Record<string, Record<string, string>>;
const meta = { $metadata: {} };
/** Tables that exist in the simulated hub (the orchestration stack creates them in AWS). */
export const SIMULATED_TABLES = ['tributary-locks'];

function table(ctx: CallContext, name: unknown): Map<string, Record<string, unknown>> {
  if (!SIMULATED_TABLES.includes(String(name))) throw new ResourceNotFoundException({ ...meta, message: `Requested resource not found: Table: ${String(name)} not found` });
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
export function evaluateCondition(expression: string, item: Item | undefined, names: Record<string, string> = {}, values: Record<string, Record<string, string>> = {}): boolean {
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

function conditional(input: Record<string, any>, current: Item | undefined): void {
  if (input.ConditionExpression && !evaluateCondition(input.ConditionExpression, current, input.ExpressionAttributeNames, input.ExpressionAttributeValues)) {
    throw new ConditionalCheckFailedException({ ...meta, message: 'The conditional request failed' });
  }
}

export const dynamoDb: Record<string, OperationHandler> = {
  GetItem(input, ctx) {
    const item = table(ctx, input.TableName).get(keyOf(input.Key));
    return item ? { Item: structuredClone(item) } : {};
  },

  PutItem(input, ctx) {
    const items = table(ctx, input.TableName);
    const [keyName] = Object.keys(input.Item);
    const key = keyOf({ [keyName!]: input.Item[keyName!] });
    conditional(input, items.get(key) as Item | undefined);
    items.set(key, structuredClone(input.Item));
    return {};
  },

  UpdateItem(input, ctx) {
    const items = table(ctx, input.TableName);
    const key = keyOf(input.Key);
    const item: Item = structuredClone((items.get(key) as Item | undefined) ?? input.Key);
    const names: Record<string, string> = input.ExpressionAttributeNames ?? {};
    const values: Record<string, { SS?: string[] }> = input.ExpressionAttributeValues ?? {};
    const clauses = String(input.UpdateExpression).match(/(ADD|DELETE)\s+[^A-Z]+/g) ?? [];
    if (clauses.length === 0) throw new Error(`simulator: update "${String(input.UpdateExpression)}" is not one the simulated DynamoDB understands`);
    for (const clause of clauses) {
      const [action, ...rest] = clause.trim().split(/\s+/);
      for (const pair of rest.join(' ').split(',')) {
        const [nameToken, valueToken] = pair.trim().split(/\s+/) as [string, string];
        const attribute = names[nameToken] ?? nameToken;
        const set = new Set((item[attribute] as { SS?: string[] } | undefined)?.SS ?? []);
        for (const v of values[valueToken]?.SS ?? []) {
          if (action === 'ADD') set.add(v);
          else set.delete(v);
        }
        if (set.size > 0) item[attribute] = { SS: [...set].sort() } as never;
        else delete item[attribute];
      }
    }
    items.set(key, item);
    return {};
  },

  DeleteItem(input, ctx) {
    const items = table(ctx, input.TableName);
    const key = keyOf(input.Key);
    conditional(input, items.get(key) as Item | undefined);
    items.delete(key);
    return {};
  },
};
