/** `tributary onboard <account-id>`: starts onboard-account and follows it to the end. */
import { configPath, ownConfigPath, readConfig } from './config-file';
import { connect, executionName, explain, runWorkflow, type ConnectionFlags } from './step-functions';
import { formatTable } from './table';
import { reportProblems } from './problems';
import { requireOwnConfig, targetAccount, targetRegions } from './targets';

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

export async function onboardCommand(accountArg: string, flags: OnboardFlags): Promise<number> {
  try {
    const config = readConfig(flags.offline ? configPath(flags.config) : requireOwnConfig(ownConfigPath(flags.config), 'onboard'));
    const connection = connect(flags);
    const scope = { config, ...(connection.offline ? { accounts: new Set<string>(connection.offline.state.accounts.keys()) } : {}) };
    const accountId = targetAccount(accountArg, 'account-id', scope);
    const regions = targetRegions(flags.regions, '--regions', scope);
    if (accountId === config.accounts.logging) console.log(`Note: ${accountId} is the logging account; the pipeline's own log groups there stay excluded.`);
    const { sfn, pollMs, description } = connection;
    console.log(`Onboarding ${accountId} (${description})`);
    try {
      const execution = await runWorkflow(
        sfn,
        'onboard-account',
        executionName(accountId, connection),
        { accountId, trigger: 'manual', ...(regions ? { regions } : {}) },
        pollMs,
      );
      if (execution.status !== 'SUCCEEDED') return 1;
      return printSummary(JSON.parse(execution.output ?? '{}')) ? 0 : 1;
    } catch (error) {
      throw explain(error, flags.region ?? process.env.AWS_REGION);
    }
  } catch (error) {
    return reportProblems('onboard', error);
  }
}
