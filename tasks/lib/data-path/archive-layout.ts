/**
 * Where Firehose writes each line in the archive: the object key's layout, and the bound it puts
 * on Firehose's active partitions. One place, read by the processor (which keys it returns), the
 * stacks (the prefix), the config check and the bench.
 */
import { InvalidInputError } from '../errors';
import { LOG_CATEGORIES } from './log-source';

/**
 * `account-category`: logs/region=R/account=A/category=C/yyyy/MM/dd/HH/ (queries prune by kind of
 * log); `account`: logs/region=R/account=A/yyyy/MM/dd/HH/, for organizations too large for the
 * first layout within Firehose's quota.
 */
export type ArchivePartitioning = 'account-category' | 'account';
export const ARCHIVE_PARTITIONINGS: readonly ArchivePartitioning[] = ['account-category', 'account'];

export function parseArchivePartitioning(value: unknown, field: string): ArchivePartitioning {
  if (!ARCHIVE_PARTITIONINGS.includes(value as ArchivePartitioning))
    throw new InvalidInputError(field, value, `is not one of ${ARCHIVE_PARTITIONINGS.join(', ')}`);
  return value as ArchivePartitioning;
}

/** Firehose's active partitions per stream: 500 by default, 5,000 at most on request (https://docs.aws.amazon.com/firehose/latest/dev/buffering.html). */
export const DEFAULT_ACTIVE_PARTITION_QUOTA = 500;
export const MAX_ACTIVE_PARTITION_QUOTA = 5000;

/** Failed records, by Firehose's error type (processing-failed, activePartitionExceeded, ...) and arrival hour. */
export const ARCHIVE_ERROR_PREFIX = 'errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/';

/**
 * The hour is the records' arrival at Firehose (the `timestamp` namespace: the approximate arrival
 * of the oldest record in the object, https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html),
 * never an event's own time: a member cannot open partitions for past hours by writing old
 * timestamps, and late events land in the hour they arrive.
 */
export function archivePrefix(region: string, partitioning: ArchivePartitioning): string {
  const category = partitioning === 'account-category' ? 'category=!{partitionKeyFromLambda:category}/' : '';
  return `logs/region=${region}/account=!{partitionKeyFromLambda:account}/${category}!{timestamp:yyyy/MM/dd/HH}/`;
}

/** The partition keys the processor returns for a record: exactly those the prefix uses. */
export function partitionKeys(partitioning: ArchivePartitioning, account: string, category: string): Record<string, string> {
  return partitioning === 'account-category' ? { account, category } : { account };
}

/**
 * The most partitions one region's stream can have active at once. A partition is active from
 * its first record until its buffer is delivered (60 s, up to 1.5 times that), so near the top of
 * an hour the last hour's partitions are still active beside the new hour's: twice the
 * accounts x categories. The heartbeat is one more category, of the logging account only.
 */
export function activePartitionBound(accounts: number, partitioning: ArchivePartitioning): number {
  const perHour = partitioning === 'account-category' ? accounts * (LOG_CATEGORIES.length - 1) + 1 : accounts;
  return perHour * 2;
}
