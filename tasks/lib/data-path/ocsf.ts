/**
 * Archive lines as OCSF 1.1.0 events, for a SIEM's detection rules (https://schema.ocsf.io/1.1.0):
 * CloudTrail to API Activity (6003), console logins to Authentication (3002), VPC flow logs (the
 * default v2 format and custom formats that start with version 3-5 fields in AWS's order) to
 * Network Activity (4001), Route 53 Resolver query logs to DNS Activity (4003), EKS audit events to
 * API Activity, and everything else to the Base Event (0) with the message as it is. Every event
 * keeps the raw message byte for byte in `raw_data` and Tributary's own fields: the account and
 * region in `cloud`, the log group in `metadata.log_name`, the event id in `metadata.uid`.
 * A mapper never throws: it reads the record only through the guards below (str, obj, int, time),
 * so a shape it does not know becomes a Base Event, or a field absent.
 */

/** One archived log event, with what the archive key says about it. */
export interface ArchivedEvent {
  readonly account: string;
  readonly region: string;
  readonly logGroup: string;
  readonly logStream: string;
  readonly id: string;
  /** ms since the epoch, as CloudWatch Logs stamped it. */
  readonly timestamp: number;
  readonly message: string;
}

export type OcsfEvent = Record<string, unknown>;

const OCSF_VERSION = '1.1.0';
const SEVERITY_INFORMATIONAL = 1;

type Json = Record<string, unknown>;

/** The message as a JSON object. CloudTrail and the other JSON sources write none with leading whitespace, and text starting with `{` that parses is an object. */
function parseObject(text: string): Json | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const int = (value: unknown): number | undefined => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) ? n : undefined;
};
const time = (value: unknown, fallback: number): number => {
  const parsed = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(parsed) ? parsed : fallback;
};
/** An object without its undefined fields: OCSF has no nulls for absent attributes. */
const defined = (o: Json): Json => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function envelope(
  e: ArchivedEvent,
  product: string,
  classUid: number,
  activityId: number,
  eventTime: number,
  profiles: readonly string[] = ['cloud'],
): OcsfEvent {
  return {
    class_uid: classUid,
    category_uid: Math.floor(classUid / 1000),
    activity_id: activityId,
    type_uid: classUid * 100 + activityId,
    severity_id: SEVERITY_INFORMATIONAL,
    time: eventTime,
    metadata: {
      version: OCSF_VERSION,
      product: { name: product, vendor_name: 'AWS' },
      profiles: [...profiles],
      log_name: e.logGroup,
      log_provider: 'Amazon CloudWatch Logs',
      uid: e.id,
      original_time: new Date(e.timestamp).toISOString(),
    },
    cloud: { provider: 'AWS', region: e.region, account: { uid: e.account } },
    raw_data: e.message,
  };
}

/** The CRUD activity an API name implies (API Activity's activity_id). */
export function apiActivity(operation: string): number {
  if (/^(Create|Put|Run|Start|Add|Register|Import|Enable|Associate|Attach|Allocate|Request|Invoke|Post|Send|Publish|Copy|Upload|Issue)/.test(operation))
    return 1;
  if (
    /^(Get|List|Describe|Head|Lookup|Search|Query|Scan|Select|Batch(Get|Check)|Check|Decrypt|Verify|Assume|Generate|Simulate|Test|Preview|Validate|Download|Filter|Estimate)/.test(
      operation,
    )
  )
    return 2;
  if (
    /^(Update|Modify|Set|Change|Replace|Reset|Rotate|Tag|Untag|Edit|Encrypt|Reencrypt|Restore|Apply|Accept|Reboot|Stop|Enable|Disable|Configure|Migrate)/.test(
      operation,
    )
  )
    return 3;
  if (/^(Delete|Remove|Terminate|Detach|Deregister|Disassociate|Revoke|Release|Cancel|Purge|Destroy|Deactivate|Reject|Abort|Unsubscribe|Drop)/.test(operation))
    return 4;
  return 99;
}

function cloudTrail(e: ArchivedEvent, record: Json, eventName: string): OcsfEvent {
  const identity = obj(record.userIdentity);
  const failed = str(record.errorCode);
  const user = defined({
    uid: str(identity.principalId),
    // A service calling on its own names no principal: the service is who it is.
    name: str(obj(obj(identity.sessionContext).sessionIssuer).userName) ?? str(identity.userName) ?? str(identity.arn) ?? str(identity.invokedBy) ?? 'unknown',
    type: str(identity.type),
    account: str(identity.accountId) ? { uid: str(identity.accountId) } : undefined,
    credential_uid: str(identity.accessKeyId),
  });
  const base = envelope(e, 'CloudTrail', 0, 0, time(record.eventTime, e.timestamp));
  const status = failed
    ? { status_id: 2, status: 'Failure', status_code: failed, status_detail: str(record.errorMessage) }
    : { status_id: 1, status: 'Success' };
  const src = defined({ ip: str(record.sourceIPAddress), svc_name: str(record.sourceIPAddress) ? undefined : 'unknown' });
  if (eventName === 'ConsoleLogin') {
    const outcome = str(obj(record.responseElements).ConsoleLogin);
    const loginFailed = outcome === 'Failure' || failed !== undefined;
    return defined({
      ...base,
      class_uid: 3002,
      category_uid: 3,
      activity_id: 1,
      type_uid: 300201,
      user,
      service: { name: str(record.eventSource) },
      src_endpoint: src,
      is_mfa: str(obj(record.additionalEventData).MFAUsed) === 'Yes',
      status_id: loginFailed ? 2 : 1,
      status: loginFailed ? 'Failure' : 'Success',
      status_detail: loginFailed ? (str(record.errorMessage) ?? outcome) : undefined,
    });
  }
  const activity = apiActivity(eventName);
  return defined({
    ...base,
    class_uid: 6003,
    category_uid: 6,
    activity_id: activity,
    type_uid: 600300 + activity,
    api: defined({
      operation: eventName,
      service: str(record.eventSource) ? { name: str(record.eventSource) } : undefined,
      request: str(record.requestID) ? { uid: str(record.requestID) } : undefined,
      version: str(record.eventVersion),
    }),
    actor: defined({ user, invoked_by: str(identity.invokedBy) }),
    src_endpoint: src,
    ...status,
  });
}

function eksAudit(e: ArchivedEvent, record: Json): OcsfEvent {
  const verb = str(record.verb) ?? 'unknown';
  const activity =
    verb === 'create'
      ? 1
      : verb === 'get' || verb === 'list' || verb === 'watch'
        ? 2
        : verb === 'update' || verb === 'patch'
          ? 3
          : verb === 'delete' || verb === 'deletecollection'
            ? 4
            : 99;
  const userInfo = obj(record.user);
  const objectRef = obj(record.objectRef);
  const sourceIps = Array.isArray(record.sourceIPs) ? record.sourceIPs.filter((ip): ip is string => typeof ip === 'string') : [];
  const code = int(obj(record.responseStatus).code);
  return defined({
    ...envelope(e, 'Amazon EKS', 6003, activity, time(record.requestReceivedTimestamp, e.timestamp)),
    api: defined({ operation: verb, request: str(record.auditID) ? { uid: str(record.auditID) } : undefined, version: str(record.apiVersion) }),
    actor: { user: defined({ name: str(userInfo.username) ?? 'unknown', uid: str(userInfo.uid) }) },
    src_endpoint: sourceIps[0] ? { ip: sourceIps[0] } : { svc_name: 'unknown' },
    resources:
      str(objectRef.name) || str(objectRef.resource)
        ? [defined({ name: str(objectRef.name) ?? str(objectRef.resource), type: str(objectRef.resource), namespace: str(objectRef.namespace) })]
        : undefined,
    status_id: code === undefined ? 0 : code < 400 ? 1 : 2,
    status_code: code === undefined ? undefined : String(code),
  });
}

/**
 * Route 53 Resolver's rcodes by name (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-query-logs-format.html),
 * numbered as RFC 1035 and RFC 6895 number them.
 */
const RCODES: ReadonlyMap<string, number> = new Map([
  ['NOERROR', 0],
  ['FORMERR', 1],
  ['SERVFAIL', 2],
  ['NXDOMAIN', 3],
  ['NOTIMP', 4],
  ['REFUSED', 5],
]);

function route53(e: ArchivedEvent, record: Json, hostname: string): OcsfEvent {
  const answers = Array.isArray(record.answers)
    ? record.answers
        .map((a) => obj(a))
        .filter((a) => str(a.Rdata))
        .map((a) => defined({ rdata: str(a.Rdata), type: str(a.Type), class: str(a.Class) }))
    : [];
  const rcode = str(record.rcode);
  return defined({
    ...envelope(e, 'Route 53 Resolver', 4003, 2, time(record.query_timestamp, e.timestamp)),
    query: defined({ hostname, type: str(record.query_type), class: str(record.query_class) }),
    answers: answers.length > 0 ? answers : undefined,
    // A map, not an object: a member's rcode `constructor` or `__proto__` must not find Object's own properties.
    rcode_id: (rcode && RCODES.get(rcode)) ?? 99,
    rcode,
    src_endpoint: str(record.srcaddr) ? defined({ ip: str(record.srcaddr), port: int(record.srcport) }) : { svc_name: 'unknown' },
  });
}

/**
 * The default format's fields (version 2), and the v3-v5 fields in the order AWS lists them
 * (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html).
 */
const FLOW_FIELDS_V2 = [
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
];
const FLOW_FIELDS_V5 = [
  'version',
  'account-id',
  'interface-id',
  'vpc-id',
  'subnet-id',
  'instance-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
  'tcp-flags',
  'type',
  'pkt-srcaddr',
  'pkt-dstaddr',
  'region',
  'az-id',
  'sublocation-type',
  'sublocation-id',
  'flow-direction',
  'traffic-path',
];
/** An IPv4 address, or anything with a colon (IPv6). */
const IP = /^(\d{1,3}\.){3}\d{1,3}$|:/;

function flowLog(e: ArchivedEvent, fields: readonly string[], values: readonly string[]): OcsfEvent | undefined {
  const f = Object.fromEntries(fields.map((name, i) => [name, values[i] === '-' ? undefined : values[i]]));
  if (!IP.test(f.srcaddr ?? '') || !IP.test(f.dstaddr ?? '')) return undefined;
  const start = int(f.start);
  const end = int(f.end);
  const direction = f['flow-direction'] === 'ingress' ? 1 : f['flow-direction'] === 'egress' ? 2 : 0;
  return defined({
    ...envelope(e, 'Amazon VPC', 4001, 6, (start ?? Math.floor(e.timestamp / 1000)) * 1000, ['cloud', 'security_control']),
    start_time: start === undefined ? undefined : start * 1000,
    end_time: end === undefined ? undefined : end * 1000,
    src_endpoint: defined({
      ip: f.srcaddr,
      port: int(f.srcport),
      interface_uid: f['interface-id'],
      vpc_uid: f['vpc-id'],
      subnet_uid: f['subnet-id'],
      instance_uid: f['instance-id'],
    }),
    dst_endpoint: defined({ ip: f.dstaddr, port: int(f.dstport) }),
    connection_info: defined({ protocol_num: int(f.protocol), direction_id: direction, tcp_flags: int(f['tcp-flags']) }),
    traffic: defined({ packets: int(f.packets), bytes: int(f.bytes) }),
    action_id: f.action === 'ACCEPT' ? 1 : f.action === 'REJECT' ? 2 : 0,
    action: f.action,
    status_id: f['log-status'] === 'OK' ? 1 : 0,
  });
}

/** Any other message: the Base Event, activity Other, the message in raw_data only (not twice). */
function baseEvent(e: ArchivedEvent): OcsfEvent {
  return envelope(e, 'Amazon CloudWatch Logs', 0, 99, e.timestamp);
}

/** The OCSF event for one archived log event. */
export function toOcsf(e: ArchivedEvent): OcsfEvent {
  const record = parseObject(e.message);
  if (record) {
    const eventName = str(record.eventName);
    if (str(record.eventSource) && eventName && record.eventVersion !== undefined) return cloudTrail(e, record, eventName);
    if (record.kind === 'Event' && str(record.apiVersion)?.startsWith('audit.k8s.io/')) return eksAudit(e, record);
    const hostname = str(record.query_name);
    if (hostname && record.query_timestamp !== undefined) return route53(e, record, hostname);
    return baseEvent(e);
  }
  const values = e.message.trim().split(/\s+/);
  const version = Number(values[0]);
  if (version === 2 && values.length === FLOW_FIELDS_V2.length) return flowLog(e, FLOW_FIELDS_V2, values) ?? baseEvent(e);
  if (version >= 3 && version <= 5 && values.length === FLOW_FIELDS_V5.length) return flowLog(e, FLOW_FIELDS_V5, values) ?? baseEvent(e);
  return baseEvent(e);
}
