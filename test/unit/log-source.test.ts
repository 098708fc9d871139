import { categoryOf, HEARTBEAT_LOG_GROUP, LOG_CATEGORIES, logSourceOf } from '../../tasks/lib/data-path/log-source';

describe('log sources', () => {
  it.each([
    ['aws-cloudtrail-logs-123456789012-org', 'cloudtrail'],
    ['/tributary/flow-logs', 'vpcflow'],
    ['/aws/route53resolver/queries', 'route53-resolver'],
    ['/aws/eks/platform/cluster', 'eks-audit'],
    ['/aws/lambda/orders', 'lambda'],
    ['/aws/rds/instance/ledger/postgresql', 'rds'],
    ['API-Gateway-Execution-Logs_abc/prod', 'api-gateway'],
    ['/ecs/checkout', 'application'],
  ])('%s is %s', (logGroup, source) => {
    expect(logSourceOf(logGroup)).toBe(source);
  });
});

describe('log categories', () => {
  it.each([
    ['cloudtrail', 'audit'],
    ['eks-audit', 'audit'],
    ['vpcflow', 'network'],
    ['route53-resolver', 'network'],
    ['lambda', 'application'],
    ['application', 'application'],
    ['heartbeat', 'heartbeat'],
  ] as const)('%s is archived under %s', (source, category) => {
    expect(categoryOf(source)).toBe(category);
  });

  it('the heartbeat is the canary group of the logging account only', () => {
    expect(logSourceOf(HEARTBEAT_LOG_GROUP, '222222222222', '222222222222')).toBe('heartbeat');
    expect(logSourceOf(HEARTBEAT_LOG_GROUP, '100000000001', '222222222222')).toBe('application');
    expect(logSourceOf(HEARTBEAT_LOG_GROUP, '222222222222')).toBe('application');
  });
});

describe('log sources from names an owner chooses', () => {
  it.each([
    ['flowlogs', 'vpcflow'],
    ['/team/flow-log', 'vpcflow'],
    ['/team/FLOWLOG', 'vpcflow'],
    ['vpcflow-prod', 'vpcflow'],
    ['/vpc-flow/prod', 'vpcflow'],
    ['/aws/route53/resolver-query-logs', 'route53-resolver'],
    ['/aws/eks/a/cluster', 'eks-audit'],
    // A rule anchored at the start or the end does not match the same words elsewhere in a name.
    ['/shadow/aws/eks/platform/cluster', 'application'],
    ['/aws/eks/platform/cluster-backup', 'application'],
    ['/aws/eks//cluster', 'application'],
    ['/copy/aws/lambda/orders', 'application'],
    ['/copy/aws/rds/instance/ledger/postgresql', 'application'],
    ['/copy/API-Gateway-Execution-Logs_abc/prod', 'application'],
    ['/copy/aws/apigateway/welcome', 'application'],
    ['/aws/apigateway/welcome', 'api-gateway'],
    // Case matters for AWS's own prefixes: `/AWS/Lambda/x` is not what Lambda creates.
    ['/AWS/Lambda/orders', 'application'],
  ])('%s is %s', (logGroup, source) => {
    expect(logSourceOf(logGroup)).toBe(source);
  });

  it('the categories are the four archive partitions, in order, and every source maps into them', () => {
    expect(LOG_CATEGORIES).toEqual(['audit', 'network', 'application', 'heartbeat']);
    expect(categoryOf('rds')).toBe('application');
    expect(categoryOf('api-gateway')).toBe('application');
  });

  it('the canary group with neither owner nor logging account known is an application', () => {
    expect(logSourceOf(HEARTBEAT_LOG_GROUP, undefined, undefined)).toBe('application');
    expect(logSourceOf('/tributary/heartbeat-copy', '222222222222', '222222222222')).toBe('application');
  });
});
