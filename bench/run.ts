/**
 * `npm run bench`: prints figures, each beside its bound where it has one (never pass/fail).
 * `-- --json` prints one JSON object per line; `-- --only <name>[,<name>]` runs those benches only
 * (and the only way to run `organization-target`).
 */
import { availableParallelism, loadavg } from 'node:os';
import { formatTable } from '../bin/table';
import { benchArchive } from './archive.bench';
import { benchBackfill } from './backfill.bench';
import { benchDestinationRaces } from './destination-races.bench';
import type { BenchFigure } from './figure';
import { benchOcsf, benchSiemFormats } from './ocsf.bench';
import { benchOnboarding } from './onboarding.bench';
import { benchOrganization, benchOrganizationScale, benchOrganizationTarget } from './organization.bench';
import { benchPartitions } from './partitions.bench';
import { benchRecordProcessor } from './record-processor.bench';
import { benchTampering } from './tampering.bench';

const BENCHES: Readonly<Record<string, () => BenchFigure[] | Promise<BenchFigure[]>>> = {
  'record-processor': benchRecordProcessor,
  ocsf: benchOcsf,
  'siem-formats': benchSiemFormats,
  partitions: benchPartitions,
  'destination-races': benchDestinationRaces,
  archive: benchArchive,
  onboarding: benchOnboarding,
  organization: benchOrganization,
  'organization-scale': benchOrganizationScale,
  'organization-target': benchOrganizationTarget,
  tampering: benchTampering,
  backfill: benchBackfill,
};

/** Benches beyond the default run's 10-minute bound (the target size's time is in the README, Performance): `--only` runs them. */
const ON_REQUEST: ReadonlySet<string> = new Set(['organization-target']);

function selected(argv: readonly string[]): string[] {
  const at = argv.indexOf('--only');
  if (at < 0) return Object.keys(BENCHES).filter((name) => !ON_REQUEST.has(name));
  const names = (argv[at + 1] ?? '').split(',').filter(Boolean);
  const unknown = names.filter((name) => !(name in BENCHES));
  if (names.length === 0 || unknown.length > 0) {
    console.error(`bench: --only: ${JSON.stringify(argv[at + 1] ?? null)} names no bench of ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  return names;
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const figures: BenchFigure[] = [];
  for (const name of selected(process.argv)) {
    const start = Date.now();
    figures.push(...(await BENCHES[name]!()), { bench: name, metric: 'wall time of this bench', value: (Date.now() - start) / 1000, unit: 's' });
    // Wall times move with the host's other work: the load it ended under, so a reader can tell a quiet run from a busy one.
    figures.push({
      bench: name,
      metric: `host load average at its end (1 minute, this bench included, ${availableParallelism()} cores)`,
      value: loadavg()[0]!,
      unit: '',
    });
  }
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
