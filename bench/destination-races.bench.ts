/** Destination access in account-list mode: 1,000 randomized interleavings of 20 onboard/offboard operations (sim/destination-interleavings.ts). */
import { runDestinationInterleavings } from '../sim/destination-interleavings';
import type { BenchFigure } from './figure';

export async function benchDestinationRaces(): Promise<BenchFigure[]> {
  const report = await runDestinationInterleavings(1000);
  const bench = `destination access (${report.runs} interleavings, ${report.operations} operations)`;
  return [
    { bench, metric: 'accounts lost (latest intent present, not listed)', value: report.lost.length, unit: 'accounts', bound: '= 0' },
    { bench, metric: 'accounts kept (latest intent absent, still listed)', value: report.kept.length, unit: 'accounts', bound: '= 0' },
  ];
}
