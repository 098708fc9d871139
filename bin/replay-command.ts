/**
 * `tributary replay`: sends a window of the archive to the SIEM through the same path as live logs
 * (tasks/lib/archive/replay.ts), only what the verifier proves, resumable from a state file, paced.
 * `--dry-run` reads only the digests and prints objects, bytes and what the replay would cost.
 * Offline: a simulated week of the archive, replayed into a loopback collector through the
 * simulated SIEM consumer.
 */
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { fromIni } from '@aws-sdk/credential-providers';
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { simulatedArchive } from '../sim/archive';
import { FirehoseEndpointServer } from '../sim/firehose-endpoint-server';
import { SimulatedSiemConsumer } from '../sim/siem-consumer';
import { S3ArchiveStore } from '../tasks/lib/archive/aws';
import { expectedChains, HOUR_MS } from '../tasks/lib/archive/digest';
import type { ArchiveStore } from '../tasks/lib/archive/ports';
import { replayObjects, selectObjects, type ReplayCheckpoint, type ReplayPorts, type ReplaySelection } from '../tasks/lib/archive/replay';
import { verifyArchive, type ProvenObject } from '../tasks/lib/archive/verify';
import type { TributaryConfig } from '../tasks/lib/config';
import { LOG_CATEGORIES, type LogCategory } from '../tasks/lib/data-path/log-source';
import { archiveBucketName, SIEM_DELIVERY_STREAM_NAME, STREAM_NAME } from '../tasks/lib/resource-names';
import { parseRegion, partitionOf } from '../tasks/lib/domain';
import { configPath, readConfig } from './config-file';
import { formatBytes } from './plan-command';
import { PRICE_TABLE } from './price-table';
import { reportProblems } from './problems';
import { LiveProgress } from './progress';
import { formatTable } from './table';
import { time } from './verify-command';

export interface ReplayFlags {
  readonly from?: string;
  readonly to?: string;
  readonly accounts?: string;
  readonly categories?: string;
  readonly dryRun?: boolean;
  readonly state?: string;
  /** MB a second put on the streams. */
  readonly rate?: string;
  readonly trustedKey?: string;
  readonly offline?: boolean;
  readonly config?: string;
  readonly bucket?: string;
  readonly profile?: string;
  readonly region?: string;
  readonly json?: boolean;
}

/** Kinesis takes 1 MB a second per shard; an on-demand stream starts with 4 shards. Replay leaves room for live logs. */
const DEFAULT_RATE_MB = 1;

/** The state file: the window it is for, and the objects finished. */
interface ReplayState {
  readonly from: string;
  readonly to: string;
  readonly done: string[];
}

class FileCheckpoint implements ReplayCheckpoint {
  private readonly done: Set<string>;

  public constructor(
    private readonly path: string,
    private readonly window: { from: string; to: string },
  ) {
    if (!existsSync(path)) {
      this.done = new Set();
      return;
    }
    const state = JSON.parse(readFileSync(path, 'utf8')) as ReplayState;
    if (state.from !== window.from || state.to !== window.to)
      throw new Error(`--state: "${path}" is the state of a replay from ${state.from} to ${state.to}, not of this window; name another file`);
    this.done = new Set(state.done);
  }

  public has(key: string): boolean {
    return this.done.has(key);
  }

  public async add(key: string): Promise<void> {
    this.done.add(key);
    writeFileSync(this.path, JSON.stringify({ ...this.window, done: [...this.done] } satisfies ReplayState));
  }
}

function list(flag: string, value: string | undefined, valid: (item: string) => boolean, what: string): Set<string> | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim());
  const bad = items.find((item) => !valid(item));
  if (bad !== undefined) throw new Error(`${flag}: "${bad}" is not ${what}`);
  return new Set(items);
}

function parseSelection(flags: ReplayFlags): ReplaySelection & { readonly window: { from: string; to: string } } {
  const from = time('--from', flags.from);
  const to = time('--to', flags.to);
  if (from === undefined) throw new Error('--from: required: the first hour to replay (2026-11-30 or 2026-11-30T14:00Z)');
  if (to === undefined) throw new Error('--to: required: the hour the replay stops before');
  if (to <= from) throw new Error(`--to: "${flags.to}" is not after --from`);
  const accounts = list('--accounts', flags.accounts, (a) => /^\d{12}$/.test(a), 'an AWS account id (12 digits)');
  const categories = list('--categories', flags.categories, (c) => LOG_CATEGORIES.includes(c as LogCategory), `one of ${LOG_CATEGORIES.join(', ')}`);
  return {
    from: Math.floor(from / HOUR_MS) * HOUR_MS,
    to,
    ...(accounts ? { accounts } : {}),
    ...(categories ? { categories: categories as Set<LogCategory> } : {}),
    window: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
  };
}

function rateOf(flag: string | undefined): number {
  if (flag === undefined) return DEFAULT_RATE_MB;
  const rate = Number(flag);
  if (!Number.isFinite(rate) || rate <= 0 || rate > 100) throw new Error(`--rate: "${flag}" is not MB a second between 0 and 100`);
  return rate;
}

/** What sending `bytes` through the SIEM path costs at the dated price table, by line. */
export function replayCost(bytes: number): Array<{ item: string; dollars: number }> {
  const gb = bytes / 1e9;
  const p = PRICE_TABLE.prices;
  return [
    { item: 'Kinesis ingestion', dollars: gb * p.kinesisIngestedGb },
    { item: 'Kinesis retrieval by both consumers (the archive drops them)', dollars: 2 * gb * p.kinesisRetrievedGb },
    { item: "the SIEM Firehose's ingestion", dollars: gb * p.firehoseIngestedGb },
  ];
}

interface Setup {
  readonly store: ArchiveStore;
  readonly trustedKey: string;
  readonly chains: string[];
  readonly now: number;
  readonly send: ReplayPorts['send'];
  readonly where: string;
  readonly finish: () => Promise<string>;
}

async function offlineSetup(config: TributaryConfig): Promise<Setup> {
  const archive = await simulatedArchive({ regions: config.governedRegions, hours: 7 * 24, objectsPerHour: 2 });
  const collector = new FirehoseEndpointServer('offline-collector-key');
  const url = await collector.start();
  let now = archive.now;
  const clock = { now: () => now, sleep: async (ms: number) => void (now += ms) };
  const consumers = new Map(
    config.governedRegions.map((region) => [
      region,
      new SimulatedSiemConsumer({
        view: { format: config.siem?.format ?? 'raw', categories: ['audit', 'network', 'application'] },
        region,
        destination: {
          url,
          accessKey: 'offline-collector-key',
          sourceArn: `arn:${partitionOf(region)}:firehose:${region}:${config.accounts.logging}:deliverystream/${SIEM_DELIVERY_STREAM_NAME}`,
          retrySeconds: 300,
          gzip: true,
        },
        clock,
        backup: async () => undefined,
      }),
    ]),
  );
  return {
    store: archive.store,
    trustedKey: archive.key.fingerprint,
    chains: archive.chains,
    now: archive.now,
    send: async (region, records) => consumers.get(parseRegion(region, 'chain'))!.put(records),
    where: `offline: a simulated week of the archive (from ${new Date(archive.now - 7 * 24 * HOUR_MS).toISOString()}), into a loopback collector`,
    finish: async () => {
      for (const consumer of consumers.values()) await consumer.flush();
      const lines = [...collector.stored.values()].reduce(
        (n, r) => n + r.records.reduce((m, d) => m + d.toString('utf8').split('\n').filter(Boolean).length, 0),
        0,
      );
      await collector.stop();
      return `The loopback collector stored ${lines} lines in ${collector.stored.size} deliveries.`;
    },
  };
}

function awsSetup(config: TributaryConfig, flags: ReplayFlags): Setup {
  if (!config.siem) throw new Error('config.siem: is not configured: replay sends through the SIEM path (README, "The SOC\'s copy")');
  const trustedKey = flags.trustedKey ?? config.archive.trustedDigestKey?.fingerprint;
  if (!trustedKey) throw new Error('--trusted-key: required: the digest key to trust (`tributary trusted-key`), or archive.trustedDigestKey in the config');
  const credentials = flags.profile ? { credentials: fromIni({ profile: flags.profile }) } : {};
  const bucket = flags.bucket ?? archiveBucketName(config.accounts.logging, config.homeRegion);
  const kinesis = new Map(config.governedRegions.map((region) => [region, new KinesisClient({ region, ...credentials })]));
  return {
    store: new S3ArchiveStore(new S3Client({ region: flags.region ?? config.homeRegion, ...credentials }), bucket),
    trustedKey,
    chains: expectedChains(config.governedRegions),
    now: Date.now(),
    send: async (chain, records) => {
      const region = parseRegion(chain, 'chain');
      const streamArn = `arn:${partitionOf(region)}:kinesis:${region}:${config.accounts.logging}:stream/${STREAM_NAME}`;
      let pending = [...records];
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt === 5) throw new Error(`Kinesis refused ${pending.length} record(s) five times in ${region}; run the same command again to resume`);
        const { Records = [] } = await kinesis
          .get(region)!
          .send(new PutRecordsCommand({ StreamARN: streamArn, Records: pending.map((r) => ({ Data: r.data, PartitionKey: r.partitionKey })) }));
        pending = pending.filter((_, i) => Records[i]?.ErrorCode);
        if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
      }
    },
    where: `s3://${bucket} to the SIEM (${config.siem.destination.type}), trusting key ${trustedKey}`,
    finish: async () => 'Firehose delivers within its buffer (60 s); failures land in the SIEM backup bucket.',
  };
}

export async function replayCommand(flags: ReplayFlags): Promise<number> {
  let setup: Setup;
  let selection: ReturnType<typeof parseSelection>;
  let rate: number;
  let config: TributaryConfig;
  try {
    selection = parseSelection(flags);
    rate = rateOf(flags.rate);
    config = readConfig(configPath(flags.config));
    setup = flags.offline ? await offlineSetup(config) : awsSetup(config, flags);
  } catch (error) {
    return reportProblems('replay', error);
  }
  const live = new LiveProgress(flags.json ? { enabled: false } : {});
  const report = await verifyArchive(setup.store, {
    trustedKey: setup.trustedKey,
    chains: setup.chains,
    now: setup.now,
    from: selection.from,
    to: selection.to,
    listProven: true,
    onChain: (started, total, chain) => live.update(`verifying chain ${chain}`, started, total, 'chains'),
  });
  live.end();
  const objects: ProvenObject[] = selectObjects(report.proven ?? [], selection);
  const bytes = objects.reduce((n, o) => n + o.size, 0);
  const refused = report.problems.filter((p) => p.kind.startsWith('object') || p.kind === 'not-digested');
  if (flags.dryRun) {
    const cost = replayCost(bytes);
    const result = { objects: objects.length, bytes, refused, cost, priceDate: PRICE_TABLE.date };
    if (flags.json) console.log(JSON.stringify(result, null, 2));
    else {
      console.log(`Would replay ${objects.length} proven objects, ${formatBytes(bytes)} (gzip), from ${setup.where}.`);
      console.log(
        formatTable(
          ['cost item', 'dollars'],
          [...cost.map((c) => [c.item, c.dollars.toFixed(4)]), ['total', cost.reduce((n, c) => n + c.dollars, 0).toFixed(4)]],
        ),
      );
      console.log(`Prices of ${PRICE_TABLE.date} (${PRICE_TABLE.region}); your SIEM bills its own ingestion of these lines, about ten times the gzip bytes.`);
      for (const p of refused) console.log(`refused: ${p.key}: ${p.kind} (${p.detail})`);
    }
    await setup.finish();
    return report.problems.length === 0 ? 0 : 1;
  }
  let checkpoint: ReplayCheckpoint;
  try {
    checkpoint = new FileCheckpoint(flags.state ?? 'tributary-replay.state.json', selection.window);
  } catch (error) {
    await setup.finish();
    return reportProblems('replay', error);
  }
  const started = Date.now();
  let sent = 0;
  const totals = await replayObjects(
    objects,
    {
      store: setup.store,
      send: setup.send,
      checkpoint,
      pace: async (n) => {
        sent += n;
        const due = started + (sent / (rate * 1e6)) * 1000;
        if (!flags.offline && due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      },
    },
    { ...(selection.categories ? { categories: selection.categories } : {}), onObject: (done, total) => live.update('replaying', done, total, 'objects') },
  );
  live.end();
  const delivered = await setup.finish();
  if (flags.json) console.log(JSON.stringify({ ...totals, refused }, null, 2));
  else {
    console.log(
      `Replayed ${totals.objects - totals.skipped - totals.changed.length} objects (${totals.skipped} done before), ${totals.events} events, ${formatBytes(totals.bytesSent)} put on the streams, from ${setup.where}.`,
    );
    console.log(delivered);
    for (const p of refused) console.log(`refused: ${p.key}: ${p.kind} (${p.detail})`);
    for (const c of totals.changed) console.log(`refused: ${c.key}: changed since verify (${c.detail})`);
  }
  return refused.length + totals.changed.length === 0 ? 0 : 1;
}
