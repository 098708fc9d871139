import { compileEventPattern, InvalidEventPatternError, matchesEventPattern } from '../../workflows/event-pattern';

const cloudTrail = (detail: Record<string, unknown>) => ({
  source: 'aws.logs',
  'detail-type': 'AWS API Call via CloudTrail',
  account: '123456789012',
  region: 'eu-west-1',
  detail,
});

describe('EventBridge pattern matcher', () => {
  it.each([
    ['exact string', { source: ['aws.logs'] }, true],
    ['exact string, other value', { source: ['aws.ec2'] }, false],
    ['prefix', { region: [{ prefix: 'eu-' }] }, true],
    ['suffix', { region: [{ suffix: '-2' }] }, false],
    ['equals-ignore-case', { 'detail-type': [{ 'equals-ignore-case': 'aws api call via cloudtrail' }] }, true],
    ['anything-but list', { region: [{ 'anything-but': ['us-east-1', 'us-west-2'] }] }, true],
    ['anything-but prefix', { region: [{ 'anything-but': { prefix: 'eu-' } }] }, false],
    ['numeric range', { detail: { count: [{ numeric: ['>', 0, '<=', 5] }] } }, true],
    ['exists false on absent errorCode', { detail: { errorCode: [{ exists: false }] } }, true],
    ['wildcard', { detail: { requestParameters: { logGroupName: [{ wildcard: '/aws/*/orders' }] } } }, true],
    ['cidr', { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/8' }] } }, true],
    ['$or with one matching branch', { detail: { $or: [{ count: [9] }, { eventName: ['CreateLogGroup'] }] } }, true],
    ['array value matches any element', { resources: ['arn:b'] }, true],
  ])('%s', (_name, pattern, expected) => {
    // Prepare
    const event = {
      ...cloudTrail({ eventName: 'CreateLogGroup', count: 3, sourceIPAddress: '10.1.2.3', requestParameters: { logGroupName: '/aws/lambda/orders' } }),
      resources: ['arn:a', 'arn:b'],
    };

    // Act / Assess
    expect(matchesEventPattern(pattern, event)).toBe(expected);
  });

  it('does not match a failed call when the pattern requires errorCode to be absent', () => {
    expect(matchesEventPattern({ detail: { errorCode: [{ exists: false }] } }, cloudTrail({ errorCode: 'AccessDenied' }))).toBe(false);
  });

  it.each([
    ['a leaf that is not a list', { source: 'aws.logs' }],
    ['an empty list', { source: [] }],
    ['an unknown operator', { source: [{ startsWith: 'aws' }] }],
    ['an upper-case operator', { source: [{ PREFIX: 'aws' }] }],
    ['a numeric operator that is not a number', { detail: { n: [{ numeric: ['>', '5'] }] } }],
    ['consecutive wildcards', { source: [{ wildcard: 'aws**' }] }],
    ['a malformed CIDR', { detail: { ip: [{ cidr: '10.0.0/33' }] } }],
    ['an empty pattern', {}],
  ])('rejects %s with InvalidEventPatternException naming the path', (_name, pattern) => {
    // Act
    const compile = () => compileEventPattern(pattern);

    // Assess
    expect(compile).toThrow(InvalidEventPatternError);
    expect(compile).toThrow(/Event pattern is not valid at/);
  });
});
