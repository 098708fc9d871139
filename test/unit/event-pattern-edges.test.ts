/**
 * The pattern matcher at its edges, with the inputs an attacker or a careless rule author chooses:
 * every refusal names the exact path and reason, boundaries are exact (numeric, wildcard count,
 * CIDR families), escapes stay literal. Written for the mutants Stryker found surviving.
 */
import { compileEventPattern, flattenEvent, InvalidEventPatternError, matchesEventPattern } from '../../workflows/event-pattern';

const event = {
  source: 'aws.logs',
  detail: {
    path: 'C:\\logs\\app.log',
    multiline: 'first\nsecond\nlast',
    name: 'file*.txt',
    dotted: 'a.b',
    ip: '10.1.2.3',
    ip6: '::ffff:10.1.2.3',
    size: 5,
    count: 0,
    tags: ['x', 'y'],
    nested: { deep: 'v' },
  },
};

function refusal(pattern: unknown): { name: string; path: string; message: string } {
  try {
    compileEventPattern(pattern);
  } catch (error) {
    const e = error as InvalidEventPatternError;
    return { name: e.name, path: e.path, message: e.message };
  }
  throw new Error(`accepted: ${JSON.stringify(pattern)}`);
}

describe('event pattern refusals name the path and the reason', () => {
  it.each<[string, unknown, string, string]>([
    ['an empty pattern', {}, '', 'a pattern must be a non-empty JSON object'],
    ['an array for a pattern', [{ source: ['x'] }], '', 'a pattern must be a non-empty JSON object'],
    ['a scalar leaf', { detail: { name: 'x' } }, 'detail.name', 'a leaf value must be an array of matchers'],
    ['a $or of one', { detail: { $or: [{ a: ['x'] }] } }, 'detail.$or', '$or needs an array of at least two sub-patterns'],
    ['a $or that is an object', { $or: { a: ['x'] } }, '$or', '$or needs an array of at least two sub-patterns'],
    ['an empty $or alternative', { $or: [{ a: ['x'] }, {}] }, '$or', 'each $or alternative must be a non-empty object'],
    ['a $or alternative that is a list', { $or: [{ a: ['x'] }, ['b']] }, '$or', 'each $or alternative must be a non-empty object'],
    ['an empty list', { source: [] }, 'source', 'an empty array matches nothing'],
    ['a nested list matcher', { source: [['x']] }, 'source', 'a matcher must be a value or an object'],
    ['two operators in one object', { source: [{ prefix: 'a', suffix: 'b' }] }, 'source', 'a matcher object takes exactly one operator, got 2'],
    ['exists with a string', { source: [{ exists: 'true' }] }, 'source', 'exists takes true or false'],
    ['prefix with a number', { source: [{ prefix: 1 }] }, 'source', 'prefix takes a string'],
    ['suffix with a list', { source: [{ suffix: ['a'] }] }, 'source', 'suffix takes a string'],
    ['prefix equals-ignore-case with a number', { source: [{ prefix: { 'equals-ignore-case': 1 } }] }, 'source', 'prefix.equals-ignore-case takes a string'],
    ['equals-ignore-case with a number', { source: [{ 'equals-ignore-case': 1 }] }, 'source', 'equals-ignore-case takes a string'],
    ['wildcard with a number', { source: [{ wildcard: 1 }] }, 'source', 'wildcard takes a string'],
    ['consecutive wildcards', { source: [{ wildcard: 'a**b' }] }, 'source', 'consecutive wildcard characters'],
    ['six wildcards', { source: [{ wildcard: 'a*b*c*d*e*f*' }] }, 'source', 'rule is too complex - try using fewer wildcard characters'],
    ['an unknown operator', { source: [{ Prefix: 'a' }] }, 'source', 'unknown operator "Prefix" (operators are case-sensitive)'],
    [
      'numeric of three',
      { detail: { size: [{ numeric: ['>', 1, '<'] }] } },
      'detail.size',
      'numeric takes [op, number] or [lower-op, number, upper-op, number]',
    ],
    ['numeric not a list', { detail: { size: [{ numeric: '>1' }] } }, 'detail.size', 'numeric takes [op, number] or [lower-op, number, upper-op, number]'],
    ['a numeric operator not known', { detail: { size: [{ numeric: ['=>', 1] }] } }, 'detail.size', 'numeric operator "=>" is not one of = < <= > >='],
    ['a numeric operator not a string', { detail: { size: [{ numeric: [1, 1] }] } }, 'detail.size', 'numeric operator 1 is not one of = < <= > >='],
    ['a numeric limit that is text', { detail: { size: [{ numeric: ['>', '1'] }] } }, 'detail.size', 'numeric > needs a number, got "1"'],
    [
      'a range upper bound first',
      { detail: { size: [{ numeric: ['<', 10, '>', 1] }] } },
      'detail.size',
      'a numeric range needs one lower bound (> or >=) then one upper bound (< or <=)',
    ],
    [
      'a range of two lower bounds',
      { detail: { size: [{ numeric: ['>', 1, '>=', 2] }] } },
      'detail.size',
      'a numeric range needs one lower bound (> or >=) then one upper bound (< or <=)',
    ],
    ['cidr with a number', { detail: { ip: [{ cidr: 10 }] } }, 'detail.ip', 'cidr takes a string'],
    ['anything-but of nothing', { source: [{ 'anything-but': [] }] }, 'source (anything-but)', 'takes a non-empty list'],
    ['anything-but of a boolean', { source: [{ 'anything-but': [true] }] }, 'source (anything-but)', 'list items must be strings or numbers'],
    [
      'anything-but of two operators',
      { source: [{ 'anything-but': { prefix: 'a', suffix: 'b' } }] },
      'source (anything-but)',
      'takes a string, a number, a list of them, or one operator object',
    ],
    [
      'anything-but of null',
      { source: [{ 'anything-but': null }] },
      'source (anything-but)',
      'takes a string, a number, a list of them, or one operator object',
    ],
    [
      'anything-but prefix of ""',
      { source: [{ 'anything-but': { prefix: '' } }] },
      'source (anything-but)',
      'prefix takes a non-empty string or a list of them',
    ],
    [
      'anything-but suffix of a number',
      { source: [{ 'anything-but': { suffix: 1 } }] },
      'source (anything-but)',
      'suffix takes a non-empty string or a list of them',
    ],
    [
      'anything-but equals-ignore-case of []',
      { source: [{ 'anything-but': { 'equals-ignore-case': [] } }] },
      'source (anything-but)',
      'equals-ignore-case takes a string or a list of them',
    ],
    ['anything-but of an unknown operator', { source: [{ 'anything-but': { numeric: ['>', 1] } }] }, 'source (anything-but)', 'unknown operator "numeric"'],
    ['prefix of an object with a second key', { source: [{ prefix: { 'equals-ignore-case': 'a', other: 'b' } }] }, 'source', 'prefix takes a string'],
    [
      'a range of two upper bounds',
      { detail: { size: [{ numeric: ['<', 1, '<', 10] }] } },
      'detail.size',
      'a numeric range needs one lower bound (> or >=) then one upper bound (< or <=)',
    ],
    [
      'a numeric limit of Infinity (from code, not JSON)',
      { detail: { size: [{ numeric: ['>', Infinity] }] } },
      'detail.size',
      'numeric > needs a number, got null',
    ],
    [
      'anything-but wildcard of consecutive stars',
      { source: [{ 'anything-but': { wildcard: 'a**' } }] },
      'source (anything-but)',
      'consecutive wildcard characters',
    ],
  ])('%s', (_name, pattern, path, reason) => {
    expect(refusal(pattern)).toEqual({ name: 'InvalidEventPatternException', path, message: `Event pattern is not valid at "${path}": ${reason}` });
  });

  it('names a malformed CIDR and why', () => {
    expect(refusal({ detail: { ip: [{ cidr: '10.0.0.0/33' }] } })).toMatchObject({
      path: 'detail.ip',
      message: expect.stringContaining('malformed CIDR "10.0.0.0/33": '),
    });
  });
});

describe('event pattern boundaries', () => {
  it.each<[string, unknown, boolean]>([
    ['five wildcards is the limit, not a refusal', { source: [{ wildcard: 'a*w*s*.*l*' }] }, true],
    ['an escaped star is a literal star', { detail: { name: [{ wildcard: 'file\\*.txt' }] } }, true],
    ['an escaped star does not match another character', { detail: { name: [{ wildcard: 'fil\\*' }] } }, false],
    ['a dot in a wildcard is a literal dot', { detail: { dotted: [{ wildcard: 'a.*' }] } }, true],
    ['a dot in a wildcard matches no other character', { detail: { name: [{ wildcard: 'file*.tx.' }] } }, false],
    ['>= includes its limit', { detail: { size: [{ numeric: ['>=', 5] }] } }, true],
    ['>= excludes what is below', { detail: { size: [{ numeric: ['>=', 6] }] } }, false],
    ['an escaped backslash is one literal backslash', { detail: { path: [{ wildcard: 'C:\\\\logs\\\\*' }] } }, true],
    ['a wildcard spans lines, as a message may', { detail: { multiline: [{ wildcard: 'first*last' }] } }, true],
    ['> excludes its limit', { detail: { size: [{ numeric: ['>', 5] }] } }, false],
    ['<= includes its limit', { detail: { size: [{ numeric: ['<=', 5] }] } }, true],
    ['< excludes its limit', { detail: { size: [{ numeric: ['<', 5] }] } }, false],
    ['= of zero matches zero', { detail: { count: [{ numeric: ['=', 0] }] } }, true],
    ['a closed range holds its value', { detail: { size: [{ numeric: ['>', 4, '<=', 5] }] } }, true],
    ['numeric never matches text', { detail: { name: [{ numeric: ['>', 0] }] } }, false],
    ['an IPv4 range never matches an IPv6 address, even a mapped one', { detail: { ip6: [{ cidr: '10.0.0.0/8' }] } }, false],
    ['an IPv4 range matches its address', { detail: { ip: [{ cidr: '10.0.0.0/8' }] } }, true],
    ['a CIDR never matches text that is no address', { detail: { name: [{ cidr: '0.0.0.0/0' }] } }, false],
    ['anything-but a prefix matches a number', { detail: { size: [{ 'anything-but': { prefix: 'f' } }] } }, true],
    ['anything-but a prefix refuses what starts with it', { detail: { name: [{ 'anything-but': { prefix: 'file' } }] } }, false],
    ['anything-but a suffix refuses what ends with it', { detail: { name: [{ 'anything-but': { suffix: '.txt' } }] } }, false],
    [
      'anything-but equals-ignore-case of "" is allowed, and refuses the value in any case',
      { detail: { name: [{ 'anything-but': { 'equals-ignore-case': ['', 'FILE*.TXT'] } }] } },
      false,
    ],
    ['anything-but a wildcard matches a number', { detail: { size: [{ 'anything-but': { wildcard: '*' } }] } }, true],
    ['anything-but a wildcard refuses a match', { detail: { name: [{ 'anything-but': { wildcard: 'file*' } }] } }, false],
    ['anything-but a number refuses it', { detail: { size: [{ 'anything-but': 5 }] } }, false],
    ['prefix equals-ignore-case', { detail: { name: [{ prefix: { 'equals-ignore-case': 'FILE' } }] } }, true],
    ['suffix equals-ignore-case', { detail: { name: [{ suffix: { 'equals-ignore-case': '.TXT' } }] } }, true],
    ['suffix is case-sensitive otherwise', { detail: { name: [{ suffix: '.TXT' }] } }, false],
    ['a list value matches any element', { detail: { tags: ['y'] } }, true],
    ['nested keys join with dots', { detail: { nested: { deep: ['v'] } } }, true],
    ['exists false on a present field', { detail: { size: [{ exists: false }] } }, false],
    ['exists true on an absent field', { detail: { absent: [{ exists: true }] } }, false],
    ['$or with no matching branch', { $or: [{ source: ['x'] }, { detail: { size: [6] } }] }, false],
    ['$or inside detail', { detail: { $or: [{ size: [6] }, { count: [0] }] } }, true],
  ])('%s', (_name, pattern, expected) => {
    expect(matchesEventPattern(pattern, event)).toBe(expected);
  });

  it('flattens nothing from an event that is a bare value', () => {
    expect([...flattenEvent('CloseAccount').entries()]).toEqual([]);
    expect([...flattenEvent({ a: { b: 1 } }).entries()]).toEqual([['a.b', [1]]]);
  });
});
