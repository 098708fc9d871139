/**
 * OCSF mapping (tasks/lib/data-path/ocsf.ts) per source, on the realistic corpus: events mapped and
 * serialized per CPU second, and OCSF bytes per message byte (every event carries its raw message,
 * so it is at least 1). Beside the record processor's figures: a SIEM copy costs this on top.
 */
import { gunzipSync } from 'zlib';
import { firehoseRecord, SeededRandom } from '../sim/log-payloads';
import { transformRecords } from '../tasks/lib/data-path/transform';
import { siemConsumer } from '../tasks/process-siem-records';
import { toOcsf, type ArchivedEvent } from '../tasks/lib/data-path/ocsf';
import type { BenchFigure } from './figure';
import { realisticPayload } from './realistic-payloads';

export function benchOcsf(): BenchFigure[] {
  const random = new SeededRandom(2026);
  const bySource = new Map<string, ArchivedEvent[]>();
  for (let i = 0; i < 400; i++) {
    const payload = realisticPayload(random);
    const source = payload.logGroup.replace(/[-\d]+(?=\/|$)/g, '').replace(/_\w+$/, '');
    const events = bySource.get(source) ?? [];
    for (const e of payload.logEvents)
      events.push({
        account: payload.owner,
        region: 'eu-west-1',
        logGroup: payload.logGroup,
        logStream: payload.logStream,
        ...(e as { id: string; timestamp: number; message: string }),
      });
    bySource.set(source, events);
  }
  const figures: BenchFigure[] = [];
  for (const [source, events] of bySource) {
    const start = process.cpuUsage();
    let outputBytes = 0;
    for (const e of events) outputBytes += Buffer.byteLength(JSON.stringify(toOcsf(e)));
    const used = process.cpuUsage(start);
    const seconds = (used.user + used.system) / 1e6;
    const inputBytes = events.reduce((n, e) => n + Buffer.byteLength(e.message), 0);
    figures.push(
      { bench: `ocsf (${source})`, metric: 'mapped and serialized', value: events.length / seconds, unit: `events per CPU second (${events.length} events)` },
      { bench: `ocsf (${source})`, metric: 'OCSF bytes per message byte', value: outputBytes / inputBytes, unit: 'bytes/byte' },
    );
  }
  return figures;
}

/**
 * The SIEM processor end to end on the same realistic batches (0.2 MB of gzip, as deployed), in
 * each format, every category taken: log events per CPU second and output bytes per message byte,
 * the best of 5 rounds, formats alternating so neither always runs on a warmer heap.
 */
export async function benchSiemFormats(): Promise<BenchFigure[]> {
  const random = new SeededRandom(2027);
  const batches = Array.from({ length: 8 }, () => {
    const records = [];
    let bytes = 0;
    while (bytes < 200_000) {
      const record = firehoseRecord(realisticPayload(random));
      bytes += (record.data.length * 3) / 4;
      records.push(record);
    }
    return records;
  });
  const messageBytes = batches
    .flat()
    .reduce((n, r) => n + Buffer.byteLength(JSON.stringify(JSON.parse(gunzipSync(Buffer.from(r.data, 'base64')).toString('utf8')).logEvents)), 0);
  const best = { raw: Infinity, ocsf: Infinity };
  const output = { raw: 0, ocsf: 0 };
  let events = 0;
  for (let round = 0; round < 5; round++) {
    for (const format of round % 2 === 0 ? (['raw', 'ocsf'] as const) : (['ocsf', 'raw'] as const)) {
      const options = siemConsumer({ format, categories: ['audit', 'network', 'application'] }, 'eu-west-1');
      let bytes = 0;
      let count = 0;
      const start = process.cpuUsage();
      for (const batch of batches) {
        const { records, report } = await transformRecords(batch, options);
        count += report.logEvents;
        for (const r of records) bytes += r.data ? (r.data.length * 3) / 4 : 0;
      }
      const used = process.cpuUsage(start);
      best[format] = Math.min(best[format], (used.user + used.system) / 1e6);
      output[format] = bytes;
      events = count;
    }
  }
  return (['raw', 'ocsf'] as const).flatMap((format) => [
    {
      bench: `siem processor (${format})`,
      metric: 'events processed',
      value: events / best[format],
      unit: `events per CPU second (${events} events, 8 batches of 0.2 MB)`,
    },
    { bench: `siem processor (${format})`, metric: 'output bytes per event-JSON byte', value: output[format] / messageBytes, unit: 'bytes/byte' },
  ]);
}
