/**
 * The archive's integrity digests, offline: a month of one region (720 hours, 417 objects an hour:
 * about 300,000 objects, 720 signed hourly digests, plus the errors and departures chains) written,
 * then verified in full (every chain from its genesis, every signature, every link, every object
 * and its versions hashed). Digesting runs apart from the record processor (S3 events, a scheduled
 * writer): the processor's own figures do not change with it.
 */
import { simulatedArchive } from '../sim/archive';
import { verifyArchive } from '../tasks/lib/archive/verify';
import type { BenchFigure } from './figure';

export async function benchArchive(): Promise<BenchFigure[]> {
  const bench = 'archive digests (one region, a month, about 300,000 objects)';
  let started = process.hrtime.bigint();
  const archive = await simulatedArchive({ regions: ['eu-west-1'], hours: 720, objectsPerHour: 417 });
  const writeSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const heapBefore = process.memoryUsage().heapUsed;
  let peakHeap = heapBefore;
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 50);
  started = process.hrtime.bigint();
  const report = await verifyArchive(archive.store, { trustedKey: archive.key.fingerprint, chains: archive.chains, now: archive.now });
  const verifySeconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  const region = report.chains.find((c) => c.chain === 'eu-west-1')!;
  return [
    {
      bench,
      metric: 'objects verified',
      value: report.objects,
      unit: `objects, ${region.hours} proven hours in the region's chain, ${report.digests} digests in all`,
    },
    { bench, metric: 'problems found in an untouched archive', value: report.problems.length, unit: 'problems', bound: '= 0' },
    { bench, metric: 'write (deliver, record, digest, sign)', value: writeSeconds, unit: 's' },
    { bench, metric: 'verify everything, offline', value: verifySeconds, unit: 's', bound: '< 60 (seconds)' },
    { bench, metric: 'verify: peak heap above the archive in memory', value: (peakHeap - heapBefore) / 2 ** 20, unit: 'MiB' },
    { bench, metric: 'process peak resident set (archive included)', value: process.resourceUsage().maxRSS / 1024, unit: 'MiB' },
  ];
}
