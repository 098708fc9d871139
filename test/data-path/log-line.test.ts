/**
 * The archive's line format on its own: which events are CloudWatch Logs events (the edges of
 * each field, and look-alikes an attacker can write into a payload), the exact line of each, and
 * the bounded form of a long message chosen only when it is shorter and loses nothing.
 */
import { eventProblem, INLINE_MESSAGE_LIMIT, renderPayload } from '../../tasks/lib/data-path/log-line';
import { dataMessage as payload, HOSTILE_MESSAGES, OWNER } from './data-message';

const ID = '37716512352535342233417452384736271264838849267492810000';
const MAX_TIME = 8.64e15;

const linesOf = (data: string): string[] => Buffer.from(data, 'base64').toString('utf8').split('\n');
const COMMON = '"logGroup":"/app/orders","logStream":"a \\"stream\\" \\\\ ✓"';

describe('which events are CloudWatch Logs events', () => {
  it.each([
    ['an event id of one digit', { id: '7', timestamp: 1, message: '' }],
    ['an event id of 128 digits', { id: '9'.repeat(128), timestamp: 1, message: 'm' }],
    ['the epoch', { id: ID, timestamp: 0, message: 'm' }],
    ['the last millisecond Date can show', { id: ID, timestamp: MAX_TIME, message: 'm' }],
  ])('%s is one', (_name, event) => {
    expect(eventProblem(event)).toBeUndefined();
    const rendered = renderPayload(payload([event]), {});
    expect(rendered.invalid).toEqual([]);
    expect(linesOf(rendered.data)).toEqual([
      `{"timestamp":${String(event.timestamp)},${COMMON},"id":"${event.id}","message":${JSON.stringify(event.message)}}`,
      '',
    ]);
  });

  it.each([
    ['null', null, 'event: null is not an object'],
    ['a string', 'x', 'event: "x" is not an object'],
    ['an array', [ID, 1, 'm'], 'event: ["37716512352535342233417452384736271264838849267492810000",1,"m"] is not an object'],
    ['an empty id', { id: '', timestamp: 1, message: 'm' }, 'id: "" is not a CloudWatch Logs event id'],
    ['an id of 129 digits', { id: '9'.repeat(129), timestamp: 1, message: 'm' }, `id: "${'9'.repeat(76)}... is not a CloudWatch Logs event id`],
    ['an id with a quote', { id: '1"', timestamp: 1, message: 'm' }, 'id: "1\\"" is not a CloudWatch Logs event id'],
    ['an id that is an array of digits', { id: ['123'], timestamp: 1, message: 'm' }, 'id: ["123"] is not a CloudWatch Logs event id'],
    ['an id that is a number', { id: 123, timestamp: 1, message: 'm' }, 'id: 123 is not a CloudWatch Logs event id'],
    ['a time before the epoch', { id: ID, timestamp: -1, message: 'm' }, 'timestamp: -1 is not epoch milliseconds'],
    ['a time past what Date can show', { id: ID, timestamp: MAX_TIME + 1, message: 'm' }, 'timestamp: 8640000000000001 is not epoch milliseconds'],
    ['a fraction of a millisecond', { id: ID, timestamp: 1.5, message: 'm' }, 'timestamp: 1.5 is not epoch milliseconds'],
    ['a time as text', { id: ID, timestamp: '5', message: 'm' }, 'timestamp: "5" is not epoch milliseconds'],
    ['a message that is not text', { id: ID, timestamp: 1, message: ['m'] }, 'message: ["m"] is not a string'],
  ])('%s is not one, and is kept whole with the reason', (_name, event, reason) => {
    expect(eventProblem(event)).toBe(reason);
    const rendered = renderPayload(payload([event]), {});
    expect(rendered.invalid).toEqual([reason]);
    const [line, end] = linesOf(rendered.data);
    expect(end).toBe('');
    expect(line).toBe(`{${COMMON},"invalid":${JSON.stringify(reason)},"event":${JSON.stringify(JSON.stringify(event))}}`);
  });
});

describe('lines', () => {
  it('a backfilled payload marks every line, and only then', () => {
    const event = { id: ID, timestamp: 1, message: 'm' };
    expect(linesOf(renderPayload(payload([event], { backfill: true }), {}).data)[0]).toBe(
      `{"timestamp":1,${COMMON},"backfilled":true,"id":"${ID}","message":"m"}`,
    );
    expect(linesOf(renderPayload(payload([event]), {}).data)[0]).not.toContain('backfilled');
  });

  it('keys the payload by its owner and the category of its group', () => {
    expect(renderPayload(payload([], { logGroup: 'aws-cloudtrail-logs' }), {})).toEqual({ data: '', account: OWNER, category: 'audit', invalid: [] });
  });
});

describe('the bounded form of a long message', () => {
  const render = (message: string): string => linesOf(renderPayload(payload([{ id: ID, timestamp: 1, message }]), {}).data)[0]!;
  const inline = (message: string) => `{"timestamp":1,${COMMON},"id":"${ID}","message":${JSON.stringify(message)}}`;
  const bounded = (message: string) => `{"timestamp":1,${COMMON},"id":"${ID}","messageBase64":"${Buffer.from(message).toString('base64')}"}`;

  /** Where two long lines first differ: a failure shows that, not megabytes of both. */
  const difference = (actual: string, expected: string): string => {
    if (actual === expected) return 'none';
    let i = 0;
    while (actual[i] === expected[i]) i++;
    return `at ${i}: ${JSON.stringify(actual.slice(i, i + 40))} instead of ${JSON.stringify(expected.slice(i, i + 40))}`;
  };

  // A control character is 6 characters of JSON and 1 byte of UTF-8: base64 is the shorter form.
  const CONTROL = '\u0001';

  it('a message whose JSON is exactly the limit stays inline, one character more is bounded', () => {
    const atLimit = CONTROL.repeat(174_762) + 'ab';
    expect(JSON.stringify(atLimit).length).toBe(INLINE_MESSAGE_LIMIT);
    expect(difference(render(atLimit), inline(atLimit))).toBe('none');
    const past = atLimit + 'c';
    expect(difference(render(past), bounded(past))).toBe('none');
  });

  it('past the limit, plain text stays inline: its base64 would be longer', () => {
    const text = 'a'.repeat(INLINE_MESSAGE_LIMIT);
    expect(difference(render(text), inline(text))).toBe('none');
  });

  it('past the limit, base64 as long as the JSON is not chosen', () => {
    // 52,429 controls and 734,012 letters: 1,048,588 bytes of JSON and of base64.
    const text = CONTROL.repeat(52_429) + 'a'.repeat(734_012);
    expect(Buffer.from(text).toString('base64').length).toBe(Buffer.byteLength(JSON.stringify(text)));
    expect(difference(render(text), inline(text))).toBe('none');
    expect(difference(render(text + CONTROL), bounded(text + CONTROL))).toBe('none');
  });

  it('past the limit, a message with a lone surrogate stays inline: UTF-8 cannot carry it', () => {
    const text = CONTROL.repeat(200_000) + '\ud800';
    const line = render(text);
    expect(difference(line, inline(text))).toBe('none');
    expect(JSON.parse(line).message).toBe(text);
  });

  it('an event kept whole whose JSON as a string is exactly the limit stays inline, a character more is bounded', () => {
    // Quotes are 2 characters of the event's JSON and 4 of that JSON as a string: base64 is shorter.
    const shape = (letters: number) => ({ id: 'x', timestamp: 1, message: '"'.repeat(200_000) + 'a'.repeat(letters) });
    const jsonLength = (letters: number) => JSON.stringify(JSON.stringify(shape(letters))).length;
    const letters = INLINE_MESSAGE_LIMIT - jsonLength(0);
    expect(jsonLength(letters)).toBe(INLINE_MESSAGE_LIMIT);
    const line = (n: number) => linesOf(renderPayload(payload([shape(n)]), {}).data)[0]!;
    expect(line(letters).endsWith(`"event":${JSON.stringify(JSON.stringify(shape(letters)))}}`)).toBe(true);
    expect(line(letters + 1)).toContain('"eventBase64":"');
  });

  it('an event kept whole whose JSON is short stays inline', () => {
    const event = { id: 'x', timestamp: 1, message: '\u0001\u0001\u0001' };
    expect(linesOf(renderPayload(payload([event]), {}).data)[0]).toContain(`"event":${JSON.stringify(JSON.stringify(event))}`);
  });

  it('an event kept whole past the limit is bounded when that is shorter', () => {
    // A quote is 2 characters of the event's JSON, and 4 once that JSON is itself a JSON string.
    const event = { id: 'x', timestamp: 1, message: '"'.repeat(600_000) };
    const json = JSON.stringify(event);
    const line = linesOf(renderPayload(payload([event]), {}).data)[0]!;
    expect(line.endsWith(`"eventBase64":"${Buffer.from(json).toString('base64')}"}`)).toBe(true);
  });
});

describe("messages copied from the payload's text", () => {
  const withText = (p: ReturnType<typeof payload>, text: string | Buffer) => renderPayload(p, {}, Buffer.from(text)).data;
  const events = (messages: readonly string[]) => messages.map((message, i) => ({ id: ID, timestamp: i, message }));

  it('as JSON.stringify writes a payload, the lines are byte for byte those written without the text', () => {
    const p = payload([...events(HOSTILE_MESSAGES), { id: 'x', timestamp: 1, message: 'kept whole' }, null]);
    expect(withText(p, JSON.stringify(p))).toBe(renderPayload(p, {}).data);
  });

  it('written otherwise (indented, other escapes), each line reads back as the same event', () => {
    const p = payload(events(HOSTILE_MESSAGES));
    const text = JSON.stringify(p, null, 1).replace(/\//g, '\\/');
    expect(text).toContain('\\/');
    const parsed = (data: string) =>
      linesOf(data)
        .filter(Boolean)
        .map((line) => JSON.parse(line) as unknown);
    expect(parsed(withText(JSON.parse(text) as typeof p, text))).toEqual(parsed(renderPayload(p, {}).data));
  });

  it('the message JSON.parse kept, when an event names its message twice', () => {
    const text = `{"messageType":"DATA_MESSAGE","owner":"${OWNER}","logGroup":"/app/orders","logStream":"s","subscriptionFilters":[],"logEvents":[{"id":"1","timestamp":1,"message":"shown","message":"kept"}]}`;
    const line = linesOf(withText(JSON.parse(text) as ReturnType<typeof payload>, text))[0]!;
    expect((JSON.parse(line) as { message: string }).message).toBe('kept');
  });

  it('a text that is not UTF-8 is not copied: the line holds what JSON.parse read (U+FFFD)', () => {
    const p = payload(events(['before \ufffd after']));
    const text = Buffer.from(JSON.stringify(p).replace('\ufffd', '\u0000'));
    text[text.indexOf(0)] = 0xff;
    expect(JSON.parse(text.toString('utf8'))).toEqual(p);
    expect(withText(p, text)).toBe(renderPayload(p, {}).data);
  });

  it('messages near the bounded form are decided as without the text', () => {
    // 174,762 characters is the longest a message can be and be copied: six characters a unit, and the quotes, within the limit.
    const control = '\u0001';
    const long = [control.repeat(52_429) + 'a'.repeat(734_012), control.repeat(52_430) + 'a'.repeat(734_012), control.repeat(174_762), control.repeat(174_763)];
    const p = payload(events(long));
    expect(withText(p, JSON.stringify(p))).toBe(renderPayload(p, {}).data);
  });
});
