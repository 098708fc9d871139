/**
 * The Firehose record processor's logic: CloudWatch Logs payloads in, one JSON line per log event
 * out (log-line.ts), never losing an event. A response must stay under Firehose's 6,000,000-byte
 * limit: records that do not fit are put back on the source Kinesis stream (same partition key)
 * and marked `Dropped` only once they are safely there; a record too large on its own is split in
 * halves and re-ingested; a single event too large on its own fails its record (Firehose keeps the
 * raw record under the error prefix) rather than going round forever. Every record ends `Ok`,
 * `Dropped` (control message, no events, or re-ingested) or `ProcessingFailed` with a reason.
 */
import type { FirehoseTransformationEventRecord, FirehoseTransformationResultRecord } from 'aws-lambda';
import {
  decodeRecord,
  encodePayload,
  splitPayload,
  UnrenderableEventError,
  type CloudWatchLogsPayload,
  type DataMessage,
  type StreamConsumer,
} from './cloudwatch-logs-record';
import { partitionKeys, type ArchivePartitioning } from './archive-layout';
import { renderPayload, type RenderContext, type RenderedPayload } from './log-line';
import { categoryOf, HEARTBEAT_LOG_GROUP, logSourceOf, type LogCategory } from './log-source';

/** Firehose's limit on a transformation Lambda's response, in bytes. */
export const RESPONSE_LIMIT_BYTES = 6_000_000;

export interface ReingestEntry {
  readonly data: Uint8Array;
  readonly partitionKey: string;
}

/** Puts entries on the source stream; answers, per entry in order, its error code or undefined. */
export type PutRecordsPort = (entries: readonly ReingestEntry[]) => Promise<ReadonlyArray<string | undefined>>;

/** Which of a payload's events one consumer takes: the SIEM's share (siem-selection.ts). */
export interface PayloadSelection {
  /** Whether any event of this category goes on. */
  readonly category: (category: LogCategory) => boolean;
  /** The events kept of a payload of a selected category. */
  readonly events: (payload: DataMessage, category: LogCategory) => DataMessage;
}

export interface TransformOptions {
  /** The consumer this processor serves: it marks what it re-ingests and drops what the other re-ingested. @default 'archive' */
  readonly consumer?: StreamConsumer;
  /** How a payload becomes lines. @default renderPayload, the archive's line format */
  readonly render?: (payload: DataMessage, context: RenderContext, text?: Buffer) => RenderedPayload;
  /** Whether entries carry the archive's partition keys (dynamic partitioning). @default true */
  readonly partitioned?: boolean;
  /** Which events go on; a record with none left is Dropped. @default every event */
  readonly selection?: PayloadSelection;
  /** The archive's key layout, so that the keys returned are exactly the prefix's. @default 'account-category' */
  readonly partitioning?: ArchivePartitioning;
  /** The logging account, whose canary group is the heartbeat; the same group of any other owner is forged. @default no heartbeat source */
  readonly loggingAccount?: string;
  /** The organization's accounts: a record of any other `owner` fails with the reason. @default every 12-digit owner */
  readonly knownAccounts?: ReadonlySet<string>;
  /** Re-ingestion to the source stream; absent when the source is not a Kinesis stream. */
  readonly putRecords?: PutRecordsPort;
  /** @default RESPONSE_LIMIT_BYTES */
  readonly responseLimitBytes?: number;
  /** Attempts for entries PutRecords did not accept. @default 6 */
  readonly reingestAttempts?: number;
  /** Waits between re-ingestion attempts (exponential backoff, full jitter). @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface TransformReport {
  readonly ok: number;
  readonly dropped: number;
  /** Records the other consumer re-ingested, already processed here the first time. */
  readonly otherConsumers: number;
  /** Records of categories the selection leaves out, or with no selected event. */
  readonly unselected: number;
  readonly reingested: number;
  readonly split: number;
  readonly logEvents: number;
  /** Events kept as `invalid` lines, and the first few of them with their reasons. */
  readonly invalidEvents: number;
  readonly invalidSamples: ReadonlyArray<{ readonly recordId: string; readonly reason: string }>;
  readonly failed: ReadonlyArray<{ readonly recordId: string; readonly reason: string }>;
}

export interface TransformResult {
  readonly records: FirehoseTransformationResultRecord[];
  readonly report: TransformReport;
}

/** Kinesis PutRecords limits per request (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html). */
const PUT_RECORDS_MAX_ENTRIES = 500;
const PUT_RECORDS_MAX_BYTES = 5 * 1024 * 1024;

/** Bytes an entry adds to the response, counting its (ASCII, base64) data without serializing it. */
function entryBytes(entry: FirehoseTransformationResultRecord): number {
  const frame = Buffer.byteLength(JSON.stringify({ ...entry, data: entry.data === undefined ? undefined : '' }));
  return frame + (entry.data?.length ?? 0) + 1; // one byte for the separating comma
}

/** A lower bound of a payload's rendered size: every message, base64-encoded. */
function minimumRenderedBytes(payload: CloudWatchLogsPayload): number {
  let chars = 0;
  for (const event of payload.logEvents) {
    const message = (event as { message?: unknown } | null)?.message;
    if (typeof message === 'string') chars += message.length;
  }
  return Math.ceil(chars / 3) * 4;
}

/** Invalid events named in the report (all are counted; each is kept in its line). */
const INVALID_SAMPLES = 20;

interface Pending {
  readonly recordId: string;
  readonly entries: ReingestEntry[];
  readonly split: boolean;
}

/** Puts the pending records back on the stream; answers why, for each record not wholly put back. */
async function reingest(pending: readonly Pending[], options: TransformOptions): Promise<Map<string, string>> {
  const failures = new Map<string, string>();
  const flat = pending.flatMap((p) => p.entries.map((entry) => ({ recordId: p.recordId, entry })));
  if (!options.putRecords) {
    for (const p of pending) failures.set(p.recordId, 'the response is full and the source is not a Kinesis stream to re-ingest to');
    return failures;
  }
  const errors = new Map<number, string | undefined>(flat.map((_, i) => [i, 'not attempted']));
  const attempts = options.reingestAttempts ?? 6;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 0; attempt < attempts && [...errors.values()].some((e) => e !== undefined); attempt++) {
    if (attempt > 0) await sleep(Math.random() * Math.min(2000, 100 * 2 ** attempt));
    const todo = [...errors.entries()].filter(([, e]) => e !== undefined).map(([i]) => i);
    for (const batch of putRecordsBatches(todo, (i) => putRecordsEntryBytes(flat[i]!.entry))) {
      let codes: ReadonlyArray<string | undefined>;
      try {
        codes = await options.putRecords(batch.map((i) => flat[i]!.entry));
      } catch (error) {
        codes = batch.map(() => `${(error as Error).name}: ${(error as Error).message}`);
      }
      batch.forEach((i, k) => errors.set(i, codes[k]));
    }
  }
  // A record split in halves fails when either half is not on the stream.
  flat.forEach(({ recordId }, i) => {
    const error = errors.get(i);
    if (error !== undefined) failures.set(recordId, `could not re-ingest to the source stream after ${attempts} attempts: ${error}`);
  });
  return failures;
}

/** What an entry counts against a PutRecords request's 5 MiB: its data and its partition key. */
export function putRecordsEntryBytes(entry: ReingestEntry): number {
  return entry.data.byteLength + Buffer.byteLength(entry.partitionKey);
}

/** Indexes in PutRecords requests: at most 500 entries and 5 MiB (data and partition keys) each, in order. */
export function* putRecordsBatches(indexes: readonly number[], size: (i: number) => number): Generator<number[]> {
  let batch: number[] = [];
  let bytes = 0;
  for (const i of indexes) {
    if (batch.length === PUT_RECORDS_MAX_ENTRIES || (batch.length > 0 && bytes + size(i) > PUT_RECORDS_MAX_BYTES)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(i);
    bytes += size(i);
  }
  if (batch.length > 0) yield batch;
}

/** Why a record cannot be from where it says: an owner outside the organization, or a heartbeat not from the logging account. */
function forgedOrigin(payload: CloudWatchLogsPayload, options: TransformOptions): string | undefined {
  if (options.knownAccounts && !options.knownAccounts.has(payload.owner))
    return `owner: "${payload.owner}" is not an account of the organization known to the processor`;
  if (options.loggingAccount !== undefined && payload.logGroup === HEARTBEAT_LOG_GROUP && payload.owner !== options.loggingAccount) {
    return `logGroup: "${HEARTBEAT_LOG_GROUP}" of ${payload.owner} is a forged heartbeat: only the logging account's canary group is the heartbeat`;
  }
  return undefined;
}

export async function transformRecords(input: readonly FirehoseTransformationEventRecord[], options: TransformOptions): Promise<TransformResult> {
  const limit = (options.responseLimitBytes ?? RESPONSE_LIMIT_BYTES) - Buffer.byteLength('{"records":[]}');
  const results: FirehoseTransformationResultRecord[] = [];
  const failed: Array<{ recordId: string; reason: string }> = [];
  const pending: Pending[] = [];
  // Room for every record's smallest possible entry, so that whatever overflows still fits.
  const smallest = input.map((r) => entryBytes({ recordId: r.recordId, result: 'ProcessingFailed' }));
  const floor = smallest.reduce((sum, bytes) => sum + bytes, 0);
  let used = floor;
  let logEvents = 0;
  let invalidEvents = 0;
  let otherConsumers = 0;
  let unselected = 0;
  const consumer = options.consumer ?? 'archive';
  const render = options.render ?? renderPayload;
  const invalidSamples: Array<{ recordId: string; reason: string }> = [];

  for (const [index, record] of input.entries()) {
    const decoded = decodeRecord(record.data);
    if (!decoded.ok) {
      failed.push({ recordId: record.recordId, reason: decoded.reason });
      results.push({ recordId: record.recordId, result: 'ProcessingFailed' });
      continue;
    }
    if (decoded.payload.messageType === 'CONTROL_MESSAGE') {
      results.push({ recordId: record.recordId, result: 'Dropped' });
      continue;
    }
    if (decoded.payload.logEvents.length === 0) {
      results.push({ recordId: record.recordId, result: 'Dropped' });
      continue;
    }
    const forged = forgedOrigin(decoded.payload, options);
    if (forged) {
      failed.push({ recordId: record.recordId, reason: forged });
      results.push({ recordId: record.recordId, result: 'ProcessingFailed' });
      continue;
    }
    if (decoded.payload.reingestedBy !== undefined && decoded.payload.reingestedBy !== consumer) {
      otherConsumers++;
      results.push({ recordId: record.recordId, result: 'Dropped' });
      continue;
    }
    let payload: DataMessage = decoded.payload;
    if (options.selection) {
      const category = categoryOf(logSourceOf(payload.logGroup, payload.owner, options.loggingAccount));
      payload = options.selection.category(category) ? options.selection.events(payload, category) : { ...payload, logEvents: [] };
      if (payload.logEvents.length === 0) {
        unselected++;
        results.push({ recordId: record.recordId, result: 'Dropped' });
        continue;
      }
    }
    // One event nested too deeply to write back fails its own record, never the batch.
    try {
      logEvents += payload.logEvents.length;
      // Render only what may still fit; what cannot goes back to the stream unrendered.
      const lowerBound = minimumRenderedBytes(payload);
      let extra = lowerBound;
      if (used + lowerBound <= limit) {
        // The payload's JSON text goes along while its events are all still there.
        const { data, account, category, invalid } = render(payload, options, payload === decoded.payload ? decoded.text : undefined);
        const entry: FirehoseTransformationResultRecord = { recordId: record.recordId, result: 'Ok', data };
        if (options.partitioned !== false) entry.metadata = { partitionKeys: partitionKeys(options.partitioning ?? 'account-category', account, category) };
        extra = entryBytes(entry) - smallest[index]!;
        if (used + extra <= limit) {
          used += extra;
          results.push(entry);
          invalidEvents += invalid.length;
          for (const reason of invalid.slice(0, INVALID_SAMPLES - invalidSamples.length)) invalidSamples.push({ recordId: record.recordId, reason });
          continue;
        }
      }
      const tooLargeAlone = floor + extra > limit;
      if (tooLargeAlone && payload.logEvents.length === 1) {
        failed.push({ recordId: record.recordId, reason: `its one event needs at least ${extra} bytes, more than a response of ${limit} bytes holds` });
        results.push({ recordId: record.recordId, result: 'ProcessingFailed' });
        continue;
      }
      // Does not fit: put it back on the stream, marked as this consumer's so that the other one,
      // which has seen it, drops it; halve it if it could never fit in any response.
      const partitionKey = record.kinesisRecordMetadata?.partitionKey ?? payload.logStream;
      const marked: DataMessage = { ...payload, reingestedBy: consumer };
      const entries = (tooLargeAlone ? splitPayload(marked) : [marked]).map((part) => ({ data: encodePayload(part), partitionKey }));
      pending.push({ recordId: record.recordId, entries, split: tooLargeAlone });
      results.push({ recordId: record.recordId, result: 'Dropped' });
    } catch (error) {
      if (!(error instanceof UnrenderableEventError)) throw error;
      failed.push({ recordId: record.recordId, reason: error.message });
      results.push({ recordId: record.recordId, result: 'ProcessingFailed' });
    }
  }

  const failures = await reingest(pending, options);
  for (const result of results) {
    const reason = failures.get(result.recordId);
    if (reason !== undefined) {
      result.result = 'ProcessingFailed';
      failed.push({ recordId: result.recordId, reason });
    }
  }
  const reingested = pending.filter((p) => !failures.has(p.recordId));
  return {
    records: results,
    report: {
      ok: results.filter((r) => r.result === 'Ok').length,
      dropped: results.filter((r) => r.result === 'Dropped').length,
      otherConsumers,
      unselected,
      reingested: reingested.length,
      split: reingested.filter((p) => p.split).length,
      logEvents,
      invalidEvents,
      invalidSamples,
      failed,
    },
  };
}
