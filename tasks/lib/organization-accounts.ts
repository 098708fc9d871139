/**
 * The organization's accounts, as the hub knows them, for the record processor: one item of the
 * hub's lock table (`organization-accounts`, a string set). The daily reconcile replaces it with
 * the ACTIVE accounts (keeping those onboarded since its listing began); onboarding adds its
 * account before any of its logs are wired. The
 * processor in the logging account reads it across accounts (the table's resource policy lets
 * the processor roles read that item alone; DynamoDB takes a table ARN as `TableName` for
 * cross-account access: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/access-control-resource-based.html)
 * and keeps it for a few minutes: never a call per record.
 */
import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCK_TABLE_NAME } from './lease-lock';

export const ORGANIZATION_ACCOUNTS_KEY = 'organization-accounts';

interface Stored {
  readonly accounts: ReadonlySet<string>;
  /** When onboarding added each account (attribute `a<account>`), in ms. */
  readonly addedAt: ReadonlyMap<string, number>;
  /** Every write moves it on: the reconcile's write is conditional on it. */
  readonly version: number;
}

const addedAtName = (account: string) => `a${account}`;

async function stored(dynamo: DynamoDBClient): Promise<Stored> {
  const { Item } = await dynamo.send(new GetItemCommand({ TableName: LOCK_TABLE_NAME, Key: { pk: { S: ORGANIZATION_ACCOUNTS_KEY } }, ConsistentRead: true }));
  const accounts = new Set(Item?.accounts?.SS ?? []);
  const addedAt = new Map([...accounts].flatMap((a) => (Item?.[addedAtName(a)]?.N ? [[a, Number(Item[addedAtName(a)]!.N)] as const] : [])));
  return { accounts, addedAt, version: Number(Item?.v?.N ?? 0) };
}

/** The reconcile's write lost to a concurrent onboarding: read again. */
const RACE_ATTEMPTS = 5;

/**
 * Sets the list to the ACTIVE accounts listed from `listedFrom` on, keeping accounts onboarding
 * added since (they joined after the listing began); writes only when it changes. Answers whether
 * it wrote.
 */
export async function publishOrganizationAccounts(dynamo: DynamoDBClient, accounts: readonly string[], listedFrom: number, at: number): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const current = await stored(dynamo);
    const kept = [...current.addedAt].filter(([, added]) => added >= listedFrom).map(([account]) => account);
    const wanted = [...new Set([...accounts, ...kept])].sort();
    if (wanted.length === 0 || (wanted.length === current.accounts.size && wanted.every((a) => current.accounts.has(a)))) return false;
    const item = {
      pk: { S: ORGANIZATION_ACCOUNTS_KEY },
      accounts: { SS: wanted },
      refreshedAt: { N: String(at) },
      v: { N: String(current.version + 1) },
      ...Object.fromEntries(kept.map((a) => [addedAtName(a), { N: String(current.addedAt.get(a)) }])),
    };
    try {
      await dynamo.send(
        new PutItemCommand({
          TableName: LOCK_TABLE_NAME,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk) OR v = :v',
          ExpressionAttributeValues: { ':v': { N: String(current.version) } },
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) || attempt === RACE_ATTEMPTS) throw error;
    }
  }
}

/** Adds one account (onboarding) when it is not there yet, keeping the rest; answers whether it wrote. */
export async function addOrganizationAccount(dynamo: DynamoDBClient, account: string, at: number): Promise<boolean> {
  if ((await stored(dynamo)).accounts.has(account)) return false;
  await dynamo.send(
    new UpdateItemCommand({
      TableName: LOCK_TABLE_NAME,
      Key: { pk: { S: ORGANIZATION_ACCOUNTS_KEY } },
      UpdateExpression: 'SET #added = :at ADD accounts :account, v :one',
      ExpressionAttributeNames: { '#added': addedAtName(account) },
      ExpressionAttributeValues: { ':account': { SS: [account] }, ':at': { N: String(at) }, ':one': { N: '1' } },
    }),
  );
  return true;
}

/** The list, or undefined when the hub has not published one yet. */
export async function readOrganizationAccounts(dynamo: DynamoDBClient, tableArn: string): Promise<ReadonlySet<string> | undefined> {
  const { Item } = await dynamo.send(new GetItemCommand({ TableName: tableArn, Key: { pk: { S: ORGANIZATION_ACCOUNTS_KEY } } }));
  return Item?.accounts?.SS ? new Set(Item.accounts.SS) : undefined;
}

/**
 * The processor's copy: read at most every `ttlMs`. A failed read keeps the last list (an outage
 * of the hub's table does not send every record to errors/); with none yet, there is no check.
 */
export class KnownAccountsCache {
  private accounts: ReadonlySet<string> | undefined;
  private readAt = Number.NEGATIVE_INFINITY;

  public constructor(
    private readonly read: () => Promise<ReadonlySet<string> | undefined>,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = 300_000,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  public async get(): Promise<ReadonlySet<string> | undefined> {
    if (this.now() - this.readAt < this.ttlMs) return this.accounts;
    this.readAt = this.now();
    try {
      this.accounts = (await this.read()) ?? this.accounts;
    } catch (error) {
      this.onError(error);
    }
    return this.accounts;
  }
}
