/**
 * CloudWatch Logs subscription payloads: base64 of gzip of JSON
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Subscriptions.html). They come from
 * member accounts, so every envelope field is validated here; log events are validated one by one
 * where they are rendered (a bad event fails only itself).
 */
import { gunzipSync, gzipSync } from 'zlib';
import type { AccountId } from '../domain';

/**
 * The most a payload may inflate to. A payload arrives in one Kinesis record (at most 1 MiB of
 * gzip); CloudWatch Logs batches hold at most 1 MiB of events each (PutLogEvents quota) and
 * compress 5 to 20 times, so 64 MiB leaves room for dense batches while a bomb stops here,
 * well inside the processor's 1,536 MB. A record past it fails with this reason, and Firehose
 * keeps its raw bytes under the error prefix.
 */
export const DECOMPRESSED_LIMIT_BYTES = 64 * 2 ** 20;

/** An event as found in the payload: validated only when it is rendered. */
export type RawLogEvent = unknown;

/**
 * The two consumers of each region's stream: Firehose to the archive, and Firehose to the SIEM.
 * Each puts back on the stream what did not fit its response, and the other consumer has already
 * seen those records once.
 */
export type StreamConsumer = 'archive' | 'siem';
export const STREAM_CONSUMERS: readonly StreamConsumer[] = ['archive', 'siem'];

interface PayloadFields {
  readonly logGroup: string;
  readonly logStream: string;
  readonly subscriptionFilters: readonly string[];
  readonly logEvents: readonly RawLogEvent[];
  /**
   * Set by the processor that put the record back on the stream; CloudWatch Logs never sends it.
   * Only CloudWatch Logs (through the destination) and the processors can write to the stream, so
   * a member cannot forge it: its log group and stream names, which it can choose, are elsewhere.
   */
  readonly reingestedBy?: StreamConsumer;
  /** Set by the backfill (tasks/lib/backfill.ts) on history it archives; CloudWatch Logs never sends it. */
  readonly backfill?: true;
}

/** Log events of one group; the envelope validated. */
export interface DataMessage extends PayloadFields {
  readonly messageType: 'DATA_MESSAGE';
  readonly owner: AccountId;
}

/** CloudWatch Logs checking that it can reach the destination (owner `CloudwatchLogs`). */
export interface ControlMessage extends PayloadFields {
  readonly messageType: 'CONTROL_MESSAGE';
  readonly owner: string;
}

export type CloudWatchLogsPayload = DataMessage | ControlMessage;

export type Decoded =
  | {
      readonly ok: true;
      readonly payload: CloudWatchLogsPayload;
      /** The payload's JSON as UTF-8, what JSON.parse read: the processor copies messages from it. */
      readonly text: Buffer;
    }
  | { readonly ok: false; readonly reason: string };

/** Bytes that well-formed base64 of this length decodes to. */
function decodedLength(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return (data.length / 4) * 3 - padding;
}

/** CreateLogGroup: 1-512 of [.\-_/#A-Za-z0-9]; CreateLogStream: 1-512, no ':' or '*' (CloudWatch Logs API reference). */
const LOG_GROUP = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const LOG_STREAM = /^[^:*]{1,512}$/;
const ACCOUNT = /^\d{12}$/;

/**
 * A payload holds an event that cannot be written back as JSON: nested so deeply that
 * JSON.stringify runs out of stack (JSON.parse took it). Its record fails alone, with this reason.
 */
export class UnrenderableEventError extends Error {
  public override readonly name = 'UnrenderableEvent';
}

/** JSON.stringify, or UnrenderableEventError for a value nested too deeply to write. */
export function writableJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (cause) {
    if (cause instanceof RangeError) throw new UnrenderableEventError(`an event is nested too deeply to be kept whole (${cause.message})`, { cause });
    throw cause;
  }
}

/** A payload value as a reason shows it: its JSON, cut at 80 characters. */
export function shown(value: unknown): string {
  const text = writableJson(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The first envelope field that is not what CloudWatch Logs sends, as `field: value problem`. */
function envelopeProblem(payload: Record<string, unknown>): string | undefined {
  const { messageType, owner, logGroup, logStream, logEvents } = payload;
  if (messageType !== 'DATA_MESSAGE' && messageType !== 'CONTROL_MESSAGE') return `messageType: ${shown(messageType)} is not DATA_MESSAGE or CONTROL_MESSAGE`;
  if (messageType === 'CONTROL_MESSAGE') return undefined;
  if (typeof owner !== 'string' || !ACCOUNT.test(owner)) return `owner: ${shown(owner)} is not an AWS account id (12 digits)`;
  if (typeof logGroup !== 'string' || !LOG_GROUP.test(logGroup)) return `logGroup: ${shown(logGroup)} is not a log group name`;
  if (typeof logStream !== 'string' || !LOG_STREAM.test(logStream)) return `logStream: ${shown(logStream)} is not a log stream name`;
  if (!Array.isArray(logEvents)) return `logEvents: ${shown(logEvents)} is not a list`;
  const { reingestedBy, backfill } = payload;
  if (backfill !== undefined && backfill !== true) return `backfill: ${shown(backfill)} is not true`;
  if (reingestedBy !== undefined && !STREAM_CONSUMERS.includes(reingestedBy as StreamConsumer))
    return `reingestedBy: ${shown(reingestedBy)} is not one of ${STREAM_CONSUMERS.join(', ')}`;
  return undefined;
}

export function decodeRecord(data: string): Decoded {
  // Node skips characters outside the alphabet instead of failing, so a short result exposes them
  // (and a length that is no multiple of four never matches decodedLength, which is then fractional);
  // a regular expression over megabytes of base64 would cost more than the gunzip.
  const gzipped = typeof data === 'string' ? Buffer.from(data, 'base64') : undefined;
  if (!gzipped || gzipped.length === 0 || gzipped.length !== decodedLength(data)) return { ok: false, reason: 'data is not base64' };
  let text: Buffer;
  try {
    text = gunzipSync(gzipped, { maxOutputLength: DECOMPRESSED_LIMIT_BYTES });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      return { ok: false, reason: `data decompresses to more than ${DECOMPRESSED_LIMIT_BYTES} bytes` };
    return { ok: false, reason: `data is not gzip: ${(error as Error).message}` };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text.toString('utf8'));
  } catch {
    return { ok: false, reason: 'data is not JSON' };
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    return { ok: false, reason: 'data is not a CloudWatch Logs subscription payload (a JSON object)' };
  const problem = envelopeProblem(payload as Record<string, unknown>);
  if (problem) return { ok: false, reason: problem };
  return { ok: true, payload: payload as CloudWatchLogsPayload, text };
}

export function encodePayload(payload: CloudWatchLogsPayload): Buffer {
  return gzipSync(writableJson(payload));
}

/** Halves a payload's log events (for a record whose output is too large on its own). */
export function splitPayload(payload: DataMessage): [DataMessage, DataMessage] {
  const middle = Math.ceil(payload.logEvents.length / 2);
  return [
    { ...payload, logEvents: payload.logEvents.slice(0, middle) },
    { ...payload, logEvents: payload.logEvents.slice(middle) },
  ];
}
