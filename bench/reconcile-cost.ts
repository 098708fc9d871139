/**
 * What a run costs in dollars, from what the offline run counted: Lambda requests and GB-seconds,
 * Standard state transitions, Express requests and GB-seconds, DynamoDB and S3 requests. The other calls a reconcile makes
 * (CloudWatch Logs, EC2 and GuardDuty control-plane calls, STS, Organizations) are not billed per call.
 */

import { EXPRESS_BILLED_MEMORY_GB, PRICE_TABLE } from '../bin/price-table';

const { prices } = PRICE_TABLE;

/** The prices a run is billed at: `tributary cost`'s dated us-east-1 table (`bin/price-table.ts`). */
export const PRICES = {
  asOf: PRICE_TABLE.date,
  lambdaPerGbSecondArm: prices.lambdaGbSecond,
  lambdaPerMillionRequests: prices.lambdaPerMillionRequests,
  stepFunctionsPerThousandTransitions: prices.stepFunctionsPer1000Transitions,
  expressPerMillionRequests: prices.stepFunctionsExpressPerMillionRequests,
  expressPerGbSecond: prices.stepFunctionsExpressGbSecond,
  dynamoDbPerMillionWrites: prices.dynamoDbPerMillionWrites,
  dynamoDbPerMillionReads: prices.dynamoDbPerMillionReads,
  s3PerThousandWrites: prices.s3PutPer1000,
  s3PerThousandReads: prices.s3GetPer1000,
} as const;

export interface RunUsage {
  readonly lambdaInvocations: number;
  readonly lambdaBilledMs: number;
  readonly lambdaMemoryMb: number;
  /** Transitions of Standard executions (Express ones are not billed by transition). */
  readonly standardTransitions: number;
  readonly expressExecutions: number;
  readonly expressBilledMs: number;
  /** Calls by `Service.Operation`, as the simulator counted them (`DynamoDB.GetItem`: 3). */
  readonly apiCalls: Readonly<Record<string, number>>;
}

export interface RunCost {
  readonly lambdaGbSeconds: number;
  /** Dollars, by service, and their total. */
  readonly lambda: number;
  readonly stepFunctions: number;
  readonly dynamoDb: number;
  readonly s3: number;
  readonly total: number;
}

const DYNAMODB_READS = new Set(['DynamoDB.GetItem', 'DynamoDB.Query', 'DynamoDB.Scan', 'DynamoDB.BatchGetItem']);
const S3_WRITES = new Set(['S3.PutObject', 'S3.CopyObject', 'S3.ListObjectsV2', 'S3.ListObjectVersions', 'S3.CreateMultipartUpload']);

/** Dollars, each request counted as one unit (the hub's items are under 1 KB). */
export function runCost(usage: RunUsage): RunCost {
  const gbSeconds = (usage.lambdaBilledMs / 1000) * (usage.lambdaMemoryMb / 1024);
  const lambda = gbSeconds * PRICES.lambdaPerGbSecondArm + (usage.lambdaInvocations / 1e6) * PRICES.lambdaPerMillionRequests;
  const stepFunctions =
    (usage.standardTransitions / 1000) * PRICES.stepFunctionsPerThousandTransitions +
    (usage.expressExecutions / 1e6) * PRICES.expressPerMillionRequests +
    (usage.expressBilledMs / 1000) * EXPRESS_BILLED_MEMORY_GB * PRICES.expressPerGbSecond;
  const count = { dynamoReads: 0, dynamoWrites: 0, s3Reads: 0, s3Writes: 0 };
  for (const [call, n] of Object.entries(usage.apiCalls)) {
    if (call.startsWith('DynamoDB.')) count[DYNAMODB_READS.has(call) ? 'dynamoReads' : 'dynamoWrites'] += n;
    else if (call.startsWith('S3.')) count[S3_WRITES.has(call) ? 's3Writes' : 's3Reads'] += n;
  }
  const dynamoDb = (count.dynamoReads / 1e6) * PRICES.dynamoDbPerMillionReads + (count.dynamoWrites / 1e6) * PRICES.dynamoDbPerMillionWrites;
  const s3 = (count.s3Reads / 1000) * PRICES.s3PerThousandReads + (count.s3Writes / 1000) * PRICES.s3PerThousandWrites;
  return { lambdaGbSeconds: gbSeconds, lambda, stepFunctions, dynamoDb, s3, total: lambda + stepFunctions + dynamoDb + s3 };
}
