import { flowLogJson, logSourceOf, parsedJson } from '../../tasks/lib/data-path/log-source';

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

describe('VPC flow log lines (default format, version 2)', () => {
  const line = '2 123456789012 eni-0a1b2c3d 10.0.1.5 172.31.9.8 49152 443 6 10 8400 1732350000 1732350060 ACCEPT OK';

  it('become named fields, numbers as numbers', () => {
    expect(JSON.parse(flowLogJson(line)!)).toEqual({
      version: 2, accountId: '123456789012', interfaceId: 'eni-0a1b2c3d', srcAddr: '10.0.1.5', dstAddr: '172.31.9.8', srcPort: 49152, dstPort: 443,
      protocol: 6, packets: 10, bytes: 8400, start: 1732350000, end: 1732350060, action: 'ACCEPT', logStatus: 'OK',
    });
  });

  it('map "-" to null (NODATA and SKIPDATA records)', () => {
    const nodata = '2 123456789012 eni-0a1b2c3d - - - - - - - 1732350000 1732350060 - NODATA';
    expect(JSON.parse(flowLogJson(nodata)!)).toMatchObject({ srcAddr: null, srcPort: null, bytes: null, action: null, logStatus: 'NODATA' });
  });

  it.each([
    ['another version', line.replace(/^2/, '3')],
    ['too few fields', '2 123456789012 eni-0a1b2c3d 10.0.1.5'],
    ['too many fields', `${line} extra`],
    ['a non-numeric port', line.replace(' 443 ', ' https ')],
    ['an application line', '2024-01-01 INFO started'],
  ])('leave %s unparsed', (_why, message) => {
    expect(flowLogJson(message)).toBeUndefined();
  });

  it('escape what JSON needs escaped', () => {
    expect(JSON.parse(flowLogJson(line.replace('ACCEPT', 'AC"CEPT'))!).action).toBe('AC"CEPT');
  });
});

describe('CloudTrail records', () => {
  it('are embedded as they are when they are JSON, and left out when not', () => {
    expect(parsedJson('cloudtrail', '{"eventName":"AssumeRole"}')).toBe('{"eventName":"AssumeRole"}');
    expect(parsedJson('cloudtrail', '{not json')).toBeUndefined();
    expect(parsedJson('application', '{"a":1}')).toBeUndefined();
  });
});
