/**
 * `tributary offboard <account-id> [--remove-wiring]`: starts offboard-account and follows it: the
 * account leaves the destination policy (account-list) and GuardDuty; with --remove-wiring,
 * Tributary's own filters, flow logs and forwarding rule go too (never a foreign one, never a log).
 */
import { configPath, ownConfigPath, readConfig } from './config-file';
import { requireOwnConfig, targetAccount } from './targets';
import { formatTable } from './table';
import { connect, executionName, explain, runWorkflow, type ConnectionFlags } from './step-functions';
import { reportProblems } from './problems';

export interface OffboardFlags extends ConnectionFlags {
  readonly removeWiring?: boolean;
  /** Offboard an account that is still an ACTIVE member (the workflow refuses it otherwise). */
  readonly force?: boolean;
}

interface RegionResult {
  readonly region: string;
  readonly status?: string;
  readonly error?: string;
  readonly destinationAccess?: string;
  readonly guardDuty?: string;
  readonly wiringRemoved?: { filters: number; flowLogs: number; forwardingRule: boolean; accountPolicy: boolean };
}

export async function offboardCommand(accountArg: string, flags: OffboardFlags): Promise<number> {
  try {
    const config = readConfig(flags.offline ? configPath(flags.config) : requireOwnConfig(ownConfigPath(flags.config), 'offboard'));
    const connection = connect(flags);
    // A departed account is no longer listed by Organizations: only offline, where every account
    // that ever was is known, is an unknown one refused.
    const accountId = targetAccount(accountArg, 'account-id', {
      config,
      ...(connection.offline ? { accounts: new Set<string>(connection.offline.state.accounts.keys()) } : {}),
    });
    const { sfn, pollMs, description } = connection;
    console.log(`Offboarding ${accountId}${flags.removeWiring ? ", removing Tributary's wiring" : ''} (${description})`);
    try {
      const execution = await runWorkflow(
        sfn,
        'offboard-account',
        executionName(`offboard-${accountId}`, connection),
        { accountId, trigger: 'manual', removeWiring: flags.removeWiring ?? false, ...(flags.force ? { force: true } : {}) },
        pollMs,
      );
      if (execution.status !== 'SUCCEEDED') return 1;
      const regions = (JSON.parse(execution.output ?? '{}') as { regions?: RegionResult[] }).regions ?? [];
      console.log(
        formatTable(
          ['region', 'status', 'destination access', 'GuardDuty', 'filters removed', 'flow logs removed', 'forwarding rule removed'],
          regions.map((r) => [
            r.region,
            r.status === 'Failed' ? `Failed: ${r.error}` : 'Offboarded',
            r.destinationAccess ?? '-',
            r.guardDuty ?? '-',
            r.wiringRemoved?.filters ?? '-',
            r.wiringRemoved?.flowLogs ?? '-',
            r.wiringRemoved ? (r.wiringRemoved.forwardingRule ? 'yes' : 'no') : '-',
          ]),
        ),
      );
      return regions.every((r) => r.status !== 'Failed') ? 0 : 1;
    } catch (error) {
      throw explain(error, flags.region ?? process.env.AWS_REGION);
    }
  } catch (error) {
    return reportProblems('offboard', error);
  }
}
