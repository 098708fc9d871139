/**
 * Task `ProcessLogRecords`: the Firehose transformation Lambda of the data path. Re-ingestion goes
 * to the Kinesis stream the records came from (the event's `sourceKinesisStreamArn`). The region
 * is not read: each region's stream writes under a prefix naming its own region.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { parseArchivePartitioning, type ArchivePartitioning } from './lib/data-path/archive-layout';
import { parseAccountId } from './lib/domain';
import { KnownAccountsCache, readOrganizationAccounts } from './lib/organization-accounts';
import { transformRecords, type PutRecordsPort, type TransformOptions, type TransformResult } from './lib/data-path/transform';

/** Names the logging account to the processor (its heartbeat group is the canary). */
export const LOGGING_ACCOUNT_VARIABLE = 'TRIBUTARY_LOGGING_ACCOUNT';
/** The archive's key layout (archive-layout.ts), set by the stack from the config. */
export const PARTITIONING_VARIABLE = 'TRIBUTARY_ARCHIVE_PARTITIONING';
/** The hub's table (ARN) with the organization's accounts (lib/organization-accounts.ts). */
export const ACCOUNTS_TABLE_VARIABLE = 'TRIBUTARY_ORGANIZATION_ACCOUNTS_TABLE';

/** PutRecords to one stream, answering each entry's error code (undefined when accepted). */
export function kinesisPutRecords(kinesis: KinesisClient, streamArn: string): PutRecordsPort {
  return async (entries) => {
    const { Records = [] } = await kinesis.send(
      new PutRecordsCommand({ StreamARN: streamArn, Records: entries.map((e) => ({ Data: e.data, PartitionKey: e.partitionKey })) }),
    );
    return entries.map((_, i) => Records[i]?.ErrorCode ?? (Records[i] ? undefined : 'NoResult'));
  };
}

export interface ProcessorDeps {
  readonly kinesis: KinesisClient;
  readonly logger: Logger;
  readonly loggingAccount?: string;
  readonly partitioning?: ArchivePartitioning;
  /** The organization's accounts, refreshed from the hub. @default no owner check */
  readonly knownAccounts?: KnownAccountsCache;
  /** Which consumer this processor serves, and what it takes and writes. @default the archive's: everything, as archive lines */
  readonly consumer?: Pick<TransformOptions, 'consumer' | 'selection' | 'render' | 'partitioned'>;
}

export async function processLogRecords(
  event: FirehoseTransformationEvent & { sourceKinesisStreamArn?: string },
  deps: ProcessorDeps,
): Promise<TransformResult> {
  const knownAccounts = await deps.knownAccounts?.get();
  const result = await transformRecords(event.records, {
    ...deps.consumer,
    ...(knownAccounts ? { knownAccounts } : {}),
    ...(deps.loggingAccount ? { loggingAccount: deps.loggingAccount } : {}),
    ...(deps.partitioning ? { partitioning: deps.partitioning } : {}),
    ...(event.sourceKinesisStreamArn ? { putRecords: kinesisPutRecords(deps.kinesis, event.sourceKinesisStreamArn) } : {}),
  });
  for (const { recordId, reason } of result.report.failed) deps.logger.error('record failed', { recordId, reason });
  for (const { recordId, reason } of result.report.invalidSamples) deps.logger.warn('invalid log event kept as an invalid line', { recordId, reason });
  deps.logger.info('batch processed', { ...result.report, failed: result.report.failed.length, invalidSamples: undefined });
  return result;
}

/** The dependencies of a processor in AWS, from its environment; `consumer` says which stream consumer it serves. */
export function processorDeps(serviceName: string, consumer?: ProcessorDeps['consumer']): ProcessorDeps {
  const logger = new Logger({ serviceName });
  const table = process.env[ACCOUNTS_TABLE_VARIABLE];
  const dynamo = new DynamoDBClient({ region: table?.split(':')[3] });
  return {
    kinesis: new KinesisClient({}),
    logger,
    ...(table
      ? {
          knownAccounts: new KnownAccountsCache(
            () => readOrganizationAccounts(dynamo, table),
            Date.now,
            300_000,
            (error) => logger.error("the organization's accounts could not be read; the last list stays", { error }),
          ),
        }
      : {}),
    loggingAccount: parseAccountId(process.env[LOGGING_ACCOUNT_VARIABLE], LOGGING_ACCOUNT_VARIABLE),
    ...(consumer ? { consumer } : { partitioning: parseArchivePartitioning(process.env[PARTITIONING_VARIABLE], PARTITIONING_VARIABLE) }),
  };
}

let deps: ProcessorDeps | undefined;

export async function handler(event: FirehoseTransformationEvent): Promise<FirehoseTransformationResult> {
  deps ??= processorDeps('tributary-record-processor');
  return { records: (await processLogRecords(event, deps)).records };
}
