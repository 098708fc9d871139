/**
 * `tributary cost`: a month of Tributary for an organization, from stated volumes, line by line:
 * each line is a quantity times a price of the dated table (bin/price-table.ts), so the arithmetic
 * can be checked. Pure; what the model assumes is returned with it, to print beside the total.
 */
import { TASK_MEMORY_MB } from '../infra/constructs/task-function';
import type { TributaryConfig } from '../tasks/lib/config';
import { HAND_BACK_AFTER_SECONDS, PAGE_INTERVAL_MS, PAGE_SIZE } from '../tasks/subscribe-log-groups-page';
import { EXPRESS_BILLED_MEMORY_GB, PRICE_TABLE, type PriceName } from './price-table';

export const HOURS_A_MONTH = 730;
export const DAYS_A_MONTH = HOURS_A_MONTH / 24;

export interface CostVolumes {
  /** Log volume per day, GB, by archive category, across the organization. */
  readonly gbPerDay: Readonly<Record<'audit' | 'network' | 'application', number>>;
  /** Log groups per account-region. */
  readonly logGroupsPerAccountRegion: number;
}

export interface CostLine {
  readonly service: string;
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly price: PriceName;
  /** quantity x the price. */
  readonly monthly: number;
}

export interface CostEstimate {
  readonly lines: readonly CostLine[];
  readonly total: number;
  readonly assumptions: readonly string[];
  readonly priceDate: string;
}

/** Output bytes per input byte of the archive after GZIP: the line format adds about 30%, GZIP keeps about an eighth of text logs. */
export const ARCHIVED_BYTES_PER_INPUT_BYTE = 0.16;
/** The record processor's throughput per invocation-second, MB of input (a conservative figure; `npm run bench` measures it). */
export const PROCESSOR_MB_PER_SECOND = 20;
const PROCESSOR_MEMORY_GB = 1.536;
const PROCESSOR_BATCH_MB = 0.2;
/** Firehose writes an object per active partition and buffer interval (60 s), or per 64 MB buffer. */
const FLUSHES_PER_HOUR = 60;
const S3_BUFFER_MB = 64;
/** Alarms Tributary deploys: about 50 in the hub, and 5 per governed region (the data path and the heartbeat). */
const HUB_ALARMS = 50;
const ALARMS_PER_REGION = 5;

export function estimateMonthlyCost(config: TributaryConfig, volumes: CostVolumes): CostEstimate {
  const regions = config.governedRegions.length;
  const accounts = config.archive.expectedAccounts;
  const accountRegions = accounts * regions;
  const gbDay = volumes.gbPerDay.audit + volumes.gbPerDay.network + volumes.gbPerDay.application;
  const gbMonth = gbDay * DAYS_A_MONTH;
  const archivedGbDay = gbDay * ARCHIVED_BYTES_PER_INPUT_BYTE;
  const lines: CostLine[] = [];
  const line = (service: string, item: string, quantity: number, unit: string, price: PriceName) =>
    lines.push({ service, item, quantity, unit, price, monthly: quantity * PRICE_TABLE.prices[price] });

  line('Kinesis Data Streams', 'on-demand streams (one per governed region)', regions * HOURS_A_MONTH, 'stream-hours', 'kinesisStreamHour');
  line('Kinesis Data Streams', 'data written', gbMonth, 'GB', 'kinesisIngestedGb');
  line('Kinesis Data Streams', 'data read by Firehose', gbMonth, 'GB', 'kinesisRetrievedGb');
  const extraHours = Math.max(0, Math.min(config.retention.streamHours, 168) - 24);
  if (extraHours > 0)
    line(
      'Kinesis Data Streams',
      `retention past 24 h (${config.retention.streamHours} h)`,
      gbDay * (extraHours / 24),
      'GB-months',
      'kinesisExtendedRetentionGbMonth',
    );
  line('Firehose', 'data ingested', gbMonth, 'GB', 'firehoseIngestedGb');
  line('Firehose', 'dynamic partitioning, data', gbMonth, 'GB', 'firehoseDynamicPartitioningGb');
  const categories = Object.values(volumes.gbPerDay).filter((gb) => gb > 0).length;
  // An upper bound: every account-category partition of every region flushes each buffer interval,
  // plus an object per 64 MB buffer filled.
  const objects = (accounts * categories * regions * FLUSHES_PER_HOUR + (gbMonth * 1024) / S3_BUFFER_MB / HOURS_A_MONTH) * HOURS_A_MONTH;
  line('Firehose', 'dynamic partitioning, objects delivered', objects / 1000, 'thousand objects', 'firehoseDynamicPartitioningPer1000Objects');
  line(
    'Lambda',
    'record processor compute (1,536 MB, arm64)',
    ((gbMonth * 1024) / PROCESSOR_MB_PER_SECOND) * PROCESSOR_MEMORY_GB,
    'GB-seconds',
    'lambdaGbSecond',
  );
  line('Lambda', 'record processor invocations', (gbMonth * 1024) / PROCESSOR_BATCH_MB / 1e6, 'million requests', 'lambdaPerMillionRequests');
  const standardDays = Math.min(config.retention.glacierAfterDays, config.retention.objectLockDays);
  const glacierDays = Math.max(0, config.retention.objectLockDays - config.retention.glacierAfterDays);
  line('S3', `archive in Standard (${standardDays} days, compressed)`, archivedGbDay * standardDays, 'GB-months', 's3StandardGbMonth');
  line(
    'S3',
    `archive in Glacier Flexible Retrieval (${glacierDays} more days, under Object Lock)`,
    archivedGbDay * glacierDays,
    'GB-months',
    's3GlacierFlexibleGbMonth',
  );
  line('S3', 'objects written', objects / 1000, 'thousand PUTs', 's3PutPer1000');
  if (glacierDays > 0) line('S3', 'transitions to Glacier', objects / 1000, 'thousand transitions', 's3GlacierTransitionPer1000');
  // The archive key, the digest signing key, and each region's stream key (and the trail's).
  line('KMS', 'customer-managed keys', 2 + regions + (config.cloudTrail === 'create' ? 1 : 0), 'key-months', 'kmsKeyMonth');
  // S3 Bucket Keys and Kinesis reuse their data keys: about one request a minute per stream and per bucket.
  line(
    'KMS',
    'requests (data keys reused by S3 Bucket Keys and Kinesis)',
    ((regions + 1) * HOURS_A_MONTH * 60) / 10000,
    'ten-thousand requests',
    'kmsPer10000Requests',
  );
  if (config.flowLogs.enabled && config.flowLogs.destination === 'log-group')
    line('CloudWatch', 'VPC flow logs delivered to CloudWatch Logs (vended logs)', volumes.gbPerDay.network * DAYS_A_MONTH, 'GB', 'cloudWatchVendedLogsGb');
  line('CloudWatch', 'alarms', HUB_ALARMS + ALARMS_PER_REGION * regions, 'alarm-months', 'cloudWatchAlarmMonth');
  line('CloudWatch', 'the Tributary dashboard', 1, 'dashboard-months', 'cloudWatchDashboardMonth');
  // A no-drift daily reconcile, as `npm run bench` measured it: about 24 Standard transitions per
  // account-region; each account's log groups walked by an Express run of pages a second apart (one
  // run per hand-back), each page a Lambda invocation of about 0.1 s serving all its regions.
  const pages = Math.ceil(volumes.logGroupsPerAccountRegion / PAGE_SIZE);
  const expressSeconds = (pages * PAGE_INTERVAL_MS) / 1000;
  line(
    'Step Functions',
    'daily reconcile (no drift) state transitions',
    (accountRegions * 24 * DAYS_A_MONTH) / 1000,
    'thousand transitions',
    'stepFunctionsPer1000Transitions',
  );
  line(
    'Step Functions',
    'daily reconcile (no drift): Express page loops, runs',
    (accounts * Math.max(1, Math.ceil(expressSeconds / HAND_BACK_AFTER_SECONDS)) * DAYS_A_MONTH) / 1e6,
    'million requests',
    'stepFunctionsExpressPerMillionRequests',
  );
  line(
    'Step Functions',
    'daily reconcile (no drift): Express page loops, duration at 64 MB',
    accounts * expressSeconds * EXPRESS_BILLED_MEMORY_GB * DAYS_A_MONTH,
    'GB-seconds',
    'stepFunctionsExpressGbSecond',
  );
  line('Lambda', 'daily reconcile (no drift): log-group pages', (accounts * pages * DAYS_A_MONTH) / 1e6, 'million requests', 'lambdaPerMillionRequests');
  line(
    'Lambda',
    `daily reconcile (no drift): log-group pages, duration at ${TASK_MEMORY_MB} MB`,
    accounts * pages * 0.1 * (TASK_MEMORY_MB / 1024) * DAYS_A_MONTH,
    'GB-seconds',
    'lambdaGbSecond',
  );
  // New log groups, VPCs and the odd tamper call: about 300 forwarded events per account-region a month.
  line('EventBridge', 'events forwarded to the hub bus', (accountRegions * 300) / 1e6, 'million events', 'eventBridgeCrossAccountPerMillionEvents');

  const total = lines.reduce((sum, l) => sum + l.monthly, 0);
  return {
    lines,
    total,
    priceDate: PRICE_TABLE.date,
    assumptions: [
      `${accounts} accounts (archive.expectedAccounts) x ${regions} governed regions, ${volumes.logGroupsPerAccountRegion} log groups each`,
      `logs: ${volumes.gbPerDay.audit} GB/day audit, ${volumes.gbPerDay.network} network, ${volumes.gbPerDay.application} application (${gbDay} GB/day)`,
      `archived bytes after the line format and GZIP: ${ARCHIVED_BYTES_PER_INPUT_BYTE} of the input; kept ${config.retention.objectLockDays} days (Object Lock), Glacier after ${config.retention.glacierAfterDays}`,
      `record processor: ${PROCESSOR_MB_PER_SECOND} MB of input per invocation-second (conservative; npm run bench measures it)`,
      'objects: every account-category partition of every region delivers an object each minute (an upper bound: quiet accounts deliver fewer); small objects make the Glacier transitions a large share',
      `prices: ${PRICE_TABLE.region} list prices recorded ${PRICE_TABLE.date} (bin/price-table.ts); other regions differ. Not included: GuardDuty, CloudTrail (a trail of your own: the first copy of management events is free), the member accounts' own CloudWatch Logs ingestion, data transfer between regions`,
    ],
  };
}
