/**
 * Record processor throughput against its floors, on seeded corpora (mixed, CloudTrail only, flow
 * logs only) cut into batches as Firehose sends them: records up to the processor's 0.2 MB buffer
 * (PROCESSOR_BUFFER_MB in log-delivery-stream.ts), so responses fit under 6 MB and nothing is
 * deferred. The decode floor is base64-decode + gunzip + JSON.parse of each payload: work no
 * processor can skip. The second floor adds base64-encoding the processor's own output, which
 * Firehose requires of every response. Each ratio is the median of 5 in-process rounds.
 *
 * The rounds run in a child Node.js with the processor function's own NODE_OPTIONS (its V8 heap
 * for its memory, runtime.ts), since the young generation's size decides how much of the
 * processor's time is garbage collection. TRIBUTARY_BENCH_NODE names another node binary, such as
 * the Lambda's Node.js 22, to measure on.
 */
import { spawnSync } from 'child_process';
import { gunzipSync } from 'zlib';
import type { FirehoseTransformationEventRecord } from 'aws-lambda';
import { firehoseRecord, generatePayload, PAYLOAD_ACCOUNTS, SeededRandom, type PayloadOptions } from '../sim/log-payloads';
import { PROCESSOR_BUFFER_MB, PROCESSOR_MEMORY_MB } from '../infra/constructs/log-delivery-stream';
import { lambdaHeapOptions } from '../infra/constructs/runtime';
import { transformRecords } from '../tasks/lib/data-path/transform';

export interface BenchFigure {
  readonly bench: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  /** The figure's target, when it has one, e.g. `>= 0.45`. */
  readonly bound?: string;
}

/** The processor's input buffer, counted in record bytes (gzip). */
const BATCH_BYTES = PROCESSOR_BUFFER_MB * 1_000_000;
const ROUNDS = 5;
/** Targets of the mixed corpus (issue #11). */
const RATIO_TO_FLOOR_BOUND = 0.45;
const OUTPUT_BYTES_BOUND = 1.3;

interface Corpus {
  readonly batches: FirehoseTransformationEventRecord[][];
  readonly events: number;
  readonly decompressedBytes: number;
}

function corpus(records: number, kind: PayloadOptions['kind']): Corpus {
  const random = new SeededRandom(2026);
  const batches: FirehoseTransformationEventRecord[][] = [[]];
  let batchBytes = 0;
  let events = 0;
  let decompressedBytes = 0;
  for (let i = 0; i < records; i++) {
    const payload = generatePayload(random, kind ? { kind } : {});
    events += payload.logEvents.length;
    decompressedBytes += Buffer.byteLength(JSON.stringify(payload));
    const record = firehoseRecord(payload);
    const bytes = (record.data.length / 4) * 3;
    if (batchBytes + bytes > BATCH_BYTES && batches.at(-1)!.length > 0) {
      batches.push([]);
      batchBytes = 0;
    }
    batches.at(-1)!.push(record);
    batchBytes += bytes;
  }
  return { batches, events, decompressedBytes };
}

function decodeFloor(batches: readonly FirehoseTransformationEventRecord[][]): void {
  for (const batch of batches) for (const r of batch) JSON.parse(gunzipSync(Buffer.from(r.data, 'base64')).toString('utf8'));
}

/** As deployed: the organization's accounts (the corpus's, among 1,000) and the logging account, checked for every record. */
const LOGGING_ACCOUNT = '222222222222';
const KNOWN_ACCOUNTS: ReadonlySet<string> = new Set([
  ...PAYLOAD_ACCOUNTS,
  LOGGING_ACCOUNT,
  ...Array.from({ length: 1000 }, (_, i) => String(300000000000 + i)),
]);

/** Runs the processor; answers its outputs (base64, as Firehose takes them) and the records it deferred. */
async function processor(batches: readonly FirehoseTransformationEventRecord[][]): Promise<{ reingested: number; outputs: string[] }> {
  let reingested = 0;
  const outputs: string[] = [];
  for (const batch of batches) {
    const { records, report } = await transformRecords(batch, {
      knownAccounts: KNOWN_ACCOUNTS,
      loggingAccount: LOGGING_ACCOUNT,
      putRecords: async (entries) => entries.map(() => undefined),
    });
    reingested += report.reingested;
    for (const r of records) if (r.data !== undefined) outputs.push(r.data);
  }
  return { reingested, outputs };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function seconds(run: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function benchCorpus(name: string, kind: PayloadOptions['kind'], records: number): Promise<BenchFigure[]> {
  const { batches, events, decompressedBytes } = corpus(records, kind);
  const bench = `record-processor (${name})`;
  let result!: Awaited<ReturnType<typeof processor>>;
  // Floor, processor and encoding measured in turn within each round, so that all three run on
  // the same heap (garbage left by one is collected during the next).
  const rounds: Array<{ floor: number; processor: number; encode: number }> = [];
  for (let round = 0; round < ROUNDS; round++) {
    const floor = await seconds(() => decodeFloor(batches));
    const processorSeconds = await seconds(async () => (result = await processor(batches)));
    const rendered = result.outputs.map((data) => Buffer.from(data, 'base64'));
    const encode = await seconds(() => rendered.forEach((bytes) => bytes.toString('base64')));
    rounds.push({ floor, processor: processorSeconds, encode });
  }
  const outputBytes = result.outputs.reduce((sum, data) => sum + Buffer.from(data, 'base64').length, 0);
  const mixed = kind === undefined;
  return [
    { bench, metric: 'corpus', value: events, unit: `events in ${batches.length} batches of <= ${PROCESSOR_BUFFER_MB} MB` },
    { bench, metric: 'records re-ingested (deferred, not rendered)', value: result.reingested, unit: 'records', bound: '= 0' },
    { bench, metric: 'processor throughput', value: decompressedBytes / 1e6 / median(rounds.map((r) => r.processor)), unit: 'MB/s decompressed' },
    {
      bench,
      metric: 'ratio to decode floor',
      value: median(rounds.map((r) => r.floor / r.processor)),
      unit: 'x',
      ...(mixed ? { bound: `>= ${RATIO_TO_FLOOR_BOUND}` } : {}),
    },
    { bench, metric: 'ratio to decode floor + base64 of its output', value: median(rounds.map((r) => (r.floor + r.encode) / r.processor)), unit: 'x' },
    {
      bench,
      metric: 'output bytes per decompressed input byte',
      value: outputBytes / decompressedBytes,
      unit: 'bytes/byte',
      ...(mixed ? { bound: `<= ${OUTPUT_BYTES_BOUND}` } : {}),
    },
  ];
}

/** The rounds themselves, in this process (run by the child that benchRecordProcessor starts). */
export async function measureRecordProcessor(): Promise<BenchFigure[]> {
  return [
    {
      bench: 'record-processor',
      metric: 'Node.js',
      value: Number(process.versions.node.split('.')[0]),
      unit: `v${process.versions.node} ${process.arch}, NODE_OPTIONS=${process.env.NODE_OPTIONS ?? ''}`,
    },
    ...(await benchCorpus('mixed', undefined, 1000)),
    ...(await benchCorpus('CloudTrail only', 'cloudtrail', 500)),
    ...(await benchCorpus('flow logs only', 'vpcflow', 500)),
    { bench: 'record-processor', metric: 'peak RSS', value: process.resourceUsage().maxRSS / 1024, unit: 'MB' },
  ];
}

const CHILD_FLAG = '--record-processor-child';

/** Runs measureRecordProcessor in a child Node.js with the processor function's NODE_OPTIONS. */
export function benchRecordProcessor(): BenchFigure[] {
  const node = process.env.TRIBUTARY_BENCH_NODE || process.execPath;
  const child = spawnSync(node, ['--import', 'tsx', __filename, CHILD_FLAG], {
    env: { ...process.env, NODE_OPTIONS: lambdaHeapOptions(PROCESSOR_MEMORY_MB) },
    encoding: 'utf8',
    maxBuffer: 16 * 2 ** 20,
  });
  if (child.error || child.status !== 0) {
    throw new Error(
      `record-processor bench: ${node} failed (TRIBUTARY_BENCH_NODE: ${JSON.stringify(process.env.TRIBUTARY_BENCH_NODE ?? '')}): ${child.error?.message ?? child.stderr.trim()}`,
    );
  }
  return child.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as BenchFigure);
}

if (process.argv.includes(CHILD_FLAG)) {
  measureRecordProcessor().then(
    (figures) => figures.forEach((figure) => console.log(JSON.stringify(figure))),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
