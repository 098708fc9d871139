/**
 * Replay of the archive into the SIEM (`tributary replay`): only objects the verifier proves (a
 * trusted, linked digest lists them, their bytes hash as listed, and no problem names them) are
 * sent, each hashed again as it is read. An object's lines go back on its region's stream as
 * CloudWatch Logs payloads marked as the SIEM's own re-ingestion: the SIEM's processor takes them
 * through the same share, format and delivery as live logs, and the archive's processor drops
 * them (it holds them already). A checkpoint of finished objects makes a replay resumable.
 */
import { gunzipSync, gzipSync } from 'zlib';
import { writableJson, type DataMessage } from '../data-path/cloudwatch-logs-record';
import { categoryOf, logSourceOf, type LogCategory } from '../data-path/log-source';
import type { AccountId } from '../domain';
import { sha256Hex } from './digest';
import type { ArchiveStore } from './ports';
import type { ProvenObject } from './verify';

/** The filter name a replayed payload carries, where CloudWatch Logs names the subscription. */
export const REPLAY_FILTER_NAME = 'tributary-replay';
/** A payload's JSON at most this long: well inside a Kinesis record's 1 MiB once gzipped. */
const PAYLOAD_MAX_CHARS = 900_000;

export interface ReplaySelection {
  /** Hours from here (ms, inclusive)... */
  readonly from: number;
  /** ...to here (exclusive). */
  readonly to: number;
  /** @default every account */
  readonly accounts?: ReadonlySet<string>;
  /** @default every category */
  readonly categories?: ReadonlySet<LogCategory>;
}

/** A line of an archive object that is not the archive's line format. */
export class ArchiveLineError extends Error {
  public override readonly name = 'ArchiveLine';
}

const ACCOUNT_IN_KEY = /\/account=(\d{12})\//;
const CATEGORY_IN_KEY = /\/category=([a-z]+)\//;

/** The proven objects a replay sends: in the window, of the accounts and categories asked for (where the key says). */
export function selectObjects(proven: readonly ProvenObject[], selection: ReplaySelection): ProvenObject[] {
  return proven.filter((o) => {
    if (o.hour < selection.from || o.hour >= selection.to) return false;
    const account = ACCOUNT_IN_KEY.exec(o.key)?.[1];
    if (account === undefined) return false;
    if (selection.accounts && !selection.accounts.has(account)) return false;
    const category = CATEGORY_IN_KEY.exec(o.key)?.[1];
    return !(selection.categories && category !== undefined && !selection.categories.has(category as LogCategory));
  });
}

function text(field: string, value: unknown, where: string): string {
  if (typeof value !== 'string') throw new ArchiveLineError(`${where}: ${field} is not a string`);
  return value;
}

/** A line back as the log event it was rendered from (log-line.ts), byte for byte. */
function eventOf(line: Record<string, unknown>, where: string): unknown {
  if ('invalid' in line) {
    return JSON.parse(typeof line.eventBase64 === 'string' ? Buffer.from(line.eventBase64, 'base64').toString('utf8') : text('event', line.event, where));
  }
  const message = typeof line.messageBase64 === 'string' ? Buffer.from(line.messageBase64, 'base64').toString('utf8') : text('message', line.message, where);
  return { id: text('id', line.id, where), timestamp: line.timestamp, message };
}

/**
 * An archive object's lines as CloudWatch Logs payloads, in order: one per run of lines of the same
 * group and stream (cut where a payload would pass PAYLOAD_MAX_CHARS), owned by the key's account.
 */
export function payloadsOfObject(key: string, gzipped: Buffer, categories?: ReadonlySet<LogCategory>): DataMessage[] {
  const owner = ACCOUNT_IN_KEY.exec(key)?.[1];
  if (owner === undefined) throw new ArchiveLineError(`${key}: the key names no account`);
  const payloads: DataMessage[] = [];
  let current: { logGroup: string; logStream: string; events: unknown[]; chars: number } | undefined;
  const flush = () => {
    if (current && current.events.length > 0) {
      payloads.push({
        messageType: 'DATA_MESSAGE',
        owner: owner as AccountId,
        logGroup: current.logGroup,
        logStream: current.logStream,
        subscriptionFilters: [REPLAY_FILTER_NAME],
        logEvents: current.events,
        reingestedBy: 'siem',
      });
    }
    current = undefined;
  };
  const lines = gunzipSync(gzipped).toString('utf8').split('\n');
  lines.forEach((raw, index) => {
    if (raw === '') return;
    const where = `${key} line ${index + 1}`;
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(raw) as Record<string, unknown>;
    } catch (cause) {
      throw new ArchiveLineError(`${where}: not JSON`, { cause });
    }
    const logGroup = text('logGroup', line.logGroup, where);
    const logStream = text('logStream', line.logStream, where);
    if (categories && !categories.has(categoryOf(logSourceOf(logGroup, owner)))) return;
    const event = eventOf(line, where);
    const chars = writableJson(event).length;
    if (!current || current.logGroup !== logGroup || current.logStream !== logStream || current.chars + chars > PAYLOAD_MAX_CHARS) {
      flush();
      current = { logGroup, logStream, events: [], chars: 0 };
    }
    current.events.push(event);
    current.chars += chars;
  });
  flush();
  return payloads;
}

/** Which objects a replay has finished, kept where an interrupted replay can read it again. */
export interface ReplayCheckpoint {
  has(key: string): boolean;
  add(key: string): Promise<void>;
}

export interface ReplayPorts {
  readonly store: ArchiveStore;
  /** Puts payloads (gzipped JSON, one Kinesis record each) on `region`'s stream; resolves once all are accepted. */
  readonly send: (region: string, records: readonly { readonly data: Buffer; readonly partitionKey: string }[]) => Promise<void>;
  readonly checkpoint: ReplayCheckpoint;
  /** Waits as the rate limit asks, after `bytes` were sent. */
  readonly pace: (bytes: number) => Promise<void>;
}

export interface ReplayTotals {
  readonly objects: number;
  /** Objects a previous run finished. */
  readonly skipped: number;
  readonly events: number;
  readonly bytesSent: number;
  /** Objects whose bytes no longer hash as proven when read: not sent. */
  readonly changed: ReadonlyArray<{ readonly key: string; readonly detail: string }>;
}

/** Sends each selected object, in order, skipping those the checkpoint has; `onObject` follows progress. */
export async function replayObjects(
  objects: readonly ProvenObject[],
  ports: ReplayPorts,
  options: { readonly categories?: ReadonlySet<LogCategory>; readonly onObject?: (done: number, total: number) => void } = {},
): Promise<ReplayTotals> {
  let skipped = 0;
  let events = 0;
  let bytesSent = 0;
  const changed: Array<{ key: string; detail: string }> = [];
  for (const [index, object] of objects.entries()) {
    options.onObject?.(index, objects.length);
    if (ports.checkpoint.has(object.key)) {
      skipped++;
      continue;
    }
    const stored = await ports.store.get(object.key, object.versionId);
    // Hashed again as read: what is sent is what the digest lists, even if it changed since verify.
    if (!stored || stored.bytes.length !== object.size || sha256Hex(stored.bytes) !== object.sha256) {
      changed.push({ key: object.key, detail: stored ? 'its bytes no longer hash as its digest lists' : 'it is gone' });
      continue;
    }
    const payloads = payloadsOfObject(object.key, stored.bytes, options.categories);
    const records = payloads.map((p) => ({ data: gzipSync(writableJson(p)), partitionKey: p.logStream }));
    if (records.length > 0) await ports.send(object.chain, records);
    await ports.checkpoint.add(object.key);
    const bytes = records.reduce((n, r) => n + r.data.length, 0);
    bytesSent += bytes;
    events += payloads.reduce((n, p) => n + p.logEvents.length, 0);
    await ports.pace(bytes);
  }
  options.onObject?.(objects.length, objects.length);
  return { objects: objects.length, skipped, events, bytesSent, changed };
}
