/**
 * A corpus closer to what an organization sends than sim/log-payloads.ts: nested CloudTrail with
 * escaped policy documents and unicode, VPC flow logs in the default (v2) and a custom v5 format,
 * application logs with unicode, tabs, ANSI colour codes and multi-line stack traces, EKS audit
 * events and Route 53 Resolver query logs. Seeded: the same corpus every run.
 */
import type { DataMessage } from '../tasks/lib/data-path/cloudwatch-logs-record';
import type { LogEvent } from '../tasks/lib/data-path/log-line';
import { PAYLOAD_ACCOUNTS, SeededRandom } from '../sim/log-payloads';
import { parseAccountId } from '../tasks/lib/domain';

type Kind = 'cloudtrail' | 'flow-v2' | 'flow-v5' | 'application' | 'eks-audit' | 'route53';

const WEIGHTS: ReadonlyArray<[Kind, number]> = [
  ['cloudtrail', 0.3],
  ['flow-v2', 0.2],
  ['flow-v5', 0.1],
  ['application', 0.25],
  ['eks-audit', 0.1],
  ['route53', 0.05],
];

const UNICODE = ['café', 'Zürich', '東京', 'данные', '🚀 deploy', 'naïve résumé', 'ﬁle', 'عربى'];
const EVENT_NAMES = [
  'PutRolePolicy',
  'CreatePolicyVersion',
  'PutBucketPolicy',
  'AssumeRole',
  'GetObject',
  'ConsoleLogin',
  'RunInstances',
  'Decrypt',
  'UpdateFunctionCode',
];

function pickKind(random: SeededRandom): Kind {
  let r = random.next();
  for (const [kind, weight] of WEIGHTS) if ((r -= weight) < 0) return kind;
  return 'application';
}

function ip(random: SeededRandom): string {
  return `10.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`;
}

function cloudTrail(random: SeededRandom, account: string, time: number): string {
  const eventName = random.pick(EVENT_NAMES);
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: Array.from({ length: random.int(1, 4) }, (_, i) => ({
      Sid: `S${i}`,
      Effect: random.pick(['Allow', 'Deny']),
      Action: [`s3:${random.pick(['GetObject', 'PutObject', 'ListBucket'])}`, 'kms:Decrypt'],
      Resource: `arn:aws:s3:::${random.pick(UNICODE).length > 4 ? 'data' : 'logs'}-${random.int(1, 99)}/*`,
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorg1' } },
    })),
  });
  return JSON.stringify({
    eventVersion: '1.10',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROA${random.int(100000, 999999)}:${random.pick(UNICODE)}`,
      arn: `arn:aws:sts::${account}:assumed-role/Admin/${random.pick(['alice', 'bob', 'ci-runner'])}`,
      accountId: account,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: `AROA${random.int(1e5, 9e5)}`,
          arn: `arn:aws:iam::${account}:role/Admin`,
          accountId: account,
          userName: 'Admin',
        },
        attributes: { creationDate: new Date(time - 600_000).toISOString(), mfaAuthenticated: String(random.next() < 0.5) },
      },
    },
    eventTime: new Date(time).toISOString(),
    eventSource: `${random.pick(['iam', 's3', 'sts', 'ec2', 'kms', 'lambda'])}.amazonaws.com`,
    eventName,
    awsRegion: random.pick(['eu-west-1', 'us-east-1', 'ap-southeast-2']),
    sourceIPAddress: ip(random),
    userAgent: `aws-cli/2.17.${random.int(0, 60)} md/awscrt#0.20.11 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.11.9 "quoted" \\ back`,
    requestParameters: {
      roleName: `app-${random.pick(UNICODE)}`,
      policyName: 'inline',
      policyDocument: policy,
      tags: [{ key: 'team', value: random.pick(UNICODE) }],
    },
    responseElements:
      eventName === 'AssumeRole' ? { credentials: { accessKeyId: `ASIA${random.int(1e9, 9e9)}`, expiration: new Date(time + 3_600_000).toUTCString() } } : null,
    additionalEventData: { SignatureVersion: 'SigV4', CipherSuite: 'TLS_AES_128_GCM_SHA256', bytesTransferredIn: random.int(0, 9999) },
    requestID: random.int(1e9, 9e9).toString(16),
    eventID: `${random.int(1e9, 9e9).toString(16)}-${random.int(1e4, 9e4)}-${random.int(1e4, 9e4)}`,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', clientProvidedHostHeader: 'iam.amazonaws.com' },
  });
}

function flowV2(random: SeededRandom, account: string, time: number): string {
  const start = Math.floor(time / 1000);
  return `2 ${account} eni-${random.int(1e7, 9e7).toString(16)} ${ip(random)} 172.31.${random.int(0, 255)}.${random.int(1, 254)} ${random.int(1024, 65535)} ${random.pick([443, 80, 22, 5432])} 6 ${random.int(1, 50)} ${random.int(40, 90000)} ${start} ${start + 60} ${random.pick(['ACCEPT', 'REJECT'])} OK`;
}

/** A custom format with v3-v5 fields: vpc, subnet, instance, flags, type, packet addresses, region, az, sublocation, path. */
function flowV5(random: SeededRandom, account: string, time: number): string {
  const start = Math.floor(time / 1000);
  return [
    5,
    account,
    `eni-${random.int(1e7, 9e7).toString(16)}`,
    `vpc-${random.int(1e7, 9e7).toString(16)}`,
    `subnet-${random.int(1e7, 9e7).toString(16)}`,
    random.next() < 0.2 ? '-' : `i-${random.int(1e9, 9e9).toString(16)}`,
    ip(random),
    `172.31.${random.int(0, 255)}.${random.int(1, 254)}`,
    random.int(1024, 65535),
    random.pick([443, 53, 123]),
    random.pick([6, 17]),
    random.int(1, 50),
    random.int(40, 90000),
    start,
    start + 60,
    random.pick(['ACCEPT', 'REJECT']),
    'OK',
    random.pick([2, 3, 18, 19]),
    'IPv4',
    ip(random),
    ip(random),
    'eu-west-1',
    'euw1-az2',
    '-',
    '-',
    random.pick(['ingress', 'egress']),
    random.pick([1, 2, 8]),
  ].join(' ');
}

function application(random: SeededRandom, time: number): string {
  const level = random.pick(['\u001b[32mINFO\u001b[0m', '\u001b[33mWARN\u001b[0m', '\u001b[31mERROR\u001b[0m', 'DEBUG']);
  const line = `${new Date(time).toISOString()}\t${level}\t[req-${random.int(1e5, 9e5)}]\tuser=${random.pick(UNICODE)}\tGET /api/v1/orders/${random.int(1, 99999)}?q=${encodeURIComponent(random.pick(UNICODE))} ${random.int(1, 900)}ms`;
  if (random.next() > 0.15) return line;
  const frames = Array.from(
    { length: random.int(4, 25) },
    (_, i) => `    at handler${i} (/var/task/src/${random.pick(['orders', 'billing', 'auth'])}/index.js:${random.int(1, 900)}:${random.int(1, 80)})`,
  );
  return `${line}\nTypeError: Cannot read properties of undefined (reading '${random.pick(UNICODE)}')\n${frames.join('\n')}`;
}

function eksAudit(random: SeededRandom, time: number): string {
  const verb = random.pick(['get', 'list', 'watch', 'create', 'patch', 'delete']);
  const resource = random.pick(['pods', 'secrets', 'configmaps', 'deployments', 'leases']);
  return JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: `${random.int(1e7, 9e7).toString(16)}-${random.int(1e3, 9e3)}-${random.int(1e3, 9e3)}`,
    stage: 'ResponseComplete',
    requestURI: `/api/v1/namespaces/${random.pick(['default', 'kube-system', 'payments'])}/${resource}?limit=500&resourceVersion=0`,
    verb,
    user: {
      username: `system:serviceaccount:kube-system:${random.pick(['coredns', 'aws-node', 'karpenter'])}`,
      uid: `${random.int(1e7, 9e7)}`,
      groups: ['system:serviceaccounts', 'system:authenticated'],
    },
    sourceIPs: [ip(random)],
    userAgent: `kubectl/v1.31.${random.int(0, 9)} (linux/amd64) kubernetes/${random.int(1e6, 9e6).toString(16)}`,
    objectRef: { resource, namespace: 'payments', name: `${resource}-${random.int(1, 999)}`, apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: random.pick([200, 200, 201, 403, 404]) },
    requestReceivedTimestamp: new Date(time).toISOString(),
    stageTimestamp: new Date(time + random.int(1, 90)).toISOString(),
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': `RBAC: allowed by ClusterRoleBinding "${random.pick(UNICODE)}"` },
  });
}

function route53(random: SeededRandom, account: string, time: number): string {
  const name = `${random.pick(['api', 'db', 'cache', 'xn--caf-dma'])}.${random.pick(['internal', 'example.com', 'amazonaws.com'])}.`;
  return JSON.stringify({
    version: '1.100000',
    account_id: account,
    region: 'eu-west-1',
    vpc_id: `vpc-${random.int(1e7, 9e7).toString(16)}`,
    query_timestamp: new Date(time).toISOString(),
    query_name: name,
    query_type: random.pick(['A', 'AAAA', 'TXT', 'SRV']),
    query_class: 'IN',
    rcode: random.pick(['NOERROR', 'NOERROR', 'NXDOMAIN', 'SERVFAIL']),
    answers: [{ Rdata: ip(random), Type: 'A', Class: 'IN' }],
    srcaddr: ip(random),
    srcport: String(random.int(1024, 65535)),
    transport: 'UDP',
    srcids: { instance: `i-${random.int(1e9, 9e9).toString(16)}` },
  });
}

const LOG_GROUPS: Readonly<Record<Kind, (random: SeededRandom) => string>> = {
  cloudtrail: () => 'aws-cloudtrail-logs-org',
  'flow-v2': () => '/tributary/flow-logs',
  'flow-v5': () => '/tributary/flow-logs',
  application: (random) => `/aws/lambda/orders-${random.int(1, 9)}`,
  'eks-audit': (random) => `/aws/eks/platform-${random.int(1, 3)}/cluster`,
  route53: () => '/aws/route53resolver/query-logs',
};

let sequence = 0;

/** One subscription payload of a realistic kind: 1-60 CloudTrail events, 5-400 of the others. */
export function realisticPayload(random: SeededRandom): DataMessage {
  const kind = pickKind(random);
  const account = parseAccountId(random.pick(PAYLOAD_ACCOUNTS));
  const count = kind === 'cloudtrail' ? random.int(1, 60) : random.int(5, 400);
  const base = Date.UTC(2026, 10, 23, random.int(0, 23), random.int(0, 59));
  const logEvents: LogEvent[] = Array.from({ length: count }, (_, i) => {
    const timestamp = base + i * 37;
    const message =
      kind === 'cloudtrail'
        ? cloudTrail(random, account, timestamp)
        : kind === 'flow-v2'
          ? flowV2(random, account, timestamp)
          : kind === 'flow-v5'
            ? flowV5(random, account, timestamp)
            : kind === 'application'
              ? application(random, timestamp)
              : kind === 'eks-audit'
                ? eksAudit(random, timestamp)
                : route53(random, account, timestamp);
    return { id: `${timestamp}${String(++sequence).padStart(43, '0')}`, timestamp, message };
  });
  return {
    messageType: 'DATA_MESSAGE',
    owner: account,
    logGroup: LOG_GROUPS[kind](random),
    logStream: `${account}_${kind}_${random.int(1, 20)}`,
    subscriptionFilters: ['tributary-central-logging'],
    logEvents,
  };
}
