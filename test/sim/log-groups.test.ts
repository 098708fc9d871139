/** An account-region's log groups in columns answer as the Map of group objects they replace. */
import { SimLogGroups, type SimSubscriptionFilter } from '../../sim/log-groups';

const NAMES = ['/b', '/a', "/quote'd", '/aws/lambda/x', '/B', '__proto__', 'constructor'];

const filterOf = (logGroupName: string, filterName: string, creationTime: number): SimSubscriptionFilter => ({
  filterName,
  logGroupName,
  filterPattern: '',
  destinationArn: 'arn:aws:logs:eu-west-1:123456789012:destination:d',
  distribution: 'ByLogStream',
  creationTime,
});

interface ReferenceGroup {
  readonly creationTime: number;
  readonly filters: Map<string, SimSubscriptionFilter>;
}

type Step = { op: 'create' | 'delete' | 'clear' | 'filter' | 'unfilter'; name: string; filterName: string };

/** A seeded linear congruential generator: the same steps every run. */
function steps(seed: number, count: number): Step[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: count }, () => {
    const roll = next();
    const op = roll < 0.35 ? 'create' : roll < 0.5 ? 'delete' : roll < 0.52 ? 'clear' : roll < 0.85 ? 'filter' : 'unfilter';
    return { op, name: NAMES[Math.floor(next() * NAMES.length)]!, filterName: ['tributary', 'team', 'other'][Math.floor(next() * 3)]! };
  });
}

const seen = (groups: SimLogGroups) => ({
  size: groups.size,
  keys: [...groups.keys()],
  groups: [...groups.values()].map((g) => [g.logGroupName, g.creationTime, [...g.filters.entries()]]),
  each: NAMES.map((name) => [groups.has(name), groups.get(name)?.creationTime]),
  inNameOrder: groups.namesInOrder(),
});

const expected = (reference: Map<string, ReferenceGroup>) => ({
  size: reference.size,
  keys: [...reference.keys()],
  groups: [...reference].map(([name, g]) => [name, g.creationTime, [...g.filters.entries()]]),
  each: NAMES.map((name) => [reference.has(name), reference.get(name)?.creationTime]),
  inNameOrder: [...reference.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
});

describe('SimLogGroups', () => {
  it.each([1, 2, 3, 4, 5])('answers as a Map of groups after each of 300 random steps (seed %i)', (seed) => {
    // Prepare
    const groups = new SimLogGroups();
    const reference = new Map<string, ReferenceGroup>();
    const answers: unknown[] = [];
    const wanted: unknown[] = [];

    // Act
    steps(seed, 300).forEach(({ op, name, filterName }, i) => {
      if (op === 'create') {
        groups.create(name, 1000 + i);
        reference.set(name, { creationTime: 1000 + i, filters: new Map() });
      } else if (op === 'delete') {
        answers.push(groups.delete(name));
        wanted.push(reference.delete(name));
      } else if (op === 'clear') {
        groups.clear();
        reference.clear();
      } else if (reference.has(name)) {
        const filters = groups.get(name)!.filters;
        const kept = reference.get(name)!.filters;
        if (op === 'filter' && (kept.has(filterName) || kept.size < 2)) {
          filters.set(filterName, filterOf(name, filterName, i));
          kept.set(filterName, filterOf(name, filterName, i));
        } else {
          answers.push(filters.delete(filterName));
          wanted.push(kept.delete(filterName));
        }
      }
      answers.push(seen(groups));
      wanted.push(expected(reference));
    });

    // Assess
    expect(answers).toEqual(wanted);
    expect(Math.max(...wanted.flatMap((w) => (typeof w === 'object' ? [(w as { size: number }).size] : [])))).toBeGreaterThan(3);
  });

  it('keeps a replaced group in its place, with none of what it had', () => {
    // Prepare
    const groups = new SimLogGroups();
    groups.create('/a', 1);
    const first = groups.create('/b', 2, 0, 512);
    groups.create('/c', 3);
    first.filters.set('tributary', filterOf('/b', 'tributary', 2));
    first.events = [{ eventId: '1', logStreamName: 's', timestamp: 1, ingestionTime: 1, message: 'm' }];

    // Act
    groups.create('/b', 9);

    // Assess
    expect([...groups.keys()]).toEqual(['/a', '/b', '/c']);
    const replaced = groups.get('/b')!;
    expect([replaced.creationTime, replaced.filters.size, replaced.storedBytes, replaced.events]).toEqual([9, 0, 0, undefined]);
  });

  it('lets a group read after deletion keep what it had, and gives one created again under the name nothing of it', () => {
    // Prepare
    const groups = new SimLogGroups();
    const deleted = groups.create('/a', 1);
    deleted.filters.set('tributary', filterOf('/a', 'tributary', 1));
    groups.create('/b', 2);

    // Act
    groups.delete('/a');
    const again = groups.create('/a', 3);

    // Assess
    expect([...groups.keys()]).toEqual(['/b', '/a']);
    expect([deleted.creationTime, [...deleted.filters.keys()]]).toEqual([1, ['tributary']]);
    expect([again.creationTime, again.filters.size]).toEqual([3, 0]);
  });

  it('shows a group created hidden only after its hidden reads, and keeps its rare fields apart', () => {
    // Prepare
    const groups = new SimLogGroups();
    groups.create('/seen', 1);
    const late = groups.create('/late', 2, 2, 100);

    // Act
    const hiddenAtFirst = groups.anyHidden();
    late.hiddenReads -= 2;

    // Assess
    expect([hiddenAtFirst, groups.anyHidden(), groups.get('/late')!.storedBytes, groups.get('/seen')!.storedBytes]).toEqual([true, false, 100, 0]);
  });

  it('holds many groups: the columns grow past their first size and keep every value', () => {
    // Prepare
    const groups = new SimLogGroups();
    const names = Array.from({ length: 1000 }, (_, i) => `/g/${i}`);

    // Act
    names.forEach((name, i) => groups.get(groups.create(name, 1e12 + i).logGroupName)!.filters.set('t', filterOf(name, 't', 2e12 + i)));

    // Assess
    expect(names.every((name, i) => groups.get(name)!.creationTime === 1e12 + i && groups.get(name)!.filters.get('t')!.creationTime === 2e12 + i)).toBe(true);
    expect(groups.size).toBe(1000);
  });
});
