/**
 * What onboarding would change in one account-region, read-only: the same reads and the same pure
 * plans the tasks use (planSubscription, planFlowLog, planForwarding, the GuardDuty and
 * destination-access decisions), and not one write. `tributary plan` prints it.
 */
import { DescribeLogGroupsCommand, DescribeSubscriptionFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { GetMembersCommand, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { currentRule, planForwarding } from '../ensure-event-forwarding';
import { toTaskError } from './aws-errors';
import type { TaskContext } from './context';
import { readDestinationPolicy } from './destination-access';
import { accountsInPolicy } from './destination-policy';
import type { AccountId, LogGroupName, Region } from './domain';
import { planFlowLog } from './flow-log-plan';
import { GuardDutyNotDelegatedError } from './errors';
import { delegationCommand, organizationConfiguration } from './guardduty-membership';
import { flowLogsOf, logGroupsOf } from './listings';
import { eventForwardingRoleArn, exclusionMatcher, FLOW_LOGS_LOG_GROUP, FORWARDING_TARGET_ID, hubBusArn } from './ownership';
import { desiredFilter } from './subscription-filter';
import { planSubscription } from './subscription-plan';
import { desiredFlowLog } from './vpc-flow-logs';
import { readTrailCoverage } from './trail-coverage';
import { categoryOf, logSourceOf, type LogCategory } from './data-path/log-source';

export type PlanItem =
  | { readonly kind: 'subscription-filter'; readonly logGroup: string; readonly action: 'create' | 'update' }
  | { readonly kind: 'excluded'; readonly logGroup: string; readonly rule: string }
  | { readonly kind: 'no-slot'; readonly logGroup: string; readonly foreignFilters: readonly string[] }
  | { readonly kind: 'flow-log-group'; readonly action: 'create' }
  | { readonly kind: 'flow-log'; readonly vpcId: string; readonly action: 'create' | 'replace' }
  | { readonly kind: 'flow-log-delete'; readonly flowLogId: string }
  | { readonly kind: 'forwarding-rule'; readonly action: 'create' | 'update' }
  | { readonly kind: 'forwarding-target'; readonly action: 'put' }
  | {
      readonly kind: 'guardduty';
      readonly account: string;
      readonly action: 'create-detector' | 'update-organization-configuration' | 'create-member' | 'invite-member' | 'accept-invitation';
    }
  | { readonly kind: 'destination-access'; readonly action: 'add' }
  /** GuardDuty organization mode cannot work here until the management account delegates this region. */
  | { readonly kind: 'guardduty-not-delegated'; readonly account: string; readonly fix: string }
  /** No trail logs this account-region's management events: these triggers cannot fire here. */
  | { readonly kind: 'trail-missing'; readonly triggers: readonly string[] }
  /** What the subscribed groups of one category hold now (DescribeLogGroups `storedBytes`): the archive's share, and the SIEM's if it takes the category. */
  | { readonly kind: 'stored-bytes'; readonly category: LogCategory; readonly bytes: number; readonly logGroups: number };

/** What changes (excluded and no-slot groups are reported, not changed). */
export function isChange(item: PlanItem): boolean {
  return !['excluded', 'no-slot', 'guardduty-not-delegated', 'trail-missing', 'stored-bytes'].includes(item.kind);
}

async function read<T>(what: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw toTaskError(error, what);
  }
}

async function planLogGroups(context: TaskContext, accountId: AccountId, region: Region): Promise<PlanItem[]> {
  const logs = await context.clients.logs(accountId, region);
  const excluded = exclusionMatcher(context.config, accountId);
  const desired = desiredFilter(context.config, accountId, region);
  const items: PlanItem[] = [];
  const stored = new Map<LogCategory, { bytes: number; logGroups: number }>();
  for await (const group of logGroupsOf(logs, `${accountId} ${region}`)) {
    const name = group.logGroupName as LogGroupName;
    const exclusion = excluded(name);
    if (exclusion.excluded) {
      items.push({ kind: 'excluded', logGroup: name, rule: exclusion.rule });
      continue;
    }
    const category = categoryOf(logSourceOf(name, accountId, context.config.accounts.logging));
    const sum = stored.get(category) ?? { bytes: 0, logGroups: 0 };
    stored.set(category, { bytes: sum.bytes + (group.storedBytes ?? 0), logGroups: sum.logGroups + 1 });
    const { subscriptionFilters = [] } = await read(`logs:DescribeSubscriptionFilters ${name}`, () =>
      logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: name })),
    );
    const plan = planSubscription(
      subscriptionFilters.map((f) => ({
        filterName: f.filterName ?? '',
        destinationArn: f.destinationArn ?? '',
        filterPattern: f.filterPattern ?? '',
        roleArn: f.roleArn,
        distribution: f.distribution,
      })),
      desired,
    );
    if (plan.kind === 'change') items.push({ kind: 'subscription-filter', logGroup: name, action: plan.put.reason });
    if (plan.kind === 'no-slot') items.push({ kind: 'no-slot', logGroup: name, foreignFilters: plan.foreignFilters });
  }
  for (const [category, { bytes, logGroups }] of stored) items.push({ kind: 'stored-bytes', category, bytes, logGroups });
  return items;
}

async function planFlowLogs(context: TaskContext, accountId: AccountId, region: Region, groups: readonly PlanItem[]): Promise<PlanItem[]> {
  if (!context.config.flowLogs.enabled) return [];
  const ec2 = await context.clients.ec2(accountId, region);
  const desired = desiredFlowLog(context, accountId);
  const vpcIds: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await read(`ec2:DescribeVpcs ${accountId} ${region}`, () => ec2.send(new DescribeVpcsCommand({ NextToken })));
    vpcIds.push(...(page.Vpcs ?? []).map((v) => v.VpcId ?? '').filter(Boolean));
    NextToken = page.NextToken;
  } while (NextToken);
  if (vpcIds.length === 0) return [];
  const items: PlanItem[] = [];
  // The flow-log group: created, then subscribed like any other, when the first flow log needs it.
  if (desired.LogDestinationType === 'cloud-watch-logs' && !groups.some((g) => 'logGroup' in g && g.logGroup === FLOW_LOGS_LOG_GROUP)) {
    const logs = await context.clients.logs(accountId, region);
    const { logGroups = [] } = await read(`logs:DescribeLogGroups ${FLOW_LOGS_LOG_GROUP}`, () =>
      logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: FLOW_LOGS_LOG_GROUP })),
    );
    if (!logGroups.some((g) => g.logGroupName === FLOW_LOGS_LOG_GROUP))
      items.push({ kind: 'flow-log-group', action: 'create' }, { kind: 'subscription-filter', logGroup: FLOW_LOGS_LOG_GROUP, action: 'create' });
  }
  const existing = await flowLogsOf(ec2, `${accountId} ${region}`, vpcIds);
  for (const vpcId of vpcIds) {
    const plan = planFlowLog(
      existing.filter((f) => f.ResourceId === vpcId),
      desired,
    );
    if (plan.kind !== 'change') continue;
    for (const flowLogId of plan.deleteIds) items.push({ kind: 'flow-log-delete', flowLogId });
    if (plan.reason !== 'dedupe') items.push({ kind: 'flow-log', vpcId, action: plan.reason });
  }
  return items;
}

async function planEventForwarding(context: TaskContext, accountId: AccountId, region: Region): Promise<PlanItem[]> {
  const events = await context.clients.events(accountId, region);
  const target = {
    Id: FORWARDING_TARGET_ID,
    Arn: hubBusArn(context.config.accounts.orchestration, context.config.homeRegion),
    RoleArn: eventForwardingRoleArn(accountId, region),
  };
  const plan = planForwarding(await currentRule(events), context.forwarding.pattern, target);
  return [
    ...(plan.rule ? [{ kind: 'forwarding-rule' as const, action: plan.rule }] : []),
    ...(plan.target ? [{ kind: 'forwarding-target' as const, action: 'put' as const }] : []),
  ];
}

async function detectorOf(context: TaskContext, accountId: AccountId, region: Region): Promise<string | undefined> {
  const client = await context.clients.guardDuty(accountId, region);
  const { DetectorIds = [] } = await read(`guardduty:ListDetectors ${accountId} ${region}`, () => client.send(new ListDetectorsCommand({})));
  return DetectorIds[0];
}

/** The same decisions as ensureGuardDutyMembership, read-only. */
async function planGuardDuty(context: TaskContext, accountId: AccountId, region: Region): Promise<PlanItem[]> {
  const { mode, administratorAccount } = context.config.guardDuty;
  if (mode === 'off') return [];
  const items: PlanItem[] = [];
  const item = (account: string, action: Extract<PlanItem, { kind: 'guardduty' }>['action']) => items.push({ kind: 'guardduty', account, action });
  const adminDetector = await detectorOf(context, administratorAccount, region);
  if (!adminDetector) item(administratorAccount, 'create-detector');
  if (accountId === administratorAccount) return items;
  const admin = await context.clients.guardDuty(administratorAccount, region);
  if (mode === 'organization') {
    const configuration = adminDetector
      ? await organizationConfiguration(admin, adminDetector, administratorAccount, region).catch((error: unknown) => {
          if (error instanceof GuardDutyNotDelegatedError) return 'not-delegated' as const;
          throw error;
        })
      : undefined;
    if (configuration === 'not-delegated')
      return [...items, { kind: 'guardduty-not-delegated', account: administratorAccount, fix: delegationCommand(administratorAccount, region) }];
    if (configuration?.AutoEnableOrganizationMembers !== 'ALL') item(administratorAccount, 'update-organization-configuration');
  }
  const members = adminDetector
    ? ((await read('guardduty:GetMembers', () => admin.send(new GetMembersCommand({ DetectorId: adminDetector, AccountIds: [accountId] })))).Members ?? [])
    : [];
  let status = members.find((m) => m.AccountId === accountId)?.RelationshipStatus;
  if (status === undefined || status === 'Removed') {
    item(administratorAccount, 'create-member');
    status = mode === 'organization' ? 'Enabled' : 'Created';
  }
  if (mode === 'organization' || ['Enabled', 'EmailVerificationFailed'].includes(status)) return items;
  if (status === 'Created' || status === 'Resigned') item(administratorAccount, 'invite-member');
  if (!(await detectorOf(context, accountId, region))) item(accountId, 'create-detector');
  item(accountId, 'accept-invitation');
  return items;
}

async function planDestinationAccess(context: TaskContext, accountId: AccountId, region: Region): Promise<PlanItem[]> {
  if (context.config.destinationAccess === 'organization') return [];
  const logs = await context.clients.logs(context.config.accounts.logging, region);
  return accountsInPolicy(await readDestinationPolicy(logs, region)).includes(accountId) ? [] : [{ kind: 'destination-access', action: 'add' }];
}

/** Whether a trail logs this account-region (config `cloudTrail` `create` or `existing`; `off` checks nothing). */
async function planTrail(context: TaskContext, accountId: AccountId, region: Region): Promise<PlanItem[]> {
  if (context.config.cloudTrail === 'off') return [];
  const trail = await readTrailCoverage(await context.clients.cloudTrail(accountId, region), accountId, region);
  return trail ? [] : [{ kind: 'trail-missing', triggers: context.forwarding.triggers }];
}

/** Everything onboarding would do in one account-region, from reads only. */
export async function planRegion(context: TaskContext, accountId: AccountId, region: Region): Promise<PlanItem[]> {
  const trail = await planTrail(context, accountId, region);
  const destination = await planDestinationAccess(context, accountId, region);
  const groups = context.config.subscription.mode === 'log-group' ? await planLogGroups(context, accountId, region) : [];
  return [
    ...trail,
    ...destination,
    ...groups,
    ...(await planFlowLogs(context, accountId, region, groups)),
    ...(await planEventForwarding(context, accountId, region)),
    ...(await planGuardDuty(context, accountId, region)),
  ];
}
