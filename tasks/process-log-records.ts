/**
 * Task `ProcessLogRecords`: the Firehose transformation Lambda of the data path. Re-ingestion goes
 * to the Kinesis stream the records came from (the event's `sourceKinesisStreamArn`).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { transformRecords, type PutRecordsPort, type TransformResult } from './lib/data-path/transform';

/** PutRecords to one stream, answering each entry's error code (undefined when accepted). */
export function kinesisPutRecords(kinesis: KinesisClient, streamArn: string): PutRecordsPort {
  return async (entries) => {
    const { Records = [] } = await kinesis.send(new PutRecordsCommand({ StreamARN: streamArn, Records: entries.map((e) => ({ Data: e.data, PartitionKey: e.partitionKey })) }));
    return entries.map((_, i) => Records[i]?.ErrorCode ?? (Records[i] ? undefined : 'NoResult'));
  };
}

export async function processLogRecords(event: FirehoseTransformationEvent & { sourceKinesisStreamArn?: string }, deps: { kinesis: KinesisClient; region: string; logger: Logger }): Promise<TransformResult> {
  const result = await transformRecords(event.records, {
    region: deps.region,
    ...(event.sourceKinesisStreamArn ? { putRecords: kinesisPutRecords(deps.kinesis, event.sourceKinesisStreamArn) } : {}),
  });
  for (const { recordId, reason } of result.report.failed) deps.logger.error('record failed', { recordId, reason });
  deps.logger.info('batch processed', { ...result.report, failed: result.report.failed.length });
  return result;
}

let deps: { kinesis: KinesisClient; region: string; logger: Logger } | undefined;

export async function handler(event: FirehoseTransformationEvent): Promise<FirehoseTransformationResult> {
  deps ??= { kinesis: new KinesisClient({}), region: process.env.AWS_REGION ?? 'unknown', logger: new Logger({ serviceName: 'tributary-record-processor' }) };
  return { records: (await processLogRecords(event, deps)).records };
}
