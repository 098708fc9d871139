/** `tributary onboard <account-id>`: starts onboard-account and follows it to the end. */
import { EXAMPLE_CONFIG_PATH, type TributaryConfig } from '../infra/config/schema';
import { parseAccountId, parseRegion } from '../tasks/lib/domain';
import { configPath, readConfig } from './config-file';
import { connect, explain, runWorkflow, type ConnectionFlags } from './step-functions';
import { formatTable } from './table';
import { reportProblems } from './problems';

export interface OnboardFlags extends ConnectionFlags {
  readonly regions?: string;
}

interface RegionSummary {
  readonly region: string;
  readonly status: string;
  readonly error?: string;
  readonly logGroups?: { totals?: Record<string, number>; status?: string };
  readonly flowLogs?: { totals?: Record<string, number>; status?: string };
  readonly guardDuty?: { status?: string };
}

function printSummary(output: { accountId?: string; regions?: RegionSummary[]; regionsNotEnabled?: string[] }): boolean {
  const regions = output.regions ?? [];
  console.log(
    formatTable(
      ['region', 'status', 'log groups subscribed', 'no slot', 'VPC flow logs', 'GuardDuty'],
      regions.map((r) => [
        r.region,
        r.status === 'Failed' ? `Failed: ${r.error}` : r.status,
        (r.logGroups?.totals?.subscribed ?? 0) + (r.logGroups?.totals?.alreadySubscribed ?? 0),
        r.logGroups?.totals?.noSlot ?? 0,
        (r.flowLogs?.totals?.created ?? 0) + (r.flowLogs?.totals?.alreadyEnabled ?? 0) + (r.flowLogs?.totals?.replaced ?? 0),
        r.guardDuty?.status ?? '-',
      ]),
    ),
  );
  if (output.regionsNotEnabled?.length) console.log(`Governed regions the account has not enabled: ${output.regionsNotEnabled.join(', ')}`);
  return regions.every((r) => r.status !== 'Failed');
}

/** The config, when the command has one: offline always; against AWS when --config or TRIBUTARY_CONFIG_FILE names it. */
function knownConfig(flags: OnboardFlags): TributaryConfig | undefined {
  const path = configPath(flags.config, flags.offline ? EXAMPLE_CONFIG_PATH : undefined);
  return path ? readConfig(path) : undefined;
}

export async function onboardCommand(accountArg: string, flags: OnboardFlags): Promise<number> {
  try {
    const accountId = parseAccountId(accountArg, 'account-id');
    const regions = flags.regions?.split(',').map((r, i) => parseRegion(r.trim(), `--regions[${i}]`));
    const twice = regions?.findIndex((r, i) => regions.indexOf(r) !== i) ?? -1;
    if (twice >= 0) throw new Error(`--regions[${twice}]: "${regions![twice]}" is listed twice`);
    const config = knownConfig(flags);
    if (config && accountId === config.accounts.management) {
      throw new Error(`account-id: "${accountId}" is the management account: the member baseline never deploys there, so Tributary cannot onboard it`);
    }
    if (config && accountId === config.accounts.logging) console.log(`Note: ${accountId} is the logging account; the pipeline's own log groups there stay excluded.`);
    const { sfn, pollMs, description } = connect(flags);
    console.log(`Onboarding ${accountId} (${description})`);
    try {
      const execution = await runWorkflow(sfn, 'onboard-account', `manual-${accountId}-${Date.now()}`, { accountId, trigger: 'manual', ...(regions ? { regions } : {}) }, pollMs);
      if (execution.status !== 'SUCCEEDED') return 1;
      return printSummary(JSON.parse(execution.output ?? '{}')) ? 0 : 1;
    } catch (error) {
      throw explain(error, flags.region ?? process.env.AWS_REGION);
    }
  } catch (error) {
    return reportProblems('onboard', error);
  }
}
