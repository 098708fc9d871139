/** `tributary cost`: the monthly cost of Tributary for a config and stated volumes, per service, with every assumption. */
import { configPath, readConfig } from './config-file';
import { estimateMonthlyCost, type CostVolumes } from './cost-model';
import { reportProblems } from './problems';
import { formatTable } from './table';

export interface CostFlags {
  readonly config?: string;
  /** `audit=5,network=20,application=10`, GB/day across the organization. */
  readonly gbPerDay?: string;
  readonly logGroups?: string;
  readonly json?: boolean;
}

const DEFAULT_GB_PER_DAY = { audit: 5, network: 20, application: 10 };

export function parseVolumes(flags: CostFlags): CostVolumes {
  const gbPerDay = { ...DEFAULT_GB_PER_DAY };
  for (const [i, pair] of (flags.gbPerDay?.split(',') ?? []).entries()) {
    const [category, value] = pair.split('=').map((s) => s.trim());
    if (!category || !(category in gbPerDay)) throw new Error(`--gb-per-day[${i}]: "${pair}" names no category (audit, network, application)`);
    const gb = Number(value);
    if (!value || !Number.isFinite(gb) || gb < 0) throw new Error(`--gb-per-day[${i}]: "${pair}" is not a number of GB a day, 0 or more`);
    gbPerDay[category as keyof typeof gbPerDay] = gb;
  }
  const logGroups = Number(flags.logGroups ?? 50);
  if (!Number.isInteger(logGroups) || logGroups < 0)
    throw new Error(`--log-groups: "${flags.logGroups}" is not a whole number of log groups per account-region`);
  return { gbPerDay, logGroupsPerAccountRegion: logGroups };
}

const dollars = (n: number) => `$${n.toFixed(2)}`;

export function costCommand(flags: CostFlags): number {
  try {
    const config = readConfig(configPath(flags.config));
    const estimate = estimateMonthlyCost(config, parseVolumes(flags));
    if (flags.json) {
      console.log(JSON.stringify(estimate, null, 2));
      return 0;
    }
    console.log(
      formatTable(
        ['service', 'item', 'quantity', 'unit', 'per month'],
        estimate.lines.map((l) => [l.service, l.item, Number(l.quantity.toFixed(2)), l.unit, dollars(l.monthly)]),
      ),
    );
    const byService = new Map<string, number>();
    for (const l of estimate.lines) byService.set(l.service, (byService.get(l.service) ?? 0) + l.monthly);
    console.log('');
    console.log(
      formatTable(['service', 'per month'], [...[...byService].map(([service, monthly]) => [service, dollars(monthly)]), ['TOTAL', dollars(estimate.total)]]),
    );
    console.log('\nAssumptions:');
    for (const a of estimate.assumptions) console.log(`  - ${a}`);
    return 0;
  } catch (error) {
    return reportProblems('cost', error);
  }
}
