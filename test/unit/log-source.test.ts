import { categoryOf, HEARTBEAT_LOG_GROUP, logSourceOf } from '../../tasks/lib/data-path/log-source';

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
