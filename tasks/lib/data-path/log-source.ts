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
const FLOW_NUMERIC = new Set<string>(['version', 'srcPort', 'dstPort', 'protocol', 'packets', 'bytes', 'start', 'end']);
const NUMBER = /^\d+$/;
/** Characters that would need escaping in a JSON string: flow log fields never have them. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

/** A default-format flow log line as a JSON object text, or undefined when it is not one. */
export function flowLogJson(message: string): string | undefined {
  const parts = message.trim().split(' ');
  if (parts.length !== FLOW_FIELDS.length || parts[0] !== '2') return undefined;
  let json = '{';
  for (let i = 0; i < FLOW_FIELDS.length; i++) {
    const name = FLOW_FIELDS[i]!;
    const raw = parts[i]!;
    let value: string;
    if (raw === '-') value = 'null';
    else if (FLOW_NUMERIC.has(name)) {
      if (!NUMBER.test(raw)) return undefined;
      value = raw;
    } else value = NEEDS_ESCAPE.test(raw) ? JSON.stringify(raw) : `"${raw}"`;
    json += `${i === 0 ? '' : ','}"${name}":${value}`;
  }
  return `${json}}`;
}

/**
 * The parsed form of a message whose format the source tells us, as JSON text to embed, or
 * undefined. JSON messages are validated and embedded as they are, not re-serialized.
 */
export function parsedJson(source: LogSource, message: string): string | undefined {
  if (source === 'vpcflow') return flowLogJson(message);
  if (source === 'cloudtrail' || source === 'eks-audit') {
    if (message.charCodeAt(0) !== 123 /* { */) return undefined;
    try {
      JSON.parse(message);
      return message;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
