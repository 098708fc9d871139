import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { DELIVERY_STREAM_NAME, RECORD_PROCESSOR_NAME, SIEM_DELIVERY_STREAM_NAME, STREAM_NAME } from '../../tasks/lib/resource-names';

/** Alarm thresholds of the data path. */
export const DATA_PATH_THRESHOLDS = {
  /** Oldest record not yet delivered to S3, in seconds (Firehose buffers up to 60 s). */
  dataFreshnessSeconds: 900,
  /** Age of the oldest record Firehose has not read from the stream, in ms. */
  iteratorAgeMs: 300_000,
} as const;

/**
 * The data path's health metrics for one region, from wherever they are viewed: the pipeline
 * stack alarms on them in the logging account; the hub dashboard shows them across accounts.
 */
export function dataPathMetrics(region: string, account?: string) {
  const where = { region, ...(account ? { account } : {}) };
  const period = Duration.minutes(5);
  const firehose = (metricName: string, statistic: string) =>
    new cloudwatch.Metric({ namespace: 'AWS/Firehose', metricName, dimensionsMap: { DeliveryStreamName: DELIVERY_STREAM_NAME }, statistic, period, ...where });
  return {
    /** Share of S3 deliveries that succeeded (1 when all did). */
    deliverySuccess: firehose('DeliveryToS3.Success', 'Minimum'),
    dataFreshness: firehose('DeliveryToS3.DataFreshness', 'Maximum'),
    processingSuccess: firehose('ExecuteProcessing.Success', 'Minimum'),
    iteratorAge: new cloudwatch.Metric({
      namespace: 'AWS/Kinesis',
      metricName: 'GetRecords.IteratorAgeMilliseconds',
      dimensionsMap: { StreamName: STREAM_NAME },
      statistic: 'Maximum',
      period,
      ...where,
    }),
    /** Share of SIEM deliveries that succeeded, by the destination's own metric (https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html). */
    siemDeliverySuccess: (type: 'http' | 'splunk' | 'opensearch') =>
      new cloudwatch.Metric({
        namespace: 'AWS/Firehose',
        metricName: { http: 'DeliveryToHttpEndpoint.Success', splunk: 'DeliveryToSplunk.Success', opensearch: 'DeliveryToAmazonOpenSearchService.Success' }[
          type
        ],
        dimensionsMap: { DeliveryStreamName: SIEM_DELIVERY_STREAM_NAME },
        statistic: 'Minimum',
        period,
        ...where,
      }),
    processorErrors: new cloudwatch.Metric({
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensionsMap: { FunctionName: RECORD_PROCESSOR_NAME },
      statistic: 'Sum',
      period,
      ...where,
    }),
  };
}
