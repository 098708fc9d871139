import { serialize } from 'v8';
import { copyData } from '../../sim/plain-copy';

class Custom {
  public readonly kept = 'own field';
  public method(): string {
    return 'on the prototype';
  }
}

/** Inputs as SDK commands carry them, and the shapes an attacker's test might pass. */
const INPUTS: Record<string, unknown> = {
  'a subscription': {
    logGroupName: '/aws/lambda/fn"\\\'',
    filterName: 'tributary',
    filterPattern: '',
    destinationArn: 'arn:aws:logs:us-east-1:1:destination:d',
  },
  'nested arrays and nulls': { Entries: [{ a: [1, [2, null]], b: null }, []], Limit: 0, Flag: false, Big: 12n },
  'an undefined member': { nextToken: undefined, limit: 5 },
  // eslint-disable-next-line no-sparse-arrays -- a hole is what this case copies
  'a sparse array': { Ids: [1, , 3] },
  bytes: { Body: new Uint8Array([0, 255, 7]) },
  'a Buffer': { Data: Buffer.from('payload') },
  'a date': { StartTime: new Date(Date.UTC(2026, 11, 7)) },
  'a map and a set': { Tags: new Map([['k', 'v']]), Names: new Set(['a']) },
  'a class instance': { value: new Custom() },
  'a null-prototype object': { value: Object.assign(Object.create(null) as object, { key: 'value' }) },
  'an object named twice': ((shared) => ({ first: shared, second: [shared] }))({ name: 'once' }),
  'unicode keys and values': { 'k\u2028ey': 'v\uD800alue', ['__proto__']: 'own' },
};

describe('copyData', () => {
  it.each(Object.entries(INPUTS))('copies %s as structuredClone does', (_name, input) => {
    // Act
    const copy = copyData(input);

    // Assess: V8's serialization tells structures apart (key order, holes, undefined, shared
    // references) whatever realm made them; jest's structuredClone makes the host realm's objects.
    expect(copy).not.toBe(input);
    expect(serialize(copy)).toEqual(serialize(structuredClone(input)));
  });

  it('shares nothing mutable with the input', () => {
    // Prepare
    const input = { a: { b: [1, { c: 'd' }] }, bytes: new Uint8Array([1]), when: new Date(0) };

    // Act
    const copy = copyData(input) as typeof input;
    copy.a.b.push(2);
    (copy.a.b[1] as { c: string }).c = 'changed';
    copy.bytes[0] = 9;
    copy.when.setTime(1);

    // Assess
    expect(input).toStrictEqual({ a: { b: [1, { c: 'd' }] }, bytes: new Uint8Array([1]), when: new Date(0) });
  });

  it('keeps cycles, as structuredClone does', () => {
    // Prepare
    const input: { self?: unknown; list: unknown[] } = { list: [] };
    input.self = input;
    input.list.push(input);

    // Act
    const copy = copyData(input) as typeof input;

    // Assess
    expect(copy).not.toBe(input);
    expect(copy.self).toBe(copy);
    expect(copy.list[0]).toBe(copy);
  });

  it('refuses what structuredClone refuses, with its error', () => {
    expect(() => copyData({ callback: () => undefined })).toThrow(expect.objectContaining({ name: 'DataCloneError' }));
    expect(() => copyData({ key: Symbol('s') })).toThrow(expect.objectContaining({ name: 'DataCloneError' }));
  });

  it('keeps an own __proto__ key as data, never as the prototype', () => {
    // Prepare
    const input = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as object;

    // Act
    const copy = copyData(input) as Record<string, unknown>;

    // Assess
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(copy, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
