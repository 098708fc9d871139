/** A log group's filters in two slots behave as the Map they replace: same answers, same order, whatever is set and deleted. */
import type { AccountId, OrganizationId, Region } from '../../tasks/lib/domain';
import { SimOrganizationState, SimSubscriptionFilters, type SimSubscriptionFilter } from '../../sim/state';

const NAMES = ['tributary', 'team-a', "quote'd", 'team-b', ''];

const filterNamed = (filterName: string, creationTime: number): SimSubscriptionFilter => ({
  filterName,
  logGroupName: '/app',
  filterPattern: '',
  destinationArn: `arn:aws:lambda:eu-west-1:123456789012:function:${filterName}`,
  distribution: 'ByLogStream',
  creationTime,
});

/** A seeded linear congruential generator: the same steps every run. */
function steps(seed: number, count: number): Array<{ op: 'set' | 'delete' | 'clear'; name: string }> {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: count }, () => {
    const roll = next();
    return { op: roll < 0.6 ? 'set' : roll < 0.97 ? 'delete' : 'clear', name: NAMES[Math.floor(next() * NAMES.length)]! };
  });
}

describe('SimSubscriptionFilters', () => {
  it.each([1, 2, 3, 4, 5])('answers as a Map does after each of 300 random steps (seed %i), more than two filters included', (seed) => {
    // Prepare
    const slots = new SimSubscriptionFilters();
    const map = new Map<string, SimSubscriptionFilter>();
    const seen: Array<{ size: number; entries: unknown[] }> = [];
    const expected: Array<{ size: number; entries: unknown[] }> = [];

    // Act
    steps(seed, 300).forEach(({ op, name }, i) => {
      // Every third filter is kept under a key other than its own name (the slot then holds the pair).
      const filter = filterNamed(i % 3 === 0 ? `${name}-elsewhere` : name, i);
      const results = [op === 'set' ? slots.set(name, filter) === slots : op === 'delete' ? slots.delete(name) : slots.clear()];
      const mapResults = [op === 'set' ? map.set(name, filter) === map : op === 'delete' ? map.delete(name) : map.clear()];
      const forEachOrder: string[] = [];
      slots.forEach((_, key) => forEachOrder.push(key));
      seen.push({
        size: slots.size,
        entries: [results, [...slots], [...slots.keys()], slots.list(), forEachOrder, NAMES.map((n) => [slots.has(n), slots.get(n)])],
      });
      expected.push({
        size: map.size,
        entries: [mapResults, [...map], [...map.keys()], [...map.values()], [...map.keys()], NAMES.map((n) => [map.has(n), map.get(n)])],
      });
    });

    // Assess
    expect(seen).toEqual(expected);
    expect(Math.max(...expected.map((e) => e.size))).toBeGreaterThan(2);
  });

  it("keeps a group's filters in the group: each view of them sees what another set", () => {
    // Prepare
    const state = new SimOrganizationState('o-exampleorg1' as OrganizationId, '111111111111' as AccountId);
    state.addAccount({ id: '123456789012' as AccountId, name: 'workload', regions: ['eu-west-1' as Region] });
    const group = state.createLogGroup('123456789012', 'eu-west-1', '/app');

    // Act
    group.filters.set('tributary', filterNamed('tributary', 1));
    group.filters.set('team', filterNamed('team', 2));
    group.filters.delete('tributary');

    // Assess
    expect([...group.filters.keys()]).toEqual(['team']);
    expect(state.accountRegion('123456789012', 'eu-west-1').logGroups.get('/app')!.filters.get('team')).toEqual(filterNamed('team', 2));
  });

  it.each([
    ['without a role', filterNamed('tributary', 1)],
    [
      'with a role',
      {
        filterName: 'tributary',
        logGroupName: '/app',
        filterPattern: '{ $.user = "x" }',
        destinationArn: 'arn:aws:logs:eu-west-1:123456789012:destination:d',
        roleArn: 'arn:aws:iam::123456789012:role/"quoted"',
        distribution: 'Random',
        creationTime: 1,
      },
    ],
    ['with a role after its other fields', { ...filterNamed('tributary', 1), roleArn: 'arn:aws:iam::123456789012:role/r' }],
    ['with a field the compact form does not hold', { ...filterNamed('tributary', 1), applyOnTransformedLogs: true }],
    ['with a role key left undefined', { ...filterNamed('tributary', 1), roleArn: undefined }],
    [
      'with fields in another order',
      {
        creationTime: 1,
        filterName: 'tributary',
        logGroupName: '/app',
        filterPattern: '',
        destinationArn: 'arn:aws:lambda:eu-west-1:123456789012:function:f',
        distribution: 'ByLogStream',
      },
    ],
  ])('gives a filter %s back as it was set: the same fields, values and order', (_, filter) => {
    // Prepare
    const slots = new SimSubscriptionFilters();
    const twice = new SimSubscriptionFilters();

    // Act
    slots.set('tributary', filter as SimSubscriptionFilter);
    twice.set('elsewhere', filter as SimSubscriptionFilter);

    // Assess
    const asSet = JSON.stringify(filter);
    expect(JSON.stringify(slots.get('tributary'))).toBe(asSet);
    expect(JSON.stringify(twice.get('elsewhere'))).toBe(asSet);
    expect(Object.keys(slots.get('tributary')!)).toEqual(Object.keys(filter));
    expect(slots.list()).toEqual([filter]);
  });
});
