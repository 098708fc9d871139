/**
 * What kind of log a group holds, decided from its name, and the parsed fields of the formats
 * we know. Pure; on the record processor's hot path, so the rules are tested in order once.
 */

export type LogSource = 'cloudtrail' | 'vpcflow' | 'route53-resolver' | 'eks-audit' | 'lambda' | 'rds' | 'api-gateway' | 'application';

const SOURCE_RULES: ReadonlyArray<[RegExp, LogSource]> = [
  [/cloudtrail/i, 'cloudtrail'],
  [/flow-?logs?|vpc-?flow|^\/tributary\/flow-logs/i, 'vpcflow'],
  [/route53resolver|resolver-query/i, 'route53-resolver'],
  [/^\/aws\/eks\/.+\/cluster$/, 'eks-audit'],
  [/^\/aws\/lambda\//, 'lambda'],
  [/^\/aws\/rds\//, 'rds'],
  [/^API-Gateway-Execution-Logs_|^\/aws\/apigateway\//, 'api-gateway'],
];

export function logSourceOf(logGroup: string): LogSource {
  for (const [pattern, source] of SOURCE_RULES) if (pattern.test(logGroup)) return source;
  return 'application';
}

/** VPC flow log default format, version 2 (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html). */
const FLOW_FIELDS = ['version', 'accountId', 'interfaceId', 'srcAddr', 'dstAddr', 'srcPort', 'dstPort', 'protocol', 'packets', 'bytes', 'start', 'end', 'action', 'logStatus'] as const;
const FLOW_NUMERIC = new Set(['version', 'srcPort', 'dstPort', 'protocol', 'packets', 'bytes', 'start', 'end']);

export function parseFlowLogLine(message: string): Record<string, string | number | null> | undefined {
  const parts = message.trim().split(' ');
  if (parts.length !== FLOW_FIELDS.length || parts[0] !== '2') return undefined;
  const parsed: Record<string, string | number | null> = {};
  FLOW_FIELDS.forEach((name, i) => {
    const raw = parts[i]!;
    parsed[name] = raw === '-' ? null : FLOW_NUMERIC.has(name) ? Number(raw) : raw;
  });
  return parsed;
}

/** The parsed form of a message whose format the source tells us, or undefined. */
export function parseMessage(source: LogSource, message: string): unknown {
  if (source === 'vpcflow') return parseFlowLogLine(message);
  if (source === 'cloudtrail' || source === 'eks-audit') {
    if (message.charCodeAt(0) !== 123 /* { */) return undefined;
    try {
      return JSON.parse(message);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
