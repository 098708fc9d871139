/**
 * What kind of log a group holds, decided from its name, and the archive category it is
 * partitioned under. Pure; on the record processor's hot path, so the rules are tested in order once.
 */

export type LogSource = 'cloudtrail' | 'vpcflow' | 'route53-resolver' | 'eks-audit' | 'lambda' | 'rds' | 'api-gateway' | 'application' | 'heartbeat';

/**
 * The archive's partition below the account: few on purpose, because Firehose counts every
 * account x category x hour prefix against its active-partition quota.
 */
export type LogCategory = 'audit' | 'network' | 'application' | 'heartbeat';
export const LOG_CATEGORIES: readonly LogCategory[] = ['audit', 'network', 'application', 'heartbeat'];

/** The logging account's canary group, written every minute in each governed region (the heartbeat). */
export const HEARTBEAT_LOG_GROUP = '/tributary/heartbeat';

const SOURCE_RULES: ReadonlyArray<[RegExp, LogSource]> = [
  [/cloudtrail/i, 'cloudtrail'],
  [/flow-?logs?|vpc-?flow/i, 'vpcflow'],
  [/route53resolver|resolver-query/i, 'route53-resolver'],
  [/^\/aws\/eks\/.+\/cluster$/, 'eks-audit'],
  [/^\/aws\/lambda\//, 'lambda'],
  [/^\/aws\/rds\//, 'rds'],
  [/^API-Gateway-Execution-Logs_|^\/aws\/apigateway\//, 'api-gateway'],
];

const CATEGORY: Readonly<Record<LogSource, LogCategory>> = {
  cloudtrail: 'audit',
  'eks-audit': 'audit',
  vpcflow: 'network',
  'route53-resolver': 'network',
  lambda: 'application',
  rds: 'application',
  'api-gateway': 'application',
  application: 'application',
  heartbeat: 'heartbeat',
};

/**
 * The source of a group. The heartbeat is the exact canary group in the logging account only: a
 * member naming a group the same is an application like any other.
 */
export function logSourceOf(logGroup: string, owner?: string, loggingAccount?: string): LogSource {
  if (logGroup === HEARTBEAT_LOG_GROUP && owner !== undefined && owner === loggingAccount) return 'heartbeat';
  for (const [pattern, source] of SOURCE_RULES) if (pattern.test(logGroup)) return source;
  return 'application';
}

export function categoryOf(source: LogSource): LogCategory {
  return CATEGORY[source];
}
