/** `npm run bench`: prints figures (never pass/fail). `-- --json` prints one JSON object per line. */
import { formatTable } from '../bin/table';
import { benchArchive } from './archive.bench';
import { benchDestinationRaces } from './destination-races.bench';
import { benchOnboarding } from './onboarding.bench';
import { benchOrganization } from './organization.bench';
import { benchPartitions } from './partitions.bench';
import { benchRecordProcessor } from './record-processor.bench';
import { benchTampering } from './tampering.bench';

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const figures = [
    ...benchRecordProcessor(),
    ...benchPartitions(),
    ...(await benchDestinationRaces()),
    ...(await benchArchive()),
    ...(await benchOnboarding()),
    ...(await benchOrganization()),
    ...(await benchTampering()),
  ];
  if (json) {
    for (const f of figures) console.log(JSON.stringify({ ...f, value: Number(f.value.toFixed(3)) }));
    return;
  }
  console.log(
    formatTable(
      ['bench', 'metric', 'value', 'unit', 'bound'],
      figures.map((f) => [f.bench, f.metric, Number(f.value.toFixed(2)), f.unit, f.bound ?? '']),
    ),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
