/** State data's size as the payload quota counts it: the UTF-8 bytes of its JSON, remembered per object without changing the answer. */
import { writeResult } from '../../workflows/local/json-path';
import { jsonBytes, jsonText, rememberSize, rememberText } from '../../workflows/local/payload-size';

const exactly = (value: unknown): number => {
  const text = JSON.stringify(value) as string | undefined;
  return text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
};

/** A seeded linear congruential generator: the same values every run. */
function generator(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

const STRINGS = ['', 'plain', 'é and 🔥', 'quote " and \\ back', 'tab\tnew\nline', '\u0000\u001f', 'lone \ud800 surrogate'];

/** Values JSON.stringify treats each its own way: unicode, escapes, members left out, array holes, dates, toJSON, shared parts. */
function randomValue(next: () => number, depth: number, shared: object[]): unknown {
  const roll = next();
  if (depth > 3 || roll < 0.3) {
    const scalars = [
      null,
      true,
      false,
      0,
      -0,
      1.5e300,
      NaN,
      Infinity,
      -12,
      undefined,
      () => 1,
      Symbol('s'),
      new Date(0),
      STRINGS[Math.floor(next() * STRINGS.length)],
    ];
    return scalars[Math.floor(next() * scalars.length)];
  }
  if (roll < 0.4 && shared.length > 0) return shared[Math.floor(next() * shared.length)];
  if (roll < 0.6) {
    const array: unknown[] = Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1, shared));
    if (next() < 0.2) array[array.length + 1] = 'after a hole';
    shared.push(array);
    return array;
  }
  const object: Record<string, unknown> = next() < 0.1 ? Object.create(null) : {};
  for (let i = Math.floor(next() * 5); i > 0; i--) object[STRINGS[Math.floor(next() * STRINGS.length)]! + i] = randomValue(next, depth + 1, shared);
  if (next() < 0.05) object.toJSON = () => 'replaced';
  shared.push(object);
  return object;
}

describe('jsonBytes', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('gives the UTF-8 size of JSON.stringify for 200 random values, asked once and again (seed %i)', (seed) => {
    // Prepare
    const next = generator(seed);
    const shared: object[] = [];
    const values = Array.from({ length: 200 }, () => randomValue(next, 0, shared));

    // Act
    const first = values.map(jsonBytes);
    const again = values.map(jsonBytes);
    // A new object over parts already sized, as writeResult makes.
    const over = values.map((value) => jsonBytes({ value, same: value, [STRINGS[2]!]: [value] }));

    // Assess
    const expected = values.map(exactly);
    expect(first).toEqual(expected);
    expect(again).toEqual(expected);
    expect(over).toEqual(values.map((value) => exactly({ value, same: value, [STRINGS[2]!]: [value] })));
  });

  it('sizes members named __proto__ and toJSON (not a function) as JSON.stringify writes them', () => {
    // Prepare
    const parsed = JSON.parse('{"__proto__":{"a":"é"},"toJSON":1,"constructor":[null]}') as object;

    // Act
    const bytes = [jsonBytes(parsed), jsonBytes({ inner: parsed, more: 1 })];

    // Assess
    expect(bytes).toEqual([exactly(parsed), exactly({ inner: parsed, more: 1 })]);
  });

  it('takes the size of a Lambda result from the text it was parsed from', () => {
    // Prepare
    const text = JSON.stringify({ regions: ['eu-west-1', 'ü'] });
    const parsed = JSON.parse(text) as object;

    // Act
    rememberSize(parsed, text);

    // Assess
    expect(jsonBytes({ page: parsed })).toBe(exactly({ page: parsed }));
    expect(jsonBytes(parsed)).toBe(Buffer.byteLength(text));
  });

  it("gives a Lambda input's own text back while it lives, and serializes any other value", () => {
    // Prepare
    const text = '{"accountId":"123456789012"}';
    const parsed = JSON.parse(text) as object;
    rememberText(parsed, text);

    // Act
    const texts = [jsonText(parsed), jsonText({ accountId: '123456789012' }), jsonText('x'), jsonText(null)];

    // Assess
    expect(texts).toEqual([text, text, '"x"', 'null']);
  });

  it.each([1, 2, 3])("gives a sized member's text back as JSON.stringify writes it, for 200 random values (seed %i)", (seed) => {
    // Prepare: each value a member of a state's input, as a Lambda's Payload is.
    const next = generator(seed);
    const shared: object[] = [];
    const values = Array.from({ length: 200 }, () => randomValue(next, 0, shared));
    values.forEach((value) => jsonBytes({ FunctionName: 'f', Payload: value }));

    // Act
    const texts = values.map(jsonText);

    // Assess
    expect(texts).toEqual(values.map((value) => JSON.stringify(value)));
  });
});

describe('writeResult', () => {
  it('places the result at its path, leaving the input and every part it shares unchanged', () => {
    // Prepare
    const regions = [{ region: 'eu-west-1', cursor: { nextToken: 'a' } }];
    const input = { accountId: '123456789012', regions, page: { previous: { kept: true } } };
    const before = JSON.stringify(input);

    // Act
    const output = writeResult('$.page.current', input, { handled: 4 }) as typeof input & { page: { current: unknown } };
    const created = writeResult('$.fresh.deeper', input, 1) as { fresh: { deeper: number } };

    // Assess
    expect(JSON.stringify(input)).toBe(before);
    expect(output).toEqual({ ...input, page: { previous: { kept: true }, current: { handled: 4 } } });
    expect(output.regions).toBe(regions);
    expect(output.page).not.toBe(input.page);
    expect(created.fresh).toEqual({ deeper: 1 });
    expect(jsonBytes(output)).toBe(exactly(output));
  });

  it('refuses a path through a value that is not an object, as Step Functions does', () => {
    // Act
    const act = () => writeResult('$.accountId.more', { accountId: '123456789012' }, 1);

    // Assess
    expect(act).toThrow('is not an object');
  });
});
