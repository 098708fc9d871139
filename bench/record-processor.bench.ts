/**
 * The record processor against the decode floor and against a reference that copies messages only
 * (the algorithm of AWS's CloudWatch Logs processor blueprint, written here: it fails a batch on one
 * bad record and keeps no metadata), on the seeded corpus of sim/log-payloads.ts and on the
 * realistic one of realistic-payloads.ts, in batches of the deployed 0.2 MB and of 2 MB.
 *
 * Measured fairly: the three passes run in one process, their order rotated every round; nothing
 * a pass makes is kept (outputs are counted, then dropped) and the heap is collected before each
 * pass, so one pass's garbage is not collected on the next one's time; each pass's time is the
 * process's CPU time (user + system, GC threads included). Each ratio is floor / pass per round:
 * min, median and max of the rounds.
 *
 * The rounds run in a child Node.js per configuration: the Node.js running the bench and Node.js
 * 22 (the Lambda runtime's, `npx -y -p node@22`, or TRIBUTARY_BENCH_NODE22), each with the
 * function's pinned heap (lambdaHeapOptions) and with V8's defaults.
 */
import { spawnSync } from 'child_process';
import { gunzipSync } from 'zlib';
import type { FirehoseTransformationEventRecord } from 'aws-lambda';
import { firehoseRecord, generatePayload, PAYLOAD_ACCOUNTS, SeededRandom } from '../sim/log-payloads';
import { PROCESSOR_BUFFER_MB, PROCESSOR_MEMORY_MB } from '../infra/constructs/stream-consumer';
import { lambdaHeapOptions } from '../infra/constructs/runtime';
import type { DataMessage } from '../tasks/lib/data-path/cloudwatch-logs-record';
import { transformRecords } from '../tasks/lib/data-path/transform';
import type { BenchFigure } from './figure';
import { lambdaNode, onLambdaNode } from './lambda-node';
import { realisticPayload } from './realistic-payloads';

const ROUNDS = 9;
/** Targets (issues #11 and #21): the ratio on the realistic corpus on Node 22, and the output size. */
const RATIO_BOUND = 0.55;
const OUTPUT_BYTES_BOUND = 1.3;

type Generate = (random: SeededRandom) => DataMessage;

interface Corpus {
  readonly name: string;
  readonly batches: FirehoseTransformationEventRecord[][];
  readonly events: number;
  readonly decompressedBytes: number;
}

function corpus(name: string, generate: Generate, records: number, batchMb: number): Corpus {
  const random = new SeededRandom(2026);
  const batches: FirehoseTransformationEventRecord[][] = [[]];
  let batchBytes = 0;
  let events = 0;
  let decompressedBytes = 0;
  for (let i = 0; i < records; i++) {
    const payload = generate(random);
    events += payload.logEvents.length;
    decompressedBytes += Buffer.byteLength(JSON.stringify(payload));
    const record = firehoseRecord(payload);
    const bytes = (record.data.length / 4) * 3;
    if (batchBytes + bytes > batchMb * 1_000_000 && batches.at(-1)!.length > 0) {
      batches.push([]);
      batchBytes = 0;
    }
    batches.at(-1)!.push(record);
    batchBytes += bytes;
  }
  return { name: `${name}, ${batchMb} MB batches`, batches, events, decompressedBytes };
}

/** Bytes a base64 string decodes to, without decoding it. */
function decodedLength(base64: string): number {
  return (base64.length / 4) * 3 - (base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0);
}

function floorPass(batches: readonly FirehoseTransformationEventRecord[][]): number {
  for (const batch of batches) for (const r of batch) JSON.parse(gunzipSync(Buffer.from(r.data, 'base64')).toString('utf8'));
  return 0;
}

/** The blueprint's algorithm: every message and a newline, base64 per record; control messages dropped. */
function referencePass(batches: readonly FirehoseTransformationEventRecord[][]): number {
  let bytes = 0;
  for (const batch of batches) {
    for (const r of batch) {
      const payload = JSON.parse(gunzipSync(Buffer.from(r.data, 'base64')).toString('utf8')) as { messageType: string; logEvents: Array<{ message: string }> };
      if (payload.messageType !== 'DATA_MESSAGE') continue;
      bytes += decodedLength(Buffer.from(payload.logEvents.map((e) => `${e.message}\n`).join(''), 'utf8').toString('base64'));
    }
  }
  return bytes;
}

/** As deployed: the organization's accounts (the corpus's, among 1,000) and the logging account, checked for every record. */
const LOGGING_ACCOUNT = '222222222222';
const KNOWN_ACCOUNTS: ReadonlySet<string> = new Set([
  ...PAYLOAD_ACCOUNTS,
  LOGGING_ACCOUNT,
  ...Array.from({ length: 1000 }, (_, i) => String(300000000000 + i)),
]);

/** Output bytes; `deferred` counts the records put back on the stream (a response kept under 6 MB renders them later). */
async function processorPass(batches: readonly FirehoseTransformationEventRecord[][], deferred: { records: number }): Promise<number> {
  let bytes = 0;
  deferred.records = 0;
  for (const batch of batches) {
    const { records, report } = await transformRecords(batch, {
      knownAccounts: KNOWN_ACCOUNTS,
      loggingAccount: LOGGING_ACCOUNT,
      putRecords: async (entries) => entries.map(() => undefined),
    });
    deferred.records += report.reingested;
    for (const r of records) if (r.data !== undefined) bytes += decodedLength(r.data);
  }
  return bytes;
}

/** CPU seconds of `pass`, after collecting what earlier passes left; its output bytes. */
async function cpuSeconds(pass: () => number | Promise<number>): Promise<{ seconds: number; bytes: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const start = process.cpuUsage();
  const bytes = await pass();
  const used = process.cpuUsage(start);
  return { seconds: (used.user + used.system) / 1e6, bytes };
}

const stats = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]!, max: sorted.at(-1)! };
};

async function measureCorpus(c: Corpus, configuration: string, realistic: boolean, node22: boolean): Promise<BenchFigure[]> {
  const deferred = { records: 0 };
  const passes = { floor: () => floorPass(c.batches), processor: () => processorPass(c.batches, deferred), reference: () => referencePass(c.batches) };
  const names = Object.keys(passes) as Array<keyof typeof passes>;
  const rounds: Array<Record<keyof typeof passes, { seconds: number; bytes: number }>> = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]!);
    const results = {} as Record<keyof typeof passes, { seconds: number; bytes: number }>;
    for (const name of order) results[name] = await cpuSeconds(passes[name]);
    rounds.push(results);
  }
  const bench = `record-processor (${c.name}; ${configuration})`;
  const ratio = (pass: 'processor' | 'reference') => stats(rounds.map((r) => r.floor.seconds / r[pass].seconds));
  const ours = ratio('processor');
  const reference = ratio('reference');
  const gated = realistic && node22 && c.name.includes('0.2 MB') && configuration.includes('pinned');
  return [
    { bench, metric: 'corpus', value: c.events, unit: `events, ${(c.decompressedBytes / 1e6).toFixed(1)} MB decompressed, ${c.batches.length} batches` },
    {
      bench,
      metric: 'records deferred (re-ingested, rendered by a later batch)',
      value: deferred.records,
      unit: `of ${c.batches.flat().length} records: the ratios count only what this pass rendered`,
      ...(c.name.includes('0.2 MB') ? { bound: '= 0' } : {}),
    },
    { bench, metric: 'decode floor', value: c.decompressedBytes / 1e6 / stats(rounds.map((r) => r.floor.seconds)).median, unit: 'MB/s (median)' },
    {
      bench,
      metric: 'processor / floor, median',
      value: ours.median,
      unit: `x (min ${ours.min.toFixed(2)}, max ${ours.max.toFixed(2)})`,
      ...(gated ? { bound: `>= ${RATIO_BOUND}` } : {}),
    },
    {
      bench,
      metric: 'messages-only reference / floor, median',
      value: reference.median,
      unit: `x (min ${reference.min.toFixed(2)}, max ${reference.max.toFixed(2)})`,
    },
    {
      bench,
      metric: 'processor output bytes per input byte',
      value: rounds[0]!.processor.bytes / c.decompressedBytes,
      unit: 'bytes/byte',
      bound: `<= ${OUTPUT_BYTES_BOUND}`,
    },
    { bench, metric: 'reference output bytes per input byte', value: rounds[0]!.reference.bytes / c.decompressedBytes, unit: 'bytes/byte' },
  ];
}

/** The rounds themselves, in this process (run by the child that benchRecordProcessor starts). */
export async function measureRecordProcessor(configuration: string): Promise<BenchFigure[]> {
  const node22 = onLambdaNode();
  const label = `Node ${process.versions.node}, ${configuration}`;
  const figures: BenchFigure[] = [];
  const corpora: Array<[Corpus, boolean]> = [
    [corpus('seeded corpus', (random) => generatePayload(random), 1000, PROCESSOR_BUFFER_MB), false],
    [corpus('realistic corpus', realisticPayload, 700, PROCESSOR_BUFFER_MB), true],
    [corpus('realistic corpus', realisticPayload, 700, 2), true],
  ];
  for (const [c, realistic] of corpora) figures.push(...(await measureCorpus(c, label, realistic, node22)));
  figures.push({ bench: `record-processor (${label})`, metric: 'peak RSS', value: process.resourceUsage().maxRSS / 1024, unit: 'MB' });
  return figures;
}

const CHILD_FLAG = '--record-processor-child';

function runChild(node: string, heap: 'pinned' | 'default'): BenchFigure[] {
  const options = heap === 'pinned' ? lambdaHeapOptions(PROCESSOR_MEMORY_MB) : '';
  const configuration = heap === 'pinned' ? `heap pinned (${options})` : "V8's default heap";
  const child = spawnSync(node, ['--expose-gc', '--import', 'tsx', __filename, CHILD_FLAG, configuration], {
    env: { ...process.env, NODE_OPTIONS: options },
    encoding: 'utf8',
    maxBuffer: 16 * 2 ** 20,
  });
  if (child.error || child.status !== 0) throw new Error(`record-processor bench: ${node} failed: ${child.error?.message ?? child.stderr.trim()}`);
  return child.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as BenchFigure);
}

/** Every configuration: this Node.js and Node.js 22, each with the pinned and the default heap. */
export function benchRecordProcessor(): BenchFigure[] {
  const nodes: string[] = [process.env.TRIBUTARY_BENCH_NODE || process.execPath];
  const node22 = lambdaNode();
  const figures: BenchFigure[] = [];
  if (node22.path && !nodes.includes(node22.path)) nodes.push(node22.path);
  if (!node22.path) figures.push({ bench: 'record-processor', metric: 'Node.js 22 not measured', value: 0, unit: node22.reason ?? '' });
  for (const node of nodes) for (const heap of ['pinned', 'default'] as const) figures.push(...runChild(node, heap));
  return figures;
}

if (process.argv.includes(CHILD_FLAG)) {
  measureRecordProcessor(process.argv[process.argv.indexOf(CHILD_FLAG) + 1] ?? '').then(
    (figures) => figures.forEach((figure) => console.log(JSON.stringify(figure))),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
