/**
 * Backfill of one log group's retained history into the archive (issue #23), one FilterLogEvents
 * page a step, so that a step is short, resumable, and paced like every other call.
 *
 * The seam with live delivery: a subscription filter delivers the events ingested after it was
 * created, whatever their own timestamps (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Subscriptions.html).
 * The backfill takes exactly the others: events ingested before the filter's `creationTime`. It
 * searches by event timestamp from the horizon to the seam plus CloudWatch Logs' future skew (an
 * event may carry a timestamp up to two hours after its ingestion:
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html) and
 * keeps the events whose `ingestionTime` is before the seam. The two sets are disjoint by
 * construction and cover every event from the horizon on; event ids make it checkable.
 *
 * Exactly once, with one read a page: a step reads the page, fixes its object's key and the last
 * event it holds (by FilterLogEvents' order: timestamp, ingestion time, id) and saves that as
 * pending before it writes the object, only if absent (S3 conditional write). A step that dies
 * after the write finds the object on resume and moves on; one that dies before it reads exactly
 * the history after the previous page up to the pending last event again, however pages fall now,
 * and writes the same object. The history is fixed (ingested before the seam) and its order total.
 * A pending page not yet written is re-keyed to the current hour first, so every object lands in
 * an hour its digest has not closed.
 */
import { FilterLogEventsCommand, ResourceNotFoundException, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { createHash } from 'crypto';
import { gzipSync } from 'zlib';
import type { DataMessage } from './data-path/cloudwatch-logs-record';
import { renderPayload } from './data-path/log-line';
import { categoryOf, logSourceOf } from './data-path/log-source';
import type { AccountId } from './domain';

/** How far after its ingestion an event's own timestamp may lie (PutLogEvents accepts up to 2 hours ahead). */
export const FUTURE_SKEW_MS = 2 * 3_600_000;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface BackfillWindow {
  /** The horizon: the earliest event timestamp backfilled (ms). */
  readonly startTime: number;
  /** The search's end by timestamp: the seam plus the future skew. */
  readonly endTime: number;
  /** The filter's creation time: events ingested before it are backfilled, the rest are live. */
  readonly seam: number;
}

export function backfillWindow(filterCreationTime: number, days: number): BackfillWindow {
  return { startTime: filterCreationTime - days * DAY_MS, endTime: filterCreationTime + FUTURE_SKEW_MS, seam: filterCreationTime };
}

/** FilterLogEvents' order: timestamp, then ingestion time, then id. */
export type EventKey = readonly [timestamp: number, ingestionTime: number, eventId: string];

function after(a: EventKey, b: EventKey): boolean {
  return a[0] !== b[0] ? a[0] > b[0] : a[1] !== b[1] ? a[1] > b[1] : a[2] > b[2];
}

/** Where a backfill stands; saved after every step. */
export interface BackfillCursor {
  /** FilterLogEvents' token of the page being worked on; undefined for the first. */
  readonly nextToken?: string;
  /** The last history event archived; undefined before the first. */
  readonly lastKey?: EventKey;
  readonly pages: number;
  readonly events: number;
  readonly bytes: number;
  /** A page read and not yet known to be written: its object's key, its last event, the token after it. */
  readonly pending?: { readonly key: string; readonly lastKey: EventKey; readonly nextToken?: string; readonly events: number; readonly bytes: number };
  readonly done: boolean;
  /** Why it ended early: the log group was deleted mid-way. */
  readonly ended?: 'log-group-deleted';
}

export const NEW_CURSOR: BackfillCursor = { pages: 0, events: 0, bytes: 0, done: false };

/** The archive objects a backfill writes, each only if absent. */
export interface BackfillObjects {
  /** Writes `bytes` at `key` unless an object is there; answers whether it wrote. */
  createIfAbsent(key: string, bytes: Buffer): Promise<boolean>;
  exists(key: string): Promise<boolean>;
}

export interface BackfillTarget {
  readonly account: AccountId;
  readonly region: string;
  readonly logGroupName: string;
  /** The logging account: only its canary group is the heartbeat. */
  readonly loggingAccount?: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The object of one page: the archive's `account-category` layout, under the hour it is written
 * (so that hour's digest covers it), named `backfill-` with the group and the page's first event.
 */
export function backfillObjectKey(target: BackfillTarget, writtenAt: number, firstEventId: string): string {
  const d = new Date(Math.floor(writtenAt / HOUR_MS) * HOUR_MS);
  const category = categoryOf(logSourceOf(target.logGroupName, target.account, target.loggingAccount));
  const group = backfillGroupHash(target.logGroupName);
  return `logs/region=${target.region}/account=${target.account}/category=${category}/${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${pad(d.getUTCHours())}/backfill-${group}-${firstEventId}.gz`;
}

/**
 * The object that says a group's backfill reached its horizon: no line, under the hour it is
 * written, so a digest proves it (`tributary verify --log-groups` reports it per group).
 */
export function backfillCompleteKey(target: BackfillTarget, writtenAt: number): string {
  return backfillObjectKey(target, writtenAt, 'complete');
}

/** The hash that names a group in backfill keys, from a key: `backfill-<hash>-...`. */
export function backfillGroupHashOf(key: string): string | undefined {
  return /\/backfill-([0-9a-f]{16})-[^/]+\.gz$/.exec(key)?.[1];
}

export function backfillGroupHash(logGroupName: string): string {
  return createHash('sha256').update(logGroupName).digest('hex').slice(0, 16);
}

interface FoundEvent {
  readonly eventId: string;
  readonly logStreamName: string;
  readonly timestamp: number;
  readonly ingestionTime: number;
  readonly message: string;
}

const keyOf = (e: FoundEvent): EventKey => [e.timestamp, e.ingestionTime, e.eventId];

/** A page's events as archive lines (log-line.ts), marked `backfilled`, one payload per run of a stream. */
export function renderBackfillPage(target: BackfillTarget, events: readonly FoundEvent[]): Buffer {
  const parts: string[] = [];
  let run: FoundEvent[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const payload: DataMessage = {
      messageType: 'DATA_MESSAGE',
      owner: target.account,
      logGroup: target.logGroupName,
      logStream: run[0]!.logStreamName,
      subscriptionFilters: [],
      logEvents: run.map((e) => ({ id: e.eventId, timestamp: e.timestamp, message: e.message })),
      backfill: true,
    };
    parts.push(Buffer.from(renderPayload(payload, target.loggingAccount ? { loggingAccount: target.loggingAccount } : {}).data, 'base64').toString('utf8'));
    run = [];
  };
  for (const event of events) {
    if (run.length > 0 && run[0]!.logStreamName !== event.logStreamName) flush();
    run.push(event);
  }
  flush();
  return gzipSync(parts.join(''));
}

/** One FilterLogEvents page: its history events (ingested before the seam) after `since`, and the token after it. */
async function readPage(logs: CloudWatchLogsClient, target: BackfillTarget, window: BackfillWindow, token: string | undefined, since: EventKey | undefined) {
  const page = await logs.send(
    new FilterLogEventsCommand({ logGroupName: target.logGroupName, startTime: window.startTime, endTime: window.endTime, nextToken: token }),
  );
  const events: FoundEvent[] = (page.events ?? [])
    .map((e) => ({
      eventId: e.eventId ?? '',
      logStreamName: e.logStreamName ?? '',
      timestamp: e.timestamp ?? 0,
      ingestionTime: e.ingestionTime ?? Number.MAX_SAFE_INTEGER,
      message: e.message ?? '',
    }))
    .filter((e) => e.ingestionTime < window.seam && (!since || after(keyOf(e), since)));
  return { events, nextToken: page.nextToken };
}

/**
 * One step (see above): one page read and written, or a pending page finished. `save` persists a
 * cursor before the write; the cursor answered is the one to save after it. A deleted log group
 * ends the backfill cleanly with what it wrote.
 */
export async function backfillStep(
  logs: CloudWatchLogsClient,
  objects: BackfillObjects,
  target: BackfillTarget,
  window: BackfillWindow,
  cursor: BackfillCursor,
  now: number,
  save: (cursor: BackfillCursor) => Promise<void>,
): Promise<BackfillCursor> {
  if (cursor.done) return cursor;
  try {
    if (!cursor.pending) {
      const { events, nextToken } = await readPage(logs, target, window, cursor.nextToken, cursor.lastKey);
      const bytes = events.reduce((n, e) => n + Buffer.byteLength(e.message), 0);
      if (events.length === 0) {
        if (nextToken === undefined) await objects.createIfAbsent(backfillCompleteKey(target, now), gzipSync(''));
        return { ...cursor, ...(nextToken ? { nextToken } : { nextToken: undefined }), done: nextToken === undefined };
      }
      const pending = {
        key: backfillObjectKey(target, now, events[0]!.eventId),
        lastKey: keyOf(events.at(-1)!),
        events: events.length,
        bytes,
        ...(nextToken ? { nextToken } : {}),
      };
      await save({ ...cursor, pending });
      await objects.createIfAbsent(pending.key, renderBackfillPage(target, events));
      return await advanced(cursor, pending, objects, target, now);
    }
    const pending = cursor.pending;
    const current = backfillObjectKey(target, now, pending.key.slice(pending.key.lastIndexOf('-') + 1, -'.gz'.length));
    if (!(await objects.exists(pending.key))) {
      // Not written, and its hour has passed (its digest may be closed): the page moves to this hour, saved before it is written.
      if (current !== pending.key) return { ...cursor, pending: { ...pending, key: current } };
      // Exactly the history after the last page up to this page's last event, however pages fall now.
      const events: FoundEvent[] = [];
      let token = cursor.nextToken;
      for (;;) {
        const page = await readPage(logs, target, window, token, events.length > 0 ? keyOf(events.at(-1)!) : cursor.lastKey);
        events.push(...page.events.filter((e) => !after(keyOf(e), pending.lastKey)));
        if (page.events.some((e) => after(keyOf(e), pending.lastKey)) || page.nextToken === undefined) break;
        token = page.nextToken;
      }
      await objects.createIfAbsent(pending.key, renderBackfillPage(target, events));
    }
    return await advanced(cursor, pending, objects, target, now);
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return { ...cursor, pending: undefined, done: true, ended: 'log-group-deleted' };
    throw error;
  }
}

/** The cursor after a written page; after the last one, the completion object is written first. */
async function advanced(
  cursor: BackfillCursor,
  pending: NonNullable<BackfillCursor['pending']>,
  objects: BackfillObjects,
  target: BackfillTarget,
  now: number,
): Promise<BackfillCursor> {
  if (pending.nextToken === undefined) await objects.createIfAbsent(backfillCompleteKey(target, now), gzipSync(''));
  return {
    ...(pending.nextToken ? { nextToken: pending.nextToken } : {}),
    lastKey: pending.lastKey,
    pages: cursor.pages + 1,
    events: cursor.events + pending.events,
    bytes: cursor.bytes + pending.bytes,
    done: pending.nextToken === undefined,
  };
}
