/**
 * The SIEM's share of the stream (config `siem.categories` and `siem.filters`): the archive always
 * takes everything; a SIEM bills by volume, so it takes the categories asked for and, within a
 * category, only the events whose message contains one of its filter's strings. Substrings, not
 * regular expressions: a pattern from the config runs on every event of the hot path, and a
 * substring search cannot backtrack.
 */
import type { DataMessage } from './cloudwatch-logs-record';
import { eventProblem, type LogEvent } from './log-line';
import type { LogCategory } from './log-source';
import type { PayloadSelection } from './transform';

export interface SiemShare {
  readonly categories: readonly LogCategory[];
  /** Per category, the strings one of which a message must contain. @default every event of the category */
  readonly filters?: Partial<Readonly<Record<LogCategory, readonly string[]>>>;
}

/** Whether the SIEM takes an event: one that is not what CloudWatch Logs sends is always taken (it is evidence of something). */
function kept(event: unknown, needles: readonly string[]): boolean {
  if (eventProblem(event) !== undefined) return true;
  const { message } = event as LogEvent;
  return needles.some((needle) => message.includes(needle));
}

export function siemSelection(share: SiemShare): PayloadSelection {
  const categories = new Set(share.categories);
  return {
    category: (category) => categories.has(category),
    events: (payload: DataMessage, category) => {
      const needles = share.filters?.[category];
      return needles ? { ...payload, logEvents: payload.logEvents.filter((event) => kept(event, needles)) } : payload;
    },
  };
}
