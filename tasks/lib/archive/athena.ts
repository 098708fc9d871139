/**
 * The archive as an Athena table: the line format's columns (docs/log-line.schema.json), partition
 * projection on every level of the Firehose prefix (archive-layout.ts), and the queries an
 * investigator needs first. Pure data: the stack deploys it, a test parses every query and checks
 * each column it names exists.
 */
import type { ArchivePartitioning } from '../data-path/archive-layout';
import { LOG_CATEGORIES } from '../data-path/log-source';

export const ATHENA_DATABASE = 'tributary_archive';
export const ATHENA_TABLE = 'logs';
export const ATHENA_WORKGROUP = 'tributary';

/**
 * How Athena reads a line: the Hive JSON SerDe. Athena warns that the OpenX JSON SerDe's results
 * "can be non-deterministic" (more rows, fewer rows, or nulls that are not in the data) and
 * recommends the Hive JSON SerDe (https://docs.aws.amazon.com/athena/latest/ug/openx-json-serde.html):
 * for forensics, a query must read exactly what is stored. It has no properties to set; it matches
 * keys to the (lower-case) columns ignoring case and refuses a line with duplicate keys.
 */
export const LINE_SERDE = { serializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe', parameters: {} } as const;

/** The line format's fields, as lower-case columns (the SerDe matches keys to them ignoring case). */
export const LINE_COLUMNS: ReadonlyArray<{ readonly name: string; readonly type: string; readonly comment: string }> = [
  { name: 'timestamp', type: 'bigint', comment: 'event time, ms since the epoch' },
  { name: 'loggroup', type: 'string', comment: 'the log group (logGroup)' },
  { name: 'logstream', type: 'string', comment: 'the log stream (logStream)' },
  { name: 'id', type: 'string', comment: 'the CloudWatch Logs event id' },
  { name: 'message', type: 'string', comment: 'the raw message' },
  { name: 'messagebase64', type: 'string', comment: 'the raw message, base64, when its JSON form passes 1 MiB (messageBase64)' },
  { name: 'invalid', type: 'string', comment: 'why an event was not a CloudWatch Logs event' },
  { name: 'event', type: 'string', comment: 'such an event, as received' },
  { name: 'eventbase64', type: 'string', comment: 'such an event, base64 (eventBase64)' },
  { name: 'backfilled', type: 'boolean', comment: 'true on history the backfill archived, null on live delivery' },
];

/** Partition keys, in the order of the key's levels. */
export function partitionColumns(partitioning: ArchivePartitioning): Array<{ readonly name: string; readonly type: string }> {
  return [
    { name: 'region', type: 'string' },
    { name: 'account', type: 'string' },
    ...(partitioning === 'account-category' ? [{ name: 'category', type: 'string' }] : []),
    { name: 'hour', type: 'string' },
  ];
}

/**
 * Partition projection: no crawler, no MSCK REPAIR. `account` is injected: queries name the
 * accounts they read (`account = '...'` or `account IN (...)`), as Athena requires of injected
 * keys (https://docs.aws.amazon.com/athena/latest/ug/partition-projection-dynamic-id-partitioning.html).
 */
export function projectionProperties(bucket: string, regions: readonly string[], partitioning: ArchivePartitioning): Record<string, string> {
  const category = partitioning === 'account-category' ? 'category=${category}/' : '';
  return {
    'projection.enabled': 'true',
    'projection.region.type': 'enum',
    'projection.region.values': regions.join(','),
    'projection.account.type': 'injected',
    ...(partitioning === 'account-category' ? { 'projection.category.type': 'enum', 'projection.category.values': LOG_CATEGORIES.join(',') } : {}),
    'projection.hour.type': 'date',
    'projection.hour.format': 'yyyy/MM/dd/HH',
    'projection.hour.range': '2024/01/01/00,NOW',
    'projection.hour.interval': '1',
    'projection.hour.interval.unit': 'HOURS',
    'storage.location.template': `s3://${bucket}/logs/region=\${region}/account=\${account}/${category}\${hour}/`,
  };
}

export interface NamedQuery {
  readonly name: string;
  readonly description: string;
  readonly sql: string;
}

const table = `${ATHENA_DATABASE}.${ATHENA_TABLE}`;

/** Replace the values in angle brackets; hours are `yyyy/MM/dd/HH` (arrival hour, UTC). */
export function namedQueries(partitioning: ArchivePartitioning): NamedQuery[] {
  const audit = partitioning === 'account-category' ? "category = 'audit' AND " : '';
  const network = partitioning === 'account-category' ? "category = 'network' AND " : '';
  return [
    {
      name: 'CloudTrail events of one principal across the organization',
      description: 'Every CloudTrail event by one principal ARN, in every listed account, in a time window',
      sql: `SELECT region, account, from_unixtime(timestamp / 1000) AS event_time, json_extract_scalar(message, '$.eventSource') AS event_source, json_extract_scalar(message, '$.eventName') AS event_name, json_extract_scalar(message, '$.sourceIPAddress') AS source_ip FROM ${table} WHERE ${audit}account IN ('<account-1>', '<account-2>') AND hour BETWEEN '<yyyy/MM/dd/HH>' AND '<yyyy/MM/dd/HH>' AND json_extract_scalar(message, '$.userIdentity.arn') = '<principal-arn>' ORDER BY event_time`,
    },
    {
      name: 'Rejected VPC flows to one address',
      description: 'Default-format flow log records with action REJECT whose destination is one IP address',
      sql: `SELECT region, account, logstream, split_part(message, ' ', 4) AS source_address, split_part(message, ' ', 6) AS source_port, split_part(message, ' ', 7) AS destination_port, from_unixtime(CAST(split_part(message, ' ', 11) AS bigint)) AS flow_start FROM ${table} WHERE ${network}account IN ('<account-1>') AND hour BETWEEN '<yyyy/MM/dd/HH>' AND '<yyyy/MM/dd/HH>' AND split_part(message, ' ', 5) = '<destination-ip>' AND split_part(message, ' ', 13) = 'REJECT'`,
    },
    {
      name: 'Console logins without MFA',
      description: 'ConsoleLogin CloudTrail events whose MFAUsed is No',
      sql: `SELECT region, account, from_unixtime(timestamp / 1000) AS event_time, json_extract_scalar(message, '$.userIdentity.arn') AS principal, json_extract_scalar(message, '$.sourceIPAddress') AS source_ip, json_extract_scalar(message, '$.responseElements.ConsoleLogin') AS outcome FROM ${table} WHERE ${audit}account IN ('<account-1>', '<account-2>') AND hour BETWEEN '<yyyy/MM/dd/HH>' AND '<yyyy/MM/dd/HH>' AND json_extract_scalar(message, '$.eventName') = 'ConsoleLogin' AND json_extract_scalar(message, '$.additionalEventData.MFAUsed') = 'No'`,
    },
    {
      name: 'Everything of one account in one hour',
      description: 'Every archived line of one account that arrived in one hour, all regions',
      sql: `SELECT region, loggroup, logstream, from_unixtime(timestamp / 1000) AS event_time, id, message, invalid FROM ${table} WHERE account = '<account>' AND hour = '<yyyy/MM/dd/HH>' ORDER BY timestamp`,
    },
  ];
}
