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
/** `{"version":`, `,"accountId":`, ...: written once, not per line. */
const FLOW_KEYS = FLOW_FIELDS.map((name, i) => `${i === 0 ? '{' : ','}"${name}":`);
const FLOW_IS_NUMERIC = FLOW_FIELDS.map((name) => FLOW_NUMERIC.has(name));

/** Digits only (a flow log count or port). */
function isDigits(text: string, from: number, to: number): boolean {
  if (from === to) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Safe inside a JSON string without escaping: printable ASCII other than " and \. */
function isPlain(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 || c > 126 || c === 34 || c === 92) return false;
  }
  return true;
}

/**
 * A default-format flow log line as JSON object text, or undefined when it is not one. One pass
 * over the line: this runs for every flow log event, the bulk of the data path's volume.
 */
export function flowLogJson(message: string): string | undefined {
  if (message.charCodeAt(0) !== 50 /* 2 */ || message.charCodeAt(1) !== 32) return undefined;
  let json = '';
  let from = 0;
  const end = message.length - (message.endsWith('\n') ? 1 : 0);
  for (let field = 0; field < FLOW_FIELDS.length; field++) {
    const space = message.indexOf(' ', from);
    const last = field === FLOW_FIELDS.length - 1;
    if (last ? space !== -1 && space < end : space === -1) return undefined;
    const to = last ? end : space;
    let value: string;
    if (to - from === 1 && message.charCodeAt(from) === 45 /* - */) value = 'null';
    else if (FLOW_IS_NUMERIC[field]) {
      if (!isDigits(message, from, to)) return undefined;
      value = message.slice(from, to);
    } else {
      const raw = message.slice(from, to);
      value = isPlain(message, from, to) ? `"${raw}"` : JSON.stringify(raw);
    }
    json += FLOW_KEYS[field] + value;
    from = to + 1;
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
