/**
 * The prices `tributary cost` uses: AWS list prices for us-east-1 on the date below, per unit, as
 * recorded by hand from the services' pricing pages. They change, and other regions differ:
 * `tributary cost` prints the date and every assumption beside the figure. Unverified against the
 * live pages in this version (no network here): check them before quoting the total.
 */
/** Express workflows are billed in 64 MB steps of memory; a page loop's state is far under 64 MB. */
export const EXPRESS_BILLED_MEMORY_GB = 64 / 1024;

export const PRICE_TABLE = {
  date: '2026-12-06',
  region: 'us-east-1',
  prices: {
    /** Kinesis Data Streams, on-demand mode. */
    kinesisStreamHour: 0.04,
    kinesisIngestedGb: 0.08,
    kinesisRetrievedGb: 0.04,
    /** Beyond 24 hours, within 7 days. */
    kinesisExtendedRetentionGbMonth: 0.1,
    /** Firehose ingestion (first 500 TB a month). */
    firehoseIngestedGb: 0.029,
    firehoseDynamicPartitioningGb: 0.02,
    firehoseDynamicPartitioningPer1000Objects: 0.005,
    /** Lambda on arm64. */
    lambdaGbSecond: 0.0000133334,
    lambdaPerMillionRequests: 0.2,
    s3StandardGbMonth: 0.023,
    s3GlacierFlexibleGbMonth: 0.0036,
    /** PUT, COPY, POST, LIST; GET and the other reads. */
    s3PutPer1000: 0.005,
    s3GetPer1000: 0.0004,
    s3GlacierTransitionPer1000: 0.03,
    kmsKeyMonth: 1,
    kmsPer10000Requests: 0.03,
    /** Vended logs (VPC Flow Logs) delivered to CloudWatch Logs, first 10 TB. */
    cloudWatchVendedLogsGb: 0.5,
    cloudWatchAlarmMonth: 0.1,
    cloudWatchDashboardMonth: 3,
    stepFunctionsPer1000Transitions: 0.025,
    /** Express workflows: requests, and GB-seconds (64 MB chunks, 100 ms steps; first tier). */
    stepFunctionsExpressPerMillionRequests: 1,
    stepFunctionsExpressGbSecond: 0.00001667,
    /** On-demand, after the November 2024 reduction (read from a secondary source). */
    dynamoDbPerMillionWrites: 0.625,
    dynamoDbPerMillionReads: 0.125,
    eventBridgeCrossAccountPerMillionEvents: 1,
  },
} as const;

export type PriceName = keyof typeof PRICE_TABLE.prices;
