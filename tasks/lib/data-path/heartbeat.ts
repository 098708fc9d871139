/**
 * The heartbeat: every minute a canary Lambda in the logging account writes to HEARTBEAT_LOG_GROUP
 * in each governed region, subscribed to the region's stream like any member group; its lines
 * reach the archive under the logging account's prefix. Its age in the archive proves data flows
 * end to end (destination, stream, Firehose, processor, S3). Pure: what to list and what it means.
 */
import type { ArchivePartitioning } from './archive-layout';

/** CloudWatch metric the checker publishes per region; its alarm treats missing data as breaching. */
export const HEARTBEAT_METRIC = { namespace: 'Tributary/DataPath', name: 'HeartbeatAgeSeconds' } as const;

/** The canary writes every minute; Firehose buffers 60 s (up to 1.5 times that) before delivering. */
export const HEARTBEAT_PERIOD_SECONDS = 60;
export const HEARTBEAT_ALARM_SECONDS = 900;

function hourPath(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getUTCFullYear()}/${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/${pad(date.getUTCHours())}`;
}

/** The key prefixes of the current and the previous arrival hour where the region's heartbeat lands. */
export function heartbeatPrefixes(region: string, loggingAccount: string, partitioning: ArchivePartitioning, now: Date): string[] {
  const base = `logs/region=${region}/account=${loggingAccount}/${partitioning === 'account-category' ? 'category=heartbeat/' : ''}`;
  const previous = new Date(now.getTime() - 3_600_000);
  return [`${base}${hourPath(now)}/`, `${base}${hourPath(previous)}/`];
}

/**
 * Seconds since the newest object arrived; with none in the two hours listed, at least the time
 * since the previous hour began (so the alarm breaches, and the figure says how long at least).
 */
export function heartbeatAgeSeconds(newest: Date | undefined, now: Date): number {
  if (newest) return Math.max(0, Math.round((now.getTime() - newest.getTime()) / 1000));
  const previousHour = Math.floor(now.getTime() / 3_600_000) * 3_600_000 - 3_600_000;
  return Math.round((now.getTime() - previousHour) / 1000);
}
