/**
 * What a run costs in dollars, from what the offline run counted: Lambda requests and GB-seconds,
 * Standard state transitions, Express requests and GB-seconds, DynamoDB and S3 requests. The other calls a reconcile makes
 * (CloudWatch Logs, EC2 and GuardDuty control-plane calls, STS, Organizations) are not billed per call.
 */

/** us-east-1 list prices, read on the date below; a figure printed with them names the date. */
export const PRICES = {
  asOf: '2026-12-06',
  /** https://aws.amazon.com/lambda/pricing/ (Arm, first 7.5 billion GB-seconds a month). */
  lambdaPerGbSecondArm: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  /** https://aws.amazon.com/step-functions/pricing/ (Standard workflows). */
  stepFunctionsPerThousandTransitions: 0.025,
  /**
   * Express workflows: requests, and duration (rounded up to 100 ms) times memory in 64 MB chunks,
   * at the first tier's GB-second price; a page loop's state is far under 64 MB.
   */
  expressPerMillionRequests: 1.0,
  expressPerGbSecond: 0.00001667,
  expressMemoryGb: 64 / 1024,
  /** https://aws.amazon.com/dynamodb/pricing/on-demand/ (after the November 2024 reduction; read from a secondary source, unverified here). */
  dynamoDbPerMillionWrites: 0.625,
  dynamoDbPerMillionReads: 0.125,
  /** https://aws.amazon.com/s3/pricing/ (S3 Standard: PUT, COPY, POST, LIST; GET and the others). */
  s3PerThousandWrites: 0.005,
  s3PerThousandReads: 0.0004,
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
    (usage.expressBilledMs / 1000) * PRICES.expressMemoryGb * PRICES.expressPerGbSecond;
  const count = { dynamoReads: 0, dynamoWrites: 0, s3Reads: 0, s3Writes: 0 };
  for (const [call, n] of Object.entries(usage.apiCalls)) {
    if (call.startsWith('DynamoDB.')) count[DYNAMODB_READS.has(call) ? 'dynamoReads' : 'dynamoWrites'] += n;
    else if (call.startsWith('S3.')) count[S3_WRITES.has(call) ? 's3Writes' : 's3Reads'] += n;
  }
  const dynamoDb = (count.dynamoReads / 1e6) * PRICES.dynamoDbPerMillionReads + (count.dynamoWrites / 1e6) * PRICES.dynamoDbPerMillionWrites;
  const s3 = (count.s3Reads / 1000) * PRICES.s3PerThousandReads + (count.s3Writes / 1000) * PRICES.s3PerThousandWrites;
  return { lambdaGbSeconds: gbSeconds, lambda, stepFunctions, dynamoDb, s3, total: lambda + stepFunctions + dynamoDb + s3 };
}
