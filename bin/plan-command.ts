/**
 * `tributary plan`: what onboarding would change, per account-region, read-only (tasks/lib/plan.ts).
 * Offline against the simulated organization; against AWS with the standard credential chain and
 * a role to assume for reads in each account (`--role-name`, which must trust you: the member role
 * trusts only the task roles).
 */
import { ClientFactory } from '../tasks/lib/clients';
import { systemClock } from '../tasks/lib/clock';
import type { TaskContext } from '../tasks/lib/context';
import { parseRegion, type AccountId, type Region } from '../tasks/lib/domain';
import { isChange, planRegion, type PlanItem } from '../tasks/lib/plan';
import { planRoleName } from '../infra/member-role-policy';
import { activeAccounts } from '../tasks/list-active-accounts';
import { Logger } from '@aws-lambda-powertools/logger';
import { ownConfigPath, readConfig } from './config-file';
import { offlineOrganization } from './step-functions';
import { formatTable } from './table';
import { reportProblems } from './problems';
import { requireOwnConfig, targetAccount, targetRegions } from './targets';
import { memberForwarding, tributaryCallers } from '../workflows/forwarding';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { checkPrerequisites } from './prerequisite-checks';
import type { SiemConfig, TributaryConfig } from '../tasks/lib/config';
import { PRICE_TABLE } from './price-table';
import type { LogCategory } from '../tasks/lib/data-path/log-source';

export interface PlanFlags {
  readonly account?: string;
  readonly regions?: string;
  readonly offline?: boolean;
  readonly config?: string;
  readonly roleName?: string;
  readonly region?: string;
  readonly json?: boolean;
}

export interface AccountRegionPlan {
  readonly account: AccountId;
  readonly region: Region;
  readonly items: readonly PlanItem[];
}

/** Plans every account-region asked for, one after the other (reads only, under the clients' rate limits). */
export async function planOrganization(context: TaskContext, accounts: readonly AccountId[], regions: readonly Region[]): Promise<AccountRegionPlan[]> {
  const plans: AccountRegionPlan[] = [];
  for (const account of accounts) for (const region of regions) plans.push({ account, region, items: await planRegion(context, account, region) });
  return plans;
}

function describe(item: PlanItem): string {
  switch (item.kind) {
    case 'subscription-filter':
      return `${item.action} subscription filter on ${item.logGroup}`;
    case 'excluded':
      return `leave ${item.logGroup} (excluded by ${item.rule})`;
    case 'no-slot':
      return `cannot subscribe ${item.logGroup}: both slots taken by ${item.foreignFilters.join(', ')}`;
    case 'flow-log-group':
      return 'create the flow-log group /tributary/flow-logs';
    case 'flow-log':
      return `${item.action} flow log on ${item.vpcId}`;
    case 'flow-log-delete':
      return `delete our stale flow log ${item.flowLogId}`;
    case 'forwarding-rule':
      return `${item.action} the forwarding rule`;
    case 'forwarding-target':
      return 'point the forwarding rule at the hub bus';
    case 'guardduty':
      return `GuardDuty ${item.action} (${item.account})`;
    case 'destination-access':
      return 'add the account to the destination policy';
    case 'guardduty-not-delegated':
      return `cannot enable GuardDuty: ${item.account} is not its delegated administrator in this region; in the management account run: ${item.fix}`;
    case 'trail-missing':
      return `no CloudTrail trail logs this region's management events: ${item.triggers.join(', ')} cannot fire here (set config cloudTrail to "create", or extend your organization trail to every region)`;
    case 'stored-bytes':
      return `${item.logGroups} ${item.category} groups hold ${formatBytes(item.bytes)}`;
  }
}

/** The archive's and the SIEM's share of what the subscribed groups hold now, summed over the plans. */
export interface VolumeShare {
  readonly archiveBytes: number;
  /** Bytes of the categories the SIEM takes: an upper bound when `filtered`. */
  readonly siemBytes: number;
  readonly share: number;
  readonly filtered: boolean;
}

export function volumeShare(plans: readonly AccountRegionPlan[], siem: SiemConfig | undefined): VolumeShare | undefined {
  if (!siem) return undefined;
  const stored = plans.flatMap((p) => p.items).filter((i): i is Extract<PlanItem, { kind: 'stored-bytes' }> => i.kind === 'stored-bytes');
  const archiveBytes = stored.reduce((n, i) => n + i.bytes, 0);
  const siemBytes = stored.filter((i) => siem.categories.includes(i.category)).reduce((n, i) => n + i.bytes, 0);
  return { archiveBytes, siemBytes, share: archiveBytes === 0 ? 0 : siemBytes / archiveBytes, filtered: Object.keys(siem.filters ?? {}).length > 0 };
}

/** FilterLogEvents pages a second the backfill allows itself per account-region (tasks/lib/rate-limiter.ts), each at most 1 MB. */
const BACKFILL_PAGES_PER_SECOND = 4;
const PAGE_BYTES = 1_048_576;
/** A step's Lambda: 512 MB for about a second (one FilterLogEvents page and one S3 PUT). */
const STEP_GB_SECONDS = 0.5;
/** A step writes the group's cursor twice and adds to the account's bytes (tasks/backfill-log-groups.ts). */
const WRITES_PER_STEP = 3;
/** An invocation of BackfillLogGroups reads up to 50 pages and costs its Task, its result and its Choice. */
const PAGES_PER_INVOCATION = 50;
const TRANSITIONS_PER_INVOCATION = 3;

export interface BackfillEstimate {
  readonly days: number;
  /** What the subscribed groups of the backfill's categories hold, capped per account: an upper bound (it includes history older than the horizon). */
  readonly bytes: number;
  readonly accountRegions: number;
  /** The largest account-region at the paced FilterLogEvents rate; account-regions run side by side. */
  readonly longestSeconds: number;
  readonly dollars: { readonly lambda: number; readonly s3Puts: number; readonly dynamoDb: number; readonly stepFunctions: number };
}

export function backfillEstimate(plans: readonly AccountRegionPlan[], backfill: TributaryConfig['backfill']): BackfillEstimate | undefined {
  if (!backfill) return undefined;
  const perRegion = plans.map((p) => ({
    account: p.account,
    bytes: p.items.reduce((n, i) => (i.kind === 'stored-bytes' && backfill.categories.includes(i.category) ? n + i.bytes : n), 0),
  }));
  const perAccount = new Map<string, number>();
  for (const r of perRegion) perAccount.set(r.account, (perAccount.get(r.account) ?? 0) + r.bytes);
  const capped = perRegion.map((r) => {
    const total = perAccount.get(r.account)!;
    return total > backfill.maxBytesPerAccount ? (r.bytes * backfill.maxBytesPerAccount) / total : r.bytes;
  });
  const pages = capped.map((bytes) => Math.ceil(bytes / PAGE_BYTES));
  // One step a page (tasks/lib/backfill.ts reads a page again only after a step died before its write).
  const steps = pages.reduce((n, p) => n + p, 0);
  const prices = PRICE_TABLE.prices;
  return {
    days: backfill.days,
    bytes: capped.reduce((n, b) => n + b, 0),
    accountRegions: plans.length,
    longestSeconds: Math.max(0, ...pages.map((p) => p / BACKFILL_PAGES_PER_SECOND)),
    dollars: {
      lambda: steps * STEP_GB_SECONDS * prices.lambdaGbSecond + (steps / 1e6) * prices.lambdaPerMillionRequests,
      s3Puts: (pages.reduce((n, p) => n + p, 0) / 1000) * prices.s3PutPer1000,
      dynamoDb: ((steps * WRITES_PER_STEP) / 1e6) * prices.dynamoDbPerMillionWrites,
      stepFunctions:
        (pages.reduce((n, p) => n + Math.ceil(p / PAGES_PER_INVOCATION) * TRANSITIONS_PER_INVOCATION, 0) / 1000) * prices.stepFunctionsPer1000Transitions,
    },
  };
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

function print(plans: readonly AccountRegionPlan[], trailChecked: boolean, config: TributaryConfig): void {
  const { siem } = config;
  const count = (p: AccountRegionPlan, kind: PlanItem['kind']) => p.items.filter((i) => i.kind === kind).length;
  const storedOf = (p: AccountRegionPlan, share?: (c: LogCategory) => boolean) =>
    p.items.reduce((n, i) => (i.kind === 'stored-bytes' && (!share || share(i.category)) ? n + i.bytes : n), 0);
  console.log(
    formatTable(
      [
        'account',
        'region',
        'trail',
        'filters',
        'excluded',
        'no slot',
        'flow logs',
        'forwarding',
        'GuardDuty',
        'destination',
        'stored',
        ...(siem ? ['SIEM'] : []),
      ],
      plans.map((p) => [
        p.account,
        p.region,
        !trailChecked ? 'unchecked' : count(p, 'trail-missing') ? 'MISSING' : 'ok',
        count(p, 'subscription-filter'),
        count(p, 'excluded'),
        count(p, 'no-slot'),
        count(p, 'flow-log'),
        count(p, 'forwarding-rule') + count(p, 'forwarding-target'),
        count(p, 'guardduty'),
        count(p, 'destination-access'),
        formatBytes(storedOf(p)),
        ...(siem ? [formatBytes(storedOf(p, (c) => siem.categories.includes(c)))] : []),
      ]),
    ),
  );
  for (const p of plans) {
    const notable = p.items.filter((i) => i.kind !== 'excluded' && i.kind !== 'stored-bytes');
    if (notable.length === 0) continue;
    console.log(`\n${p.account} ${p.region}:`);
    for (const item of notable) console.log(`  ${describe(item)}`);
  }
  const changes = plans.reduce((n, p) => n + p.items.filter(isChange).length, 0);
  console.log(`\n${changes === 0 ? 'Nothing to change' : `${changes} changes`} in ${plans.length} account-regions; nothing was written.`);
  const backfill = backfillEstimate(plans, config.backfill);
  if (backfill)
    console.log(
      `Backfill (${backfill.days} days): at most ${formatBytes(backfill.bytes)} in ${backfill.accountRegions} account-regions; the largest takes at least ${Math.ceil(backfill.longestSeconds / 60)} min at ${BACKFILL_PAGES_PER_SECOND} FilterLogEvents pages a second; Lambda $${backfill.dollars.lambda.toFixed(2)}, S3 PUTs $${backfill.dollars.s3Puts.toFixed(2)}, DynamoDB $${backfill.dollars.dynamoDb.toFixed(2)}, Step Functions $${backfill.dollars.stepFunctions.toFixed(2)} (prices of ${PRICE_TABLE.date}).`,
    );
  const volume = volumeShare(plans, siem);
  if (volume)
    console.log(
      `SIEM share: ${formatBytes(volume.siemBytes)} of the ${formatBytes(volume.archiveBytes)} the subscribed groups hold now (${(100 * volume.share).toFixed(1)}%, categories ${siem!.categories.join(', ')})${volume.filtered ? '; at most that: siem.filters keep only matching events' : ''}.`,
    );
}

export async function planCommand(flags: PlanFlags): Promise<number> {
  try {
    let context: TaskContext;
    let onlyAccount: AccountId | undefined;
    let regionsAsked: Region[] | undefined;
    let accounts: AccountId[];
    let run: <T>(work: () => Promise<T>) => Promise<T> = (work) => work();
    let hubAccount: string;
    if (flags.offline) {
      const env = offlineOrganization(flags.config, { lateRoles: 0 });
      // The read-only plan role, decided by the simulator as AWS would: a write would be refused.
      context = { ...env.context, clients: env.aws.clientFactory(env.config.accounts.orchestration, env.config.homeRegion, planRoleName(env.config)) };
      run = (work) => env.clock.run(work);
      hubAccount = env.config.accounts.orchestration;
      const scope = { config: env.config, accounts: new Set<string>(env.state.accounts.keys()) };
      onlyAccount = flags.account ? targetAccount(flags.account, '--account', scope) : undefined;
      regionsAsked = targetRegions(flags.regions, '--regions', scope);
      accounts = onlyAccount
        ? [onlyAccount]
        : [...env.state.accounts.values()].filter((a) => a.status === 'ACTIVE' && a.id !== env.config.accounts.management).map((a) => a.id);
    } else {
      const config = readConfig(requireOwnConfig(ownConfigPath(flags.config), 'plan'));
      onlyAccount = flags.account ? targetAccount(flags.account, '--account', { config }) : undefined;
      regionsAsked = targetRegions(flags.regions, '--regions', { config });
      const hubRegion = parseRegion(flags.region ?? process.env.AWS_REGION ?? config.homeRegion, '--region');
      context = {
        config,
        clients: new ClientFactory({ memberRoleName: flags.roleName ?? planRoleName(config), hubRegion }),
        logger: new Logger({ logLevel: 'SILENT' }),
        clock: systemClock,
        forwarding: memberForwarding(tributaryCallers(config)),
      };
      accounts = onlyAccount ? [onlyAccount] : await activeAccounts(context);
      hubAccount = (await new STSClient({ region: hubRegion }).send(new GetCallerIdentityCommand({}))).Account ?? '';
    }
    const regions = regionsAsked ?? context.config.governedRegions;
    const probe = accounts.find((a) => a !== context.config.accounts.management);
    const problems = probe ? await run(() => checkPrerequisites(context, probe, hubAccount)) : [];
    const plans = await run(() => planOrganization(context, accounts, regions));
    if (flags.json) {
      const siem = volumeShare(plans, context.config.siem);
      const backfill = backfillEstimate(plans, context.config.backfill);
      console.log(JSON.stringify({ prerequisites: problems, plans, ...(siem ? { siem } : {}), ...(backfill ? { backfill } : {}) }, null, 2));
    } else {
      for (const { problem, fix } of problems) console.log(`prerequisite MISSING: ${problem}\n  fix: ${fix}`);
      print(plans, context.config.cloudTrail !== 'off', context.config);
    }
    // Onboarding would fail where a prerequisite is missing: not a plan to run as it is.
    return problems.length > 0 ? 1 : 0;
  } catch (error) {
    return reportProblems('plan', error);
  }
}
