/**
 * What an operator command may act on, checked once, the same way in every command, before anything
 * starts: never the management account (no baseline is deployed there), never an account the
 * organization does not know (where it is known: offline), never a region outside
 * `config.governedRegions`, never one listed twice. Each refusal names the flag and the value
 * (exit 2).
 */
import type { TributaryConfig } from '../tasks/lib/config';
import { parseAccountId, parseRegion, type AccountId, type Region } from '../tasks/lib/domain';

export interface TargetScope {
  readonly config: TributaryConfig;
  /** The organization's accounts, where the command knows them (offline). @default unknown: not checked */
  readonly accounts?: ReadonlySet<string>;
}

export function targetAccount(value: string, flag: string, scope: TargetScope): AccountId {
  const account = parseAccountId(value, flag);
  if (account === scope.config.accounts.management) {
    throw new Error(`${flag}: "${account}" is the management account: the member baseline never deploys there, so Tributary neither wires nor unwires it`);
  }
  if (scope.accounts && !scope.accounts.has(account))
    throw new Error(`${flag}: "${account}" is not an account of the organization ${scope.config.organizationId}`);
  return account;
}

export function targetRegions(list: string | undefined, flag: string, scope: TargetScope): Region[] | undefined {
  if (list === undefined) return undefined;
  const regions = list.split(',').map((r, i) => parseRegion(r.trim(), `${flag}[${i}]`));
  regions.forEach((region, i) => {
    if (!scope.config.governedRegions.includes(region))
      throw new Error(`${flag}[${i}]: "${region}" is not governed (config.governedRegions: ${scope.config.governedRegions.join(', ')})`);
    if (regions.indexOf(region) !== i) throw new Error(`${flag}[${i}]: "${region}" is listed twice`);
  });
  return regions;
}

/** The config of a command acting on AWS: never the committed example, which names someone else's accounts. */
export function requireOwnConfig(path: string | undefined, command: string): string {
  if (!path)
    throw new Error(
      `--config: against AWS, ${command} needs your organization config (or TRIBUTARY_CONFIG_FILE), to refuse the management account and ungoverned regions before anything starts`,
    );
  return path;
}
