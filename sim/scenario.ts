/**
 * What the simulated organization holds: member accounts, and per account-region a realistic mix
 * of log groups (some excluded, some with a foreign filter, a few with both slots taken) and VPCs
 * (some with a foreign flow log). Deterministic for a seed. What people do (creating log groups,
 * a vendor adding its filter) is applied to the state directly; only Tributary's own calls go
 * through the simulated APIs and are counted.
 */
import type { AccountId, Region } from '../tasks/lib/domain';
import type { OfflineEnvironment } from './environment';
import type { SimLogGroup } from './state';

/** Shares of new log groups by kind; the rest are ordinary application groups. */
const SHARES = { sandboxExcluded: 0.08, pipelineOwn: 0.04, oneForeignFilter: 0.15, bothSlotsTaken: 0.05 };

const FOREIGN_FILTERS = ['security-team-siem', 'vendor-apm-forwarder'] as const;

export interface ScenarioLogGroup {
  readonly accountId: AccountId;
  readonly region: Region;
  readonly logGroupName: string;
}

export function memberAccountId(index: number): AccountId {
  return String(100000000000 + index + 1).padStart(12, '0') as AccountId;
}

const APP_NAMES = [
  '/aws/lambda/orders',
  '/aws/lambda/payments',
  '/ecs/checkout',
  '/aws/eks/platform/cluster',
  '/aws/rds/instance/ledger/postgresql',
  'API-Gateway-Execution-Logs_x1y2z3/prod',
  '/aws/route53resolver/queries',
  '/app/web',
];

function logGroupName(kind: string, index: number): string {
  switch (kind) {
    case 'sandbox':
      return `/aws/lambda/sandbox-experiment-${index}`;
    case 'pipeline':
      return `/aws/lambda/tributary-SubscribeLogGroup-${index}`;
    default:
      return `${APP_NAMES[index % APP_NAMES.length]}-${index}`;
  }
}

function addForeignFilter(group: SimLogGroup, accountId: string, region: string, filterName: string, creationTime: number): void {
  group.filters.set(filterName, {
    filterName,
    logGroupName: group.logGroupName,
    filterPattern: filterName === 'security-team-siem' ? '{ $.level = "ERROR" }' : '',
    destinationArn: `arn:aws:lambda:${region}:${accountId}:function:${filterName}`,
    distribution: 'ByLogStream',
    creationTime,
  });
}

/**
 * A person (or CloudFormation) creates the log group; some teams' tooling adds its own
 * filter at once, before Tributary's event arrives.
 */
export function createScenarioLogGroup(
  env: OfflineEnvironment,
  group: ScenarioLogGroup,
  index: number,
  hiddenReads = env.aws.faults.options.lateLogGroupReads,
  storedBytes = 0,
): void {
  const { state, aws } = env;
  const created = state.createLogGroup(group.accountId, group.region, group.logGroupName, { hiddenReads, storedBytes });
  const roll = aws.faults.draw(`foreign/${group.accountId}/${group.region}/${group.logGroupName}`, index);
  if (roll < SHARES.bothSlotsTaken) {
    for (const name of FOREIGN_FILTERS) addForeignFilter(created, group.accountId, group.region, name, state.tick());
  } else if (roll < SHARES.bothSlotsTaken + SHARES.oneForeignFilter) {
    addForeignFilter(created, group.accountId, group.region, FOREIGN_FILTERS[0], state.tick());
  }
}

/** Share of existing VPCs on which another team already has a flow log. */
const FOREIGN_FLOW_LOG_SHARE = 0.3;

/**
 * What an account already holds before Tributary arrives: log groups (long visible, some excluded,
 * some with foreign filters) and VPCs, some with a foreign flow log.
 */
export function populateExistingAccount(env: OfflineEnvironment, accountId: AccountId, size: { logGroupsPerRegion: number; vpcsPerRegion: number }): void {
  const { state, aws, config } = env;
  for (const region of config.governedRegions) {
    for (let i = 0; i < size.logGroupsPerRegion; i++) {
      const roll = aws.faults.draw(`existing/${accountId}/${region}`, i);
      const kind = roll < SHARES.sandboxExcluded ? 'sandbox' : roll < SHARES.sandboxExcluded + SHARES.pipelineOwn ? 'pipeline' : 'app';
      // Retained history from 1 MB to 1 GB, spread evenly on a log scale.
      const storedBytes = Math.round(1e6 * 1000 ** aws.faults.draw(`stored/${accountId}/${region}`, i));
      createScenarioLogGroup(env, { accountId, region, logGroupName: logGroupName(kind, i) }, i, 0, storedBytes);
    }
    for (let v = 0; v < size.vpcsPerRegion; v++) {
      const vpc = state.createVpc(accountId, region);
      if (aws.faults.draw(`vpc/${accountId}/${region}`, v) < FOREIGN_FLOW_LOG_SHARE) {
        const flowLogId = `fl-net${vpc.VpcId.slice(4)}`;
        state.accountRegion(accountId, region).flowLogs.set(flowLogId, {
          FlowLogId: flowLogId,
          ResourceId: vpc.VpcId,
          TrafficType: 'REJECT',
          LogDestinationType: 's3',
          LogDestination: 'arn:aws:s3:::network-team-flow-logs',
          LogFormat: '${version} ${srcaddr} ${dstaddr} ${action}',
          Tags: [{ Key: 'team', Value: 'network' }],
          CreationTime: state.tick(),
        });
      }
    }
  }
}
