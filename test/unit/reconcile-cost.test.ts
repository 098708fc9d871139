/** The dollars of a run, from what it counted, at the dated price table. */
import { PRICES, runCost } from '../../bench/reconcile-cost';

describe('the cost of a run', () => {
  it('prices Lambda by GB-second and request, Standard transitions by the thousand, Express by request and 64 MB GB-second, DynamoDB and S3 by request', () => {
    // Prepare: 2,000 invocations of 1.5 s at 512 MB, 40,000 Standard transitions, 500 Express runs of 100 s, and calls of every kind.
    const usage = {
      lambdaInvocations: 2000,
      lambdaBilledMs: 2000 * 1500,
      lambdaMemoryMb: 512,
      standardTransitions: 40_000,
      expressExecutions: 500,
      expressBilledMs: 500 * 100_000,
      apiCalls: {
        'DynamoDB.GetItem': 3000,
        'DynamoDB.Query': 1000,
        'DynamoDB.UpdateItem': 2000,
        'S3.PutObject': 4000,
        'S3.GetObject': 10_000,
        'CloudWatchLogs.PutSubscriptionFilter': 1_000_000,
        'STS.AssumeRole': 5000,
      },
    };

    // Act
    const cost = runCost(usage);

    // Assess
    expect(cost.lambdaGbSeconds).toBe(1500);
    expect(cost.lambda).toBeCloseTo(1500 * PRICES.lambdaPerGbSecondArm + 0.002 * PRICES.lambdaPerMillionRequests, 12);
    expect(cost.stepFunctions).toBeCloseTo(
      40 * PRICES.stepFunctionsPerThousandTransitions + 0.0005 * PRICES.expressPerMillionRequests + 50_000 * (64 / 1024) * PRICES.expressPerGbSecond,
      12,
    );
    expect(cost.dynamoDb).toBeCloseTo(0.004 * PRICES.dynamoDbPerMillionReads + 0.002 * PRICES.dynamoDbPerMillionWrites, 12);
    expect(cost.s3).toBeCloseTo(4 * PRICES.s3PerThousandWrites + 10 * PRICES.s3PerThousandReads, 12);
    expect(cost.total).toBeCloseTo(cost.lambda + cost.stepFunctions + cost.dynamoDb + cost.s3, 12);
  });

  it('a run that called nothing billed costs nothing', () => {
    expect(
      runCost({
        lambdaInvocations: 0,
        lambdaBilledMs: 0,
        lambdaMemoryMb: 512,
        standardTransitions: 0,
        expressExecutions: 0,
        expressBilledMs: 0,
        apiCalls: { 'EC2.DescribeVpcs': 9 },
      }).total,
    ).toBe(0);
  });

  it('names the date of its prices', () => {
    expect(PRICES.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
