/** What is Tributary's and what is not: filters by exact name and destination, log groups excluded by glob, dotfiles included. */
import { exclusionMatcher, isOurFilterName, ownsFilter, SUBSCRIPTION_FILTER_NAME } from '../../tasks/lib/ownership';
import type { LogGroupName } from '../../tasks/lib/domain';

const OURS = 'arn:aws:logs:eu-west-1:222222222222:destination:tributary-central-logging';

describe('ownsFilter', () => {
  it.each<[string, { filterName?: string; destinationArn?: string }, boolean]>([
    ['our name and destination', { filterName: SUBSCRIPTION_FILTER_NAME, destinationArn: OURS }, true],
    ['our name, another destination', { filterName: SUBSCRIPTION_FILTER_NAME, destinationArn: `${OURS}-copy` }, false],
    ['our destination, a name like ours', { filterName: `${SUBSCRIPTION_FILTER_NAME}-siem`, destinationArn: OURS }, false],
    ['our destination, no name', { destinationArn: OURS }, false],
    ['our name, no destination', { filterName: SUBSCRIPTION_FILTER_NAME }, false],
  ])('%s: %s', (_, filter, expected) => {
    expect(ownsFilter(filter, OURS)).toBe(expected);
  });

  it('takes only the exact name as ours', () => {
    expect(isOurFilterName(SUBSCRIPTION_FILTER_NAME)).toBe(true);
    expect(isOurFilterName(`${SUBSCRIPTION_FILTER_NAME} `)).toBe(false);
    expect(isOurFilterName(SUBSCRIPTION_FILTER_NAME.toUpperCase())).toBe(false);
  });
});

describe('exclusionMatcher', () => {
  const config = { logGroupExclusions: ['/aws/lambda/sandbox-*', '/dev/**'], accounts: { logging: '222222222222' } };
  const test = (account: string, name: string) => exclusionMatcher(config, account)(name as LogGroupName);

  it.each<[string, string, string | undefined]>([
    ['a sandbox function', '/aws/lambda/sandbox-a', '/aws/lambda/sandbox-*'],
    ['a dotted name under /dev', '/dev/.hidden/app', '/dev/**'],
    ['a dotted sandbox function', '/aws/lambda/sandbox-.x', '/aws/lambda/sandbox-*'],
    ['an application', '/aws/lambda/orders', undefined],
    ['a group named like ours in a member account', '/aws/lambda/tributary-record-processor', undefined],
  ])('in a member account, %s (%s) is excluded by %s', (_, name, rule) => {
    expect(test('111111111111', name)).toEqual(rule ? { excluded: true, rule } : { excluded: false });
  });

  it("excludes the pipeline's own groups in the logging account only, before the config's globs", () => {
    expect(test('222222222222', '/aws/lambda/tributary-record-processor')).toEqual({ excluded: true, rule: '/aws/lambda/tributary-*' });
    expect(test('222222222222', '/aws/lambda/sandbox-a')).toEqual({ excluded: true, rule: '/aws/lambda/sandbox-*' });
    expect(test('222222222222', '/aws/lambda/orders')).toEqual({ excluded: false });
  });
});
