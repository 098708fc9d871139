/**
 * Where each log event's message sits in a payload's JSON text, so that the processor can copy its
 * escaped UTF-8 bytes into the line instead of escaping and encoding the parsed message again
 * (JSON.stringify and the UTF-8 write were most of the processor's own time: issue #21).
 *
 * The text has already been parsed by JSON.parse, so it is valid JSON; this scan only follows its
 * structure. It answers undefined, and the caller escapes the parsed messages as before, whenever
 * the literal it would find might not be the string JSON.parse kept: a key written with an escape
 * (`"mess\u0061ge"` is `message` too), a second `message` in one event (JSON.parse keeps the
 * last), or an event count other than the parsed one.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** Thrown inside the scan when the text is not of a shape whose spans are certain; caught at its entry. */
class Uncertain extends Error {}

const LOG_EVENTS = Buffer.from('logEvents');
const MESSAGE = Buffer.from('message');

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** The index of the closing quote of the string whose content starts at `i`. */
function stringEnd(text: Uint8Array, i: number): number {
  const length = text.length;
  while (i < length) {
    const byte = text[i]!;
    if (byte === QUOTE) return i;
    i += byte === BACKSLASH ? 2 : 1;
  }
  throw new Uncertain();
}

/**
 * stringEnd for a message, whose string may be long: the first quote, found natively, ends it when
 * no backslash is before it (an escaped quote always has one); otherwise the escapes are followed.
 */
function messageEnd(text: Uint8Array, start: number): number {
  const quote = text.indexOf(QUOTE, start);
  return quote !== -1 && text[quote - 1] !== BACKSLASH ? quote : stringEnd(text, start);
}

function skipSpace(text: Uint8Array, i: number): number {
  while (isSpace(text[i]!)) i++;
  return i;
}

/** The index just past the value starting at `i`. */
function skipValue(text: Uint8Array, i: number): number {
  const first = text[i];
  if (first === QUOTE) return stringEnd(text, i + 1) + 1;
  if (first === OPEN_OBJECT || first === OPEN_ARRAY) {
    let depth = 0;
    for (;;) {
      const byte = text[i];
      if (byte === undefined) throw new Uncertain();
      if (byte === QUOTE) i = stringEnd(text, i + 1);
      else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) depth++;
      else if ((byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) && --depth === 0) return i + 1;
      i++;
    }
  }
  // A number, true, false or null (any space after it is skipped with it): up to the next delimiter.
  while (i < text.length && text[i] !== COMMA && text[i] !== CLOSE_OBJECT && text[i] !== CLOSE_ARRAY) i++;
  return i;
}

/** Whether the key whose content is text[start, end) is `name`; a key with an escape is uncertain. */
function keyIs(text: Uint8Array, start: number, end: number, name: Uint8Array): boolean {
  let same = end - start === name.length;
  for (let k = start; k < end; k++) {
    if (text[k] === BACKSLASH) throw new Uncertain();
    if (same && text[k] !== name[k - start]) same = false;
  }
  return same;
}

/**
 * Calls `member(keyStart, keyEnd, valueStart)` for each member of the object opening at `i`; the
 * callback answers the index just past the value. Answers the index just past the object.
 */
function eachMember(text: Uint8Array, i: number, member: (keyStart: number, keyEnd: number, valueStart: number) => number): number {
  i = skipSpace(text, i + 1);
  if (text[i] === CLOSE_OBJECT) return i + 1;
  for (;;) {
    // A key, a colon, the value, then a comma or the end of the object: the text is valid JSON.
    const keyEnd = stringEnd(text, i + 1);
    const valueStart = skipSpace(text, skipSpace(text, keyEnd + 1) + 1);
    i = skipSpace(text, member(i + 1, keyEnd, valueStart));
    if (text[i] === CLOSE_OBJECT) return i + 1;
    i = skipSpace(text, i + 1);
  }
}

/** Spans of the events' messages, from the array opening at `i`; -1 and -1 for an event whose message is not a string. */
function eventSpans(text: Uint8Array, i: number, spans: number[]): number {
  i = skipSpace(text, i + 1);
  if (text[i] === CLOSE_ARRAY) return i + 1;
  for (;;) {
    let named = false;
    let start = -1;
    let end = -1;
    if (text[i] === OPEN_OBJECT) {
      i = eachMember(text, i, (keyStart, keyEnd, valueStart) => {
        if (!keyIs(text, keyStart, keyEnd, MESSAGE)) return skipValue(text, valueStart);
        if (named) throw new Uncertain();
        named = true;
        if (text[valueStart] !== QUOTE) return skipValue(text, valueStart);
        start = valueStart + 1;
        end = messageEnd(text, start);
        return end + 1;
      });
    } else {
      i = skipValue(text, i);
    }
    spans.push(start, end);
    i = skipSpace(text, i);
    if (text[i] === CLOSE_ARRAY) return i + 1;
    // Only a text cut short has anything but a comma here; without this check its scan would not end.
    if (text[i] !== COMMA) throw new Uncertain();
    i = skipSpace(text, i + 1);
  }
}

/**
 * For each of the payload's `eventCount` events, the byte range of its message's JSON string
 * content in `text` (start and end, two numbers an event; -1 and -1 when it is not a string), or
 * undefined when that cannot be certain. `text` must be the UTF-8 of a JSON object that JSON.parse
 * accepted (the scan follows its structure and checks no syntax); on any other text it still ends.
 */
export function messageSpans(text: Uint8Array, eventCount: number): Int32Array | undefined {
  const spans: number[] = [];
  try {
    // A second logEvents (JSON.parse keeps the last) adds its events: unless the first was empty,
    // when the spans are all the last one's, the count no longer matches.
    eachMember(text, skipSpace(text, 0), (keyStart, keyEnd, valueStart) =>
      keyIs(text, keyStart, keyEnd, LOG_EVENTS) ? eventSpans(text, valueStart, spans) : skipValue(text, valueStart),
    );
  } catch (error) {
    if (error instanceof Uncertain) return undefined;
    throw error;
  }
  return spans.length === 2 * eventCount ? Int32Array.from(spans) : undefined;
}
