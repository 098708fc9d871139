/**
 * Record processor throughput against its floor, on one seeded corpus in one run. The floor is
 * only base64-decode + gunzip + JSON.parse of each payload: work no processor can skip.
 */
import { gunzipSync } from 'zlib';
import type { FirehoseTransformationEventRecord } from 'aws-lambda';
import { firehoseRecord, generatePayload, SeededRandom } from '../sim/log-payloads';
import { transformRecords } from '../tasks/lib/data-path/transform';

export interface BenchFigure {
  readonly bench: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
}

/**
 * Records per invocation, small enough that every response fits under 6 MB: all events are
 * rendered, none deferred by re-ingestion, so events/s measures real work.
 */
const BATCH = 50;
const ROUNDS = 5;

function corpus(records: number): { batches: FirehoseTransformationEventRecord[][]; events: number; decompressedBytes: number } {
  const random = new SeededRandom(2026);
  const all: FirehoseTransformationEventRecord[] = [];
  let events = 0;
  let decompressedBytes = 0;
  for (let i = 0; i < records; i++) {
    const payload = generatePayload(random);
    events += payload.logEvents.length;
    decompressedBytes += Buffer.byteLength(JSON.stringify(payload));
    all.push(firehoseRecord(payload));
  }
  const batches: FirehoseTransformationEventRecord[][] = [];
  for (let i = 0; i < all.length; i += BATCH) batches.push(all.slice(i, i + BATCH));
  return { batches, events, decompressedBytes };
}

function floor(batches: readonly FirehoseTransformationEventRecord[][]): void {
  for (const batch of batches) for (const r of batch) JSON.parse(gunzipSync(Buffer.from(r.data, 'base64')).toString('utf8'));
}

/** Runs the processor over the corpus; returns how many records it had to re-ingest. */
async function processor(batches: readonly FirehoseTransformationEventRecord[][]): Promise<number> {
  let reingested = 0;
  for (const batch of batches) {
    const { report } = await transformRecords(batch, { region: 'eu-west-1', putRecords: async (entries) => entries.map(() => undefined) });
    reingested += report.reingested;
  }
  return reingested;
}

/** The fastest of a few rounds, in seconds, and what the last round returned. */
async function best<T>(run: () => T | Promise<T>): Promise<{ seconds: number; result: T }> {
  let seconds = Number.POSITIVE_INFINITY;
  let result!: T;
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.hrtime.bigint();
    result = await run();
    seconds = Math.min(seconds, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return { seconds, result };
}

export async function benchRecordProcessor(): Promise<BenchFigure[]> {
  const { batches, events, decompressedBytes } = corpus(2000);
  const { seconds: floorSeconds } = await best(() => floor(batches));
  const { seconds: processorSeconds, result: reingested } = await best(() => processor(batches));
  const bench = 'record-processor';
  return [
    { bench, metric: 'records re-ingested (deferred, not rendered)', value: reingested, unit: 'records' },
    { bench, metric: 'corpus log events', value: events, unit: 'events' },
    { bench, metric: 'corpus decompressed size', value: decompressedBytes / 1e6, unit: 'MB' },
    { bench, metric: 'processor throughput', value: events / processorSeconds, unit: 'events/s' },
    { bench, metric: 'processor decompressed throughput', value: decompressedBytes / 1e6 / processorSeconds, unit: 'MB/s' },
    { bench, metric: 'floor throughput (base64 + gunzip + JSON.parse)', value: events / floorSeconds, unit: 'events/s' },
    { bench, metric: 'ratio to floor', value: floorSeconds / processorSeconds, unit: 'x' },
    { bench, metric: 'peak RSS', value: process.resourceUsage().maxRSS / 1024, unit: 'MB' },
  ];
}
