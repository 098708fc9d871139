/**
 * The archive's integrity digests, offline: a day of one region with 10,000 objects (24 signed
 * digests) written and then verified in full (every signature, the chain, every object hashed).
 * Digesting runs apart from the record processor (S3 events, a scheduled writer): the processor's
 * own figures do not change with it.
 */
import { simulatedArchive } from '../sim/archive';
import { verifyArchive } from '../tasks/lib/archive/verify';
import type { BenchFigure } from './record-processor.bench';

export async function benchArchive(): Promise<BenchFigure[]> {
  const bench = 'archive digests (one region, a day, 10,000 objects)';
  let started = process.hrtime.bigint();
  const { store, key } = await simulatedArchive({ regions: ['eu-west-1'], hours: 24, objectsPerHour: 417 });
  const writeSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  started = process.hrtime.bigint();
  const report = await verifyArchive(store, key);
  const verifySeconds = Number(process.hrtime.bigint() - started) / 1e9;
  return [
    { bench, metric: 'objects digested', value: report.objects, unit: `objects in ${report.digests} digests` },
    { bench, metric: 'problems found in an untouched archive', value: report.problems.length, unit: 'problems', bound: '= 0' },
    { bench, metric: 'write (deliver, record, digest, sign)', value: writeSeconds, unit: 's' },
    { bench, metric: 'verify everything, offline', value: verifySeconds, unit: 's', bound: '< 10 (seconds)' },
  ];
}
