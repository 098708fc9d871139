/**
 * Firehose active partitions of one region's stream for an organization of 1,000 accounts, per
 * archive layout, over two hours that cross an hour boundary. Every account sends every category
 * of log (audit, network, application) at its own steady rate, a record every 5 to 120 seconds,
 * and the logging account its heartbeat every minute. A partition is active from the record that
 * opens its buffer until the buffer is delivered 60 seconds later (the buffering interval;
 * https://docs.aws.amazon.com/firehose/latest/dev/buffering.html). Late events change nothing:
 * the hour in the key is the arrival hour.
 */
import { SeededRandom } from '../sim/log-payloads';
import { activePartitionBound, MAX_ACTIVE_PARTITION_QUOTA, type ArchivePartitioning } from '../tasks/lib/data-path/archive-layout';
import { LOG_CATEGORIES } from '../tasks/lib/data-path/log-source';
import type { BenchFigure } from './figure';

const ACCOUNTS = 1000;
const BUFFER_SECONDS = 60;
/** 12:00 to 14:00, so the 13:00 boundary falls in the middle. */
const START = 12 * 3600;
const END = 14 * 3600;

/** Active partitions at each second: the peak, and the peak away from any hour boundary. */
function simulate(partitioning: ArchivePartitioning): { peak: number; steady: number } {
  const random = new SeededRandom(1000);
  const delta = new Map<number, number>();
  const open = (at: number) => {
    delta.set(at, (delta.get(at) ?? 0) + 1);
    delta.set(at + BUFFER_SECONDS, (delta.get(at + BUFFER_SECONDS) ?? 0) - 1);
  };
  const categories = LOG_CATEGORIES.filter((c) => c !== 'heartbeat');
  const sources: Array<{ account: number; category: string; every: number }> = [];
  for (let account = 0; account < ACCOUNTS; account++) for (const category of categories) sources.push({ account, category, every: random.int(5, 120) });
  sources.push({ account: 0, category: 'heartbeat', every: 60 });
  // One buffer per key (account[, category], hour): a record past the buffer's interval opens the next.
  const buffers = new Map<string, number>();
  for (const source of sources) {
    for (let at = START + random.int(0, source.every - 1); at < END; at += source.every) {
      const key = `${source.account}/${partitioning === 'account-category' ? source.category : ''}/${Math.floor(at / 3600)}`;
      const opened = buffers.get(key);
      if (opened === undefined || at >= opened + BUFFER_SECONDS) {
        buffers.set(key, at);
        open(at);
      }
    }
  }
  let active = 0;
  let peak = 0;
  let steady = 0;
  for (let second = START; second < END + BUFFER_SECONDS; second++) {
    active += delta.get(second) ?? 0;
    peak = Math.max(peak, active);
    if (second % 3600 > 2 * BUFFER_SECONDS && second % 3600 < 3600 - BUFFER_SECONDS) steady = Math.max(steady, active);
  }
  return { peak, steady };
}

export function benchPartitions(): BenchFigure[] {
  return (['account-category', 'account'] as const).flatMap((partitioning) => {
    const bench = `active partitions (${ACCOUNTS} accounts, layout ${partitioning})`;
    const { peak, steady } = simulate(partitioning);
    const bound = activePartitionBound(ACCOUNTS, partitioning);
    return [
      { bench, metric: 'peak within an hour', value: steady, unit: 'partitions' },
      { bench, metric: 'peak across the hour boundary', value: peak, unit: 'partitions', bound: `<= ${bound} (the config's bound)` },
      {
        bench,
        metric: 'fits the largest quota AWS grants',
        value: bound <= MAX_ACTIVE_PARTITION_QUOTA ? 1 : 0,
        unit: `1 = yes (bound ${bound} vs ${MAX_ACTIVE_PARTITION_QUOTA})`,
      },
    ];
  });
}
