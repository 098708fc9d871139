/** CloudWatch Logs subscription payloads: base64 of gzip of JSON (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Subscriptions.html). */
import { gunzipSync, gzipSync } from 'zlib';

export interface LogEvent {
  readonly id: string;
  readonly timestamp: number;
  readonly message: string;
}

export interface CloudWatchLogsPayload {
  readonly messageType: 'DATA_MESSAGE' | 'CONTROL_MESSAGE';
  readonly owner: string;
  readonly logGroup: string;
  readonly logStream: string;
  readonly subscriptionFilters: readonly string[];
  readonly logEvents: readonly LogEvent[];
}

export type Decoded = { readonly ok: true; readonly payload: CloudWatchLogsPayload; readonly gzipped: Buffer } | { readonly ok: false; readonly reason: string };

/** Bytes that well-formed base64 of this length decodes to. */
function decodedLength(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return (data.length / 4) * 3 - padding;
}

export function decodeRecord(data: string): Decoded {
  // Node skips characters outside the alphabet instead of failing, so a short result exposes them;
  // a regular expression over megabytes of base64 would cost more than the gunzip.
  const gzipped = data.length % 4 === 0 ? Buffer.from(data, 'base64') : undefined;
  if (data.length === 0 || !gzipped || gzipped.length !== decodedLength(data)) return { ok: false, reason: 'data is not base64' };
  let json: string;
  try {
    json = gunzipSync(gzipped).toString('utf8');
  } catch (error) {
    return { ok: false, reason: `data is not gzip: ${(error as Error).message}` };
  }
  let payload: Partial<CloudWatchLogsPayload>;
  try {
    payload = JSON.parse(json) as Partial<CloudWatchLogsPayload>;
  } catch {
    return { ok: false, reason: 'data is not JSON' };
  }
  if (
    (payload.messageType !== 'DATA_MESSAGE' && payload.messageType !== 'CONTROL_MESSAGE') ||
    typeof payload.logGroup !== 'string' ||
    typeof payload.logStream !== 'string' ||
    typeof payload.owner !== 'string' ||
    !Array.isArray(payload.logEvents)
  ) {
    return { ok: false, reason: 'data is not a CloudWatch Logs subscription payload (messageType, owner, logGroup, logStream, logEvents)' };
  }
  return { ok: true, payload: payload as CloudWatchLogsPayload, gzipped };
}

export function encodePayload(payload: CloudWatchLogsPayload): Buffer {
  return gzipSync(JSON.stringify(payload));
}

/** Halves a payload's log events (for a record whose output is too large on its own). */
export function splitPayload(payload: CloudWatchLogsPayload): [CloudWatchLogsPayload, CloudWatchLogsPayload] {
  const middle = Math.ceil(payload.logEvents.length / 2);
  return [
    { ...payload, logEvents: payload.logEvents.slice(0, middle) },
    { ...payload, logEvents: payload.logEvents.slice(middle) },
  ];
}
