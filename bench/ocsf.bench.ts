/**
 * OCSF mapping (tasks/lib/data-path/ocsf.ts) per source, on the realistic corpus: events mapped and
 * serialized per CPU second, and OCSF bytes per message byte (every event carries its raw message,
 * so it is at least 1). Beside the record processor's figures: a SIEM copy costs this on top.
 */
import { SeededRandom } from '../sim/log-payloads';
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
