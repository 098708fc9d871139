/**
 * The archive's line format (documented in docs/log-line.schema.json): one JSON object per log
 * event, on one line, nothing stored twice. A line is the CloudWatch Logs event with its group and
 * stream; the account, region and category are in the object's key (log-delivery-stream.ts), once
 * per object instead of once per line.
 *
 *   {"timestamp":<epoch ms>,"logGroup","logStream","id","message"}
 *
 * `message` is the raw message as a JSON string, so it comes back byte for byte and no content
 * can break out of its line. The processor copies that string from the payload's own JSON text
 * where it can (message-spans.ts), so its escapes are the sender's: the same text once read. A
 * message whose JSON form passes INLINE_MESSAGE_LIMIT characters (control characters escape to
 * six) is stored as `messageBase64` (its UTF-8 bytes) when that is shorter: the bounded form. An event that is not what CloudWatch Logs sends is kept whole as
 * `event` (its JSON text) beside `invalid` (why), instead of failing its record.
 */
import { isUtf8 } from 'buffer';
import { shown, writableJson, type DataMessage, type RawLogEvent } from './cloudwatch-logs-record';
import { categoryOf, logSourceOf, type LogCategory } from './log-source';
import { messageSpans } from './message-spans';

export const INLINE_MESSAGE_LIMIT = 2 ** 20;

/** Date's range: ±8.64e15 ms (ECMAScript time values); CloudWatch Logs never sends negative times. */
const MAX_TIME = 8.64e15;
/** CloudWatch Logs event ids are decimal digits (56 of them today). */
const NOT_DIGIT = /[^0-9]/;

/** 1 to 128 decimal digits; a length check and a search for a non-digit cost less than an anchored pattern. */
function isEventId(id: string): boolean {
  return id.length > 0 && id.length <= 128 && !NOT_DIGIT.test(id);
}

/** A log event as CloudWatch Logs sends it (what eventProblem checks). */
export interface LogEvent {
  readonly id: string;
  readonly timestamp: number;
  readonly message: string;
}

/** Why an event is not a CloudWatch Logs log event, or undefined when it is one. */
export function eventProblem(event: RawLogEvent): string | undefined {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return `event: ${shown(event)} is not an object`;
  const { id, timestamp, message } = event as Record<string, unknown>;
  if (typeof id !== 'string' || !isEventId(id)) return `id: ${shown(id)} is not a CloudWatch Logs event id`;
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0 || timestamp > MAX_TIME)
    return `timestamp: ${shown(timestamp)} is not epoch milliseconds`;
  if (typeof message !== 'string') return `message: ${shown(message)} is not a string`;
  return undefined;
}

/** "000" to "999": the last six digits of a timestamp, three at a time. */
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(1000 + i).slice(1));

/**
 * A validated timestamp (a safe integer in [0, MAX_TIME]) as decimal text, equal to String(t).
 * Above 2^31 a number is a heap double, which V8 prints about three times slower than a small
 * integer and two table lookups; for the processor's hundreds of thousands of events per batch
 * that is measurable.
 */
export function epochMillisText(t: number): string {
  // Exact up to MAX_TIME: t / 1e6 lies at least 1e-6 below the next integer, more than half the
  // spacing of doubles there (2^-19 at 8.64e9), so rounding never carries it over.
  const high = Math.floor(t / 1e6);
  const low = t - high * 1e6;
  if (high === 0) return String(low);
  const thousands = Math.floor(low / 1000);
  return String(high) + THREE_DIGITS[thousands]! + THREE_DIGITS[low - thousands * 1000]!;
}

/** `"name":"<text as JSON>"`, or `"nameBase64":"..."` when that is the bounded form of a long text. */
function textMember(name: string, text: string): string {
  const json = JSON.stringify(text);
  if (json.length <= INLINE_MESSAGE_LIMIT || !text.isWellFormed()) return `"${name}":${json}`;
  const base64 = Buffer.from(text).toString('base64');
  return base64.length < Buffer.byteLength(json) ? `"${name}Base64":"${base64}"` : `"${name}":${json}`;
}

export interface RenderedPayload {
  /** The lines, base64-encoded as Firehose takes them. */
  readonly data: string;
  /** What the object key is made of (the region is fixed per stream): archive-layout.ts. */
  readonly account: string;
  readonly category: LogCategory;
  /** Reasons, in order, for the events kept as `invalid` lines. */
  readonly invalid: readonly string[];
}

export interface RenderContext {
  /** The logging account: only its canary group is the heartbeat. */
  readonly loggingAccount?: string;
}

/**
 * Where a payload's lines are encoded as they are made: each line goes into this buffer as UTF-8,
 * and the payload is base64-encoded from it once. Concatenating the lines into one string instead
 * makes V8 flatten a rope of hundreds of thousands of pieces before encoding it, about a fifth of
 * the processor's time (issue #21). It grows as needed and lives as long as the execution
 * environment; every payload's data is copied out as base64 before the next one starts.
 */
let scratch = Buffer.allocUnsafe(1 << 20);

/** Grows the scratch buffer, keeping its first `offset` bytes, when `bytes` more may not fit. */
function makeRoom(offset: number, bytes: number): void {
  if (offset + bytes <= scratch.length) return;
  const grown = Buffer.allocUnsafe(Math.max(offset + bytes, 2 * scratch.length));
  scratch.copy(grown, 0, 0, offset);
  scratch = grown;
}

/** Writes `line` at `offset` (UTF-8 takes at most 3 bytes a UTF-16 unit). */
function writeLine(line: string, offset: number): number {
  makeRoom(offset, 3 * line.length);
  return offset + scratch.write(line, offset);
}

/** Writes `head`, then the bytes text[start, end), then `"}` and a newline: a line whose message is copied. */
function writeLineWithSpan(head: string, text: Buffer, start: number, end: number, offset: number): number {
  makeRoom(offset, 3 * head.length + (end - start) + 3);
  offset += scratch.write(head, offset);
  offset += text.copy(scratch, offset, start, end);
  scratch[offset++] = 0x22;
  scratch[offset++] = 0x7d;
  scratch[offset++] = 0x0a;
  return offset;
}

/** A message at most this long has a JSON form within INLINE_MESSAGE_LIMIT however it is escaped (six characters a unit at most, and the quotes). */
const SURELY_INLINE = Math.floor((INLINE_MESSAGE_LIMIT - 2) / 6);

/**
 * One line per log event of a validated payload. With `text`, the payload's JSON as UTF-8 (what
 * JSON.parse read), each message's JSON string is copied from it (message-spans.ts) rather than
 * written again: the same string, byte for byte, once read back.
 */
export function renderPayload(payload: DataMessage, context: RenderContext, text?: Buffer): RenderedPayload {
  const spans = text !== undefined && isUtf8(text) ? messageSpans(text, payload.logEvents.length) : undefined;
  const copy = text !== undefined && spans !== undefined ? { text, spans } : undefined;
  const source = logSourceOf(payload.logGroup, payload.owner, context.loggingAccount);
  // A log group name ([.-_/#A-Za-z0-9], validated with the envelope) needs no escaping.
  const common = `"logGroup":"${payload.logGroup}","logStream":${JSON.stringify(payload.logStream)}${payload.backfill ? ',"backfilled":true' : ''}`;
  const invalid: string[] = [];
  let offset = 0;
  for (let k = 0; k < payload.logEvents.length; k++) {
    const event = payload.logEvents[k];
    // The common case inline (this loop is most of the processor's own work); anything unusual
    // goes through eventProblem.
    if (typeof event === 'object' && event !== null) {
      const { id, timestamp, message } = event as LogEvent;
      if (
        typeof message === 'string' &&
        typeof id === 'string' &&
        typeof timestamp === 'number' &&
        timestamp >= 0 &&
        timestamp <= MAX_TIME &&
        Number.isSafeInteger(timestamp) &&
        isEventId(id)
      ) {
        const start = copy === undefined ? -1 : copy.spans[2 * k]!;
        if (copy !== undefined && start !== -1 && message.length <= SURELY_INLINE) {
          const head = `{"timestamp":${epochMillisText(timestamp)},${common},"id":"${id}","message":"`;
          offset = writeLineWithSpan(head, copy.text, start, copy.spans[2 * k + 1]!, offset);
          continue;
        }
        const json = JSON.stringify(message);
        offset = writeLine(
          json.length <= INLINE_MESSAGE_LIMIT
            ? `{"timestamp":${epochMillisText(timestamp)},${common},"id":"${id}","message":${json}}\n`
            : `{"timestamp":${epochMillisText(timestamp)},${common},"id":"${id}",${textMember('message', message)}}\n`,
          offset,
        );
        continue;
      }
    }
    const problem = eventProblem(event) ?? `event: ${shown(event)} is not a CloudWatch Logs event`;
    invalid.push(problem);
    offset = writeLine(`{${common},"invalid":${JSON.stringify(problem)},${textMember('event', writableJson(event))}}\n`, offset);
  }
  return { data: scratch.toString('base64', 0, offset), account: payload.owner, category: categoryOf(source), invalid };
}
