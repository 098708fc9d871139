/**
 * Finding each message's JSON string in a payload's text, on its own (message-spans.ts): for
 * messages an attacker writes (quotes, backslashes, the keys' own text, unicode, lone surrogates),
 * for payloads written otherwise than JSON.stringify writes them (spaces, other key orders, other
 * escapes), and for the texts where the string found might not be the one JSON.parse kept, which
 * must answer undefined. Each span, read back as a JSON string, must be the parsed message.
 */
import { messageSpans } from '../../tasks/lib/data-path/message-spans';
import { SeededRandom } from '../../sim/log-payloads';
import { dataMessage, HOSTILE_MESSAGES } from './data-message';

const ID = '37716512352535342233417452384736271264838849267492810000';

/** Each event's message as its span reads back, or undefined where there is no span. */
function messagesAt(text: string): Array<string | undefined> | undefined {
  const bytes = Buffer.from(text);
  const parsed = JSON.parse(text) as { logEvents: unknown[] };
  const spans = messageSpans(bytes, parsed.logEvents.length);
  if (spans === undefined) return undefined;
  return parsed.logEvents.map((_, k) =>
    spans[2 * k] === -1 ? undefined : (JSON.parse(`"${bytes.subarray(spans[2 * k], spans[2 * k + 1]).toString('utf8')}"`) as string),
  );
}

describe('spans of messages written by JSON.stringify', () => {
  it.each(HOSTILE_MESSAGES.map((m) => [JSON.stringify(m), m]))('%s reads back as itself', (_name, message) => {
    const events = [
      { id: ID, timestamp: 1, message },
      { id: ID, timestamp: 2, message: 'after' },
    ];
    expect(messagesAt(JSON.stringify(dataMessage(events)))).toEqual([message, 'after']);
  });

  it('a thousand seeded payloads of hostile pieces read back as their messages', () => {
    const random = new SeededRandom(7);
    for (let round = 0; round < 1000; round++) {
      const events = Array.from({ length: random.int(0, 6) }, (_, i) => ({
        id: ID,
        timestamp: i,
        message: Array.from({ length: random.int(0, 5) }, () => random.pick(HOSTILE_MESSAGES)).join(''),
      }));
      expect(messagesAt(JSON.stringify(dataMessage(events, { logStream: random.pick(HOSTILE_MESSAGES) })))).toEqual(events.map((e) => e.message));
    }
  });
});

describe('payloads written otherwise', () => {
  it('indented with tabs and CRLF, with spaces around every colon and comma', () => {
    const events = [{ id: ID, timestamp: 1, message: 'a "b" \\ c' }];
    const text = JSON.stringify(dataMessage(events), null, '\t').replace(/":/g, '" : ').replace(/,\n/g, ' ,\r\n');
    expect(messagesAt(text)).toEqual(['a "b" \\ c']);
  });

  it('logEvents before the envelope, message before id, and fields CloudWatch Logs does not send', () => {
    const text =
      '{"logEvents":[{"message":"first","extra":{"message":"not this","logEvents":[]},"id":"1","timestamp":1},' +
      '{"id":"2","timestamp":2,"message":"second","list":[{"message":"nor this"},"]"]}],' +
      '"messageType":"DATA_MESSAGE","other":{"logEvents":[{"message":"nested"}]},"owner":"123456789012"}';
    expect(messagesAt(text)).toEqual(['first', 'second']);
  });

  it('escapes JSON.stringify does not write (\\/, \\u0041, upper-case hex) read back as the same text', () => {
    expect(messagesAt('{"logEvents":[{"id":"1","timestamp":1,"message":"\\/\\u0041\\u001B\\uD83C\\uDF89"}]}')).toEqual(['/A\u001b🎉']);
  });

  it('events that are not objects, and messages that are not strings, have no span', () => {
    const text = '{"logEvents":["text",{"id":"1","message":5},null,{},{"id":"2"},{"message":{"message":"x"}},{"message":"kept"},5]}';
    expect(messagesAt(text)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, 'kept', undefined]);
  });

  it('a second logEvents after an empty one: its spans are those of the list JSON.parse kept', () => {
    expect(messagesAt('{"logEvents":[],"logEvents":[{"message":"kept"}]}')).toEqual(['kept']);
  });

  it('an event without a string message has -1 for both ends', () => {
    expect(messageSpans(Buffer.from('{"logEvents":[5,{"message":"m"}]}'), 2)).toEqual(Int32Array.from([-1, -1, 28, 29]));
  });

  it('keys that begin like the ones looked for are other keys', () => {
    const text = '{"logEv":[{"message":"no"}],"logEventsX":[],"logEvents":[{"mess":"no","messages":"no","message":"kept"}]}';
    expect(messagesAt(text)).toEqual(['kept']);
  });

  it('an empty list of events', () => {
    expect(messagesAt('{"logEvents": [ ]}')).toEqual([]);
  });
});

describe('texts whose spans are uncertain answer undefined', () => {
  it.each([
    ['a second message in an event (JSON.parse keeps the last)', '{"logEvents":[{"message":"shown","message":"kept"}]}'],
    ['a second message after one that is not a string', '{"logEvents":[{"message":1,"message":"kept"}]}'],
    ['a key written with an escape', '{"logEvents":[{"message":"shown","mess\\u0061ge":"kept"}]}'],
    ['an escaped key anywhere in an event', '{"logEvents":[{"\\u0069d":"1","message":"m"}]}'],
    ['an escaped key in the envelope', '{"logEv\\u0065nts":[{"message":"kept"}],"logEvents":[{"message":"shown"}]}'],
    ['a second logEvents', '{"logEvents":[{"message":"shown"}],"logEvents":[{"message":"kept"}]}'],
    ['logEvents that is not a list', '{"logEvents":{"message":"m"}}'],
    ['no logEvents', '{"owner":"123456789012"}'],
  ])('%s', (_name, text) => {
    const bytes = Buffer.from(text);
    expect(messageSpans(bytes, 1)).toBeUndefined();
  });

  it('a count of events other than the parsed one', () => {
    const text = Buffer.from(JSON.stringify(dataMessage([{ id: ID, timestamp: 1, message: 'm' }])));
    expect(messageSpans(text, 1)).toBeDefined();
    expect(messageSpans(text, 2)).toBeUndefined();
    expect(messageSpans(text, 0)).toBeUndefined();
  });

  it.each([
    ['inside a message', '{"logEvents":[{"message":"no end'],
    ['after a backslash', '{"logEvents":[{"message":"no end\\'],
    ['after an event', '{"logEvents":[{"message":"m"}'],
    ['inside a nested value', '{"other":{"a":["x",{"b":1}'],
    ['after a number', '{"logEvents":[],"n":1'],
  ])('a text cut short %s: the scan ends', (_name, text) => {
    expect(messageSpans(Buffer.from(text), 1)).toBeUndefined();
  });
});
