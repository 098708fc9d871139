/**
 * `tributary simulate`: the story of an organization, offline. An existing organization (some
 * accounts half-wired, foreign filters and flow logs) is onboarded; then, through routing, a new
 * account is created, a region is enabled, an invited account joins, log groups and VPCs are
 * created, an account leaves, and the daily reconcile runs.
 * The report is read from the simulated state itself: coverage, calls, writes and integrity.
 */
import pLimit from 'p-limit';
import type { TributaryConfig } from '../tasks/lib/config';
import type { AccountId, Region } from '../tasks/lib/domain';
import { destinationArn, FORWARDING_RULE_NAME, logsDeliveryRoleArn, SUBSCRIPTION_FILTER_NAME } from '../tasks/lib/ownership';
import type { WorkflowName } from '../workflows/catalog';
import type { ExecutionRecord } from '../workflows/local/runner';
import {
  destinationAccess,
  changedSince,
  guardDutyCoverage,
  logGroupCoverage,
  snapshotForeignFilters,
  snapshotForeignFlowLogs,
  vpcCoverage,
  type CoverageRow,
  type LogGroupCoverage,
  type NoSlotGroup,
  type VpcCoverage,
} from './coverage';
import { createOfflineEnvironment, type OfflineEnvironment } from './environment';
import { deliver } from './event-delivery';
import {
  acceptHandshakeEvent,
  accountDepartedEvent,
  accountJoinedEvent,
  createAccountResultEvent,
  createLogGroupEvent,
  createVpcEvent,
  regionOptInEvent,
  removeAccountEvent,
} from './events';
import { deployMemberBaseline } from './member-baseline';
import type { FaultOptions } from './faults';
import { createScenarioLogGroup, memberAccountId, populateExistingAccount } from './scenario';
import { persistently, TAMPER_ACTIONS, tamperingFor } from './tampering';
import { TAMPER_EVENT_DETAIL_TYPE } from '../tasks/lib/tampering';

export interface StorySize {
  /** Member accounts that exist before Tributary. @default 12 */
  readonly accounts: number;
  /** Existing log groups per account and region. @default 36 */
  readonly logGroupsPerRegion: number;
  /** Existing VPCs per account and region. @default 3 */
  readonly vpcsPerRegion: number;
}

export const DEFAULT_STORY_SIZE: StorySize = { accounts: 12, logGroupsPerRegion: 36, vpcsPerRegion: 3 };

export interface SimulationOptions {
  /** @default 1 */
  readonly seed?: number;
  readonly size?: Partial<StorySize>;
  /** Fault rates and delays; the seed comes from `seed`. @default none */
  readonly faults?: Partial<Omit<FaultOptions, 'seed'>>;
  /** The organization's config: its accounts, regions, exclusions and modes. @default the committed example */
  readonly config?: TributaryConfig;
  /** Overrides the config's destination access. @default the config's */
  readonly destinationAccess?: TributaryConfig['destinationAccess'];
  /** Executions running at once. @default 32 */
  readonly concurrency?: number;
  /** Called as the story moves on, and after each execution ends. */
  readonly onProgress?: (progress: { phase: string; done: number; total: number; failed: number }) => void;
}

export interface StoryPhase {
  readonly phase: string;
  readonly events: number;
  readonly started: number;
  readonly unrouted: number;
  /** Events that never reached the hub bus: nothing deployed forwards them. */
  readonly lost: number;
  /** Virtual time from the step's events to its last execution's end. */
  readonly virtualSeconds: number;
}

export interface SimulationReport {
  readonly seed: number;
  readonly organizationId: string;
  readonly governedRegions: readonly string[];
  readonly size: StorySize;
  /** Virtual time of the whole story, every execution included: what it would take on AWS. */
  readonly virtualSeconds: number;
  readonly faults: Omit<FaultOptions, 'seed'>;
  readonly story: readonly StoryPhase[];
  /** The accounts the story brought in and sent away, by id. */
  readonly accounts: { readonly created: readonly string[]; readonly joined: readonly string[]; readonly left: readonly string[] };
  readonly coverage: {
    /** Only `subscribed` and `excluded` count as covered; `noSlot` groups are listed in `noFilterSlot`. */
    readonly logGroups: LogGroupCoverage;
    /** Groups whose two filter slots other teams' filters fill (the first 50), so they can act. */
    readonly noFilterSlot: readonly NoSlotGroup[];
    readonly vpcs: { readonly total: number; readonly withFlowLogs: number };
    readonly guardDuty: { readonly expected: number; readonly members: number };
    readonly destinationAccess: {
      readonly mode: string;
      readonly members: number;
      readonly regions: Record<string, number | 'organization'>;
      readonly exact: boolean;
    };
  };
  readonly rows: ReadonlyArray<CoverageRow & { readonly vpcs: number; readonly vpcsWithFlowLogs: number; readonly guardDuty: boolean }>;
  readonly events: { readonly fired: number; readonly routed: number; readonly unrouted: number; readonly lost: readonly string[] };
  readonly executions: {
    readonly started: number;
    readonly succeeded: number;
    readonly failed: number;
    readonly byWorkflow: Record<string, number>;
    readonly failures: ReadonlyArray<{ workflow: string; error?: string; cause?: string }>;
  };
  readonly stateTransitions: number;
  readonly apiCalls: Record<string, number>;
  readonly writes: number;
  readonly faultsInjected: Record<string, number>;
  /** Calls AWS's rate quotas refused, per operation (the simulator enforces them whatever the fault knobs). */
  readonly throttles: Record<string, number>;
  readonly integrity: {
    readonly foreignFiltersChanged: number;
    readonly duplicateFilters: number;
    readonly foreignFlowLogsChanged: number;
    readonly duplicateFlowLogs: number;
  };
  /** The member's tampering and the hub's answer: calls tried, refused by the SCP, repaired, tamper events on the hub bus, the slowest repair. */
  readonly tampering: {
    readonly calls: number;
    readonly prevented: number;
    readonly repaired: number;
    readonly events: number;
    readonly worstSecondsToRepair: number;
  };
}

interface Start {
  readonly workflow: WorkflowName;
  readonly input: unknown;
}

/**
 * What each event starts: delivered where AWS delivers it, forwarded to the hub only by a deployed
 * rule (the others are `lost`), then routed as the hub's rules route it.
 */
export async function routeEvents(
  env: OfflineEnvironment,
  events: readonly unknown[],
  options: { readonly recorded?: boolean } = {},
): Promise<{ starts: Start[]; unrouted: number; lost: string[] }> {
  const starts: Start[] = [];
  const lost: string[] = [];
  let unrouted = 0;
  for (const event of events) {
    const delivery = await deliver(env, event, options);
    const route = env.router.route(event);
    if (!delivery.delivered) {
      // Lost only if the hub would have started a workflow with it (a failed call filtered by a member rule is not).
      if (route.workflow !== null) lost.push(delivery.reason);
      else unrouted++;
      continue;
    }
    if (route.workflow === null) unrouted++;
    else starts.push({ workflow: route.workflow, input: route.input });
  }
  return { starts, unrouted, lost };
}

/** Runs executions offline with bounded concurrency. */
export function runExecutions(
  env: OfflineEnvironment,
  starts: readonly Start[],
  concurrency: number,
  onDone?: (record: ExecutionRecord) => void,
): Promise<ExecutionRecord[]> {
  const limit = pLimit(concurrency);
  return Promise.all(
    starts.map(({ workflow, input }) =>
      limit(async () => {
        const record = await env.runner.start(workflow, input);
        onDone?.(record);
        return record;
      }),
    ),
  );
}

/** Routes and runs `events` with bounded concurrency. */
export async function fireEvents(
  env: OfflineEnvironment,
  events: readonly unknown[],
  concurrency: number,
  onDone?: (record: ExecutionRecord) => void,
): Promise<{ records: ExecutionRecord[]; unrouted: number; lost: string[] }> {
  const { starts, unrouted, lost } = await routeEvents(env, events);
  return { records: await runExecutions(env, starts, concurrency, onDone), unrouted, lost };
}

/** One recorded call's delivery: the executions it started, or why it reached nothing. */
export interface CallDelivery {
  /** Virtual ms of the call. */
  readonly calledAt: number;
  readonly event: Readonly<Record<string, unknown>>;
  readonly records: readonly ExecutionRecord[];
  /** Why the hub never saw it, where a hub rule would have started a workflow with it. */
  readonly lost?: string;
}

/**
 * Delivers every call CloudTrail recorded (`env.aws.cloudTrail.start()`), each at its own time on
 * the virtual clock, along the rules deployed then, and runs what it starts; then the calls those
 * executions made, until none is left.
 */
export async function deliverRecordedCalls(env: OfflineEnvironment, concurrency = 32): Promise<CallDelivery[]> {
  const deliveries: CallDelivery[] = [];
  for (let calls = env.aws.cloudTrail.take(); calls.length > 0; calls = env.aws.cloudTrail.take()) {
    const limit = pLimit(concurrency);
    deliveries.push(
      ...(await Promise.all(
        calls.map(async ({ calledAt, deliverAt, event }) => {
          await env.clock.sleep(Math.max(0, deliverAt - env.clock.now()), `cloudtrail/${String(event.id)}`);
          const { starts, lost } = await routeEvents(env, [event], { recorded: true });
          const records = await Promise.all(starts.map(({ workflow, input }) => limit(() => env.runner.start(workflow, input))));
          return { calledAt, event, records, ...(lost.length > 0 ? { lost: lost[0] } : {}) };
        }),
      )),
    );
  }
  return deliveries;
}

/** The executions the delivered calls started (of one workflow, when named), each with when its call was made. */
export function executionsStarted(deliveries: readonly CallDelivery[], workflow?: WorkflowName): Array<ExecutionRecord & { readonly calledAt: number }> {
  return deliveries.flatMap((d) => d.records.filter((r) => !workflow || r.workflow === workflow).map((r) => ({ ...r, calledAt: d.calledAt })));
}

/** Before Tributary, a hand-run script subscribed part of some accounts' groups (some stale). */
function halfWire(env: OfflineEnvironment, accountId: AccountId): void {
  for (const region of env.config.governedRegions) {
    [...env.state.accountRegion(accountId, region).logGroups.values()].forEach((group, i) => {
      if (i % 2 === 1 || group.filters.size >= 2) return;
      group.filters.set(SUBSCRIPTION_FILTER_NAME, {
        filterName: SUBSCRIPTION_FILTER_NAME,
        logGroupName: group.logGroupName,
        filterPattern: '',
        // Every fourth one points at a destination retired long ago: stale, to be updated in place.
        destinationArn: i % 4 === 0 ? `arn:aws:logs:${region}:999999999999:destination:legacy` : destinationArn(env.config.accounts.logging, region),
        roleArn: logsDeliveryRoleArn(accountId, region),
        distribution: 'ByLogStream',
        creationTime: env.state.tick(),
      });
    });
  }
}

function members(env: OfflineEnvironment): Set<string> {
  const platform = new Set<string>([...Object.values(env.config.accounts), env.config.guardDuty.administratorAccount]);
  return new Set([...env.state.accounts.values()].filter((a) => a.status === 'ACTIVE' && !platform.has(a.id)).map((a) => a.id));
}

export async function runSimulation(options: SimulationOptions = {}): Promise<SimulationReport> {
  const seed = options.seed ?? 1;
  const size: StorySize = { ...DEFAULT_STORY_SIZE, ...options.size };
  const concurrency = options.concurrency ?? 32;
  const base = options.config ?? createOfflineEnvironment().config;
  const env = createOfflineEnvironment({
    config: { ...base, destinationAccess: options.destinationAccess ?? base.destinationAccess },
    faults: { ...options.faults, seed },
  });
  const startedAt = env.clock.now();
  const regions = env.config.governedRegions;
  const story: StoryPhase[] = [];
  const records: ExecutionRecord[] = [];
  const lostEvents: string[] = [];
  const management = { managementAccount: env.config.accounts.management };
  let fired = 0;
  let unroutedTotal = 0;
  let failed = 0;

  /** Runs one step of the story: executions started by routed events, or by hand. */
  const phase = async (name: string, events: readonly unknown[], manual: readonly Start[] = []) => {
    const phaseStart = env.clock.now();
    const routed = await routeEvents(env, events);
    const starts = [...manual, ...routed.starts];
    let done = 0;
    options.onProgress?.({ phase: name, done, total: starts.length, failed });
    const finished = await runExecutions(env, starts, concurrency, (record) => {
      done++;
      if (record.status !== 'SUCCEEDED') failed++;
      options.onProgress?.({ phase: name, done, total: starts.length, failed });
    });
    records.push(...finished);
    fired += events.length;
    unroutedTotal += routed.unrouted;
    lostEvents.push(...routed.lost);
    story.push({
      phase: name,
      events: events.length,
      started: finished.length,
      unrouted: routed.unrouted,
      lost: routed.lost.length,
      virtualSeconds: env.clock.secondsSince(phaseStart),
    });
  };

  // The organization as it is: accounts with log groups and VPCs, every third one half-wired.
  const existing = Array.from({ length: size.accounts }, (_, i) => memberAccountId(i));
  for (const [i, id] of existing.entries()) {
    env.state.addAccount({ id, name: `member-${String(i + 1).padStart(2, '0')}`, regions });
    deployMemberBaseline(env, id);
    populateExistingAccount(env, id, size);
    if (i % 3 === 0) halfWire(env, id);
  }
  const foreignFiltersBefore = snapshotForeignFilters(env.state);
  const foreignFlowLogsBefore = snapshotForeignFlowLogs(env.state);

  // 1. Installing Tributary onboards every existing account by hand (`tributary onboard`, or the reconcile).
  await phase(
    'existing accounts are onboarded',
    [],
    existing.map((accountId) => ({ workflow: 'onboard-account' as const, input: { accountId, trigger: 'manual' } })),
  );

  // 2. A new account is created (its baseline role arrives late) with all but one governed region enabled.
  const newcomer = memberAccountId(size.accounts);
  const laterRegion = regions[regions.length - 1] as Region;
  env.state.addAccount({
    id: newcomer,
    name: 'member-new',
    regions: regions.filter((r) => r !== laterRegion),
    roleMissingAttempts: env.aws.faults.options.lateRoleAttempts,
    joinedAt: env.clock.now(),
  });
  deployMemberBaseline(env, newcomer);
  populateExistingAccount(env, newcomer, { logGroupsPerRegion: Math.ceil(size.logGroupsPerRegion / 3), vpcsPerRegion: 1 });
  await phase('a new account is created', [
    createAccountResultEvent(newcomer, 'SUCCEEDED', management),
    createAccountResultEvent(memberAccountId(size.accounts + 1), 'FAILED', management),
  ]);

  // 3. It enables the remaining governed region.
  env.state.account(newcomer)!.enabledRegions.add(laterRegion);
  await phase('a region is enabled', [regionOptInEvent(newcomer, laterRegion, 'ENABLING'), regionOptInEvent(newcomer, laterRegion)]);

  // 4. An invited account accepts the handshake: its own CloudTrail records the call, the
  // management account gets AccountJoinedOrganization.
  const joiner = memberAccountId(size.accounts + 2);
  env.state.addAccount({ id: joiner, name: 'member-invited', regions, joinedAt: env.clock.now() });
  deployMemberBaseline(env, joiner);
  populateExistingAccount(env, joiner, { logGroupsPerRegion: Math.ceil(size.logGroupsPerRegion / 3), vpcsPerRegion: 1 });
  await phase('an invited account joins', [acceptHandshakeEvent(joiner), accountJoinedEvent(management)]);

  // 5. Teams create log groups and VPCs; their regions forward the calls to the hub.
  const created: unknown[] = [];
  for (const accountId of [...existing, newcomer, joiner]) {
    for (const region of regions) {
      if (!env.state.accountRegion(accountId, region).eventRules.has(FORWARDING_RULE_NAME)) continue;
      for (let i = 0; i < 2; i++) {
        const logGroupName = `/aws/lambda/new-service-${i}`;
        createScenarioLogGroup(env, { accountId, region, logGroupName }, i);
        created.push(createLogGroupEvent(accountId, region, logGroupName));
      }
      created.push(createVpcEvent(accountId, region, env.state.createVpc(accountId, region, { hiddenReads: env.aws.faults.options.lateLogGroupReads }).VpcId));
      created.push(createLogGroupEvent(accountId, region, '/aws/lambda/already-there', { errorCode: 'ResourceAlreadyExistsException' }));
    }
  }
  await phase('log groups and VPCs are created', created);

  // 6. The management account removes an account: its call, then Organizations' departure event.
  const leaver = existing[existing.length - 1]!;
  env.state.account(leaver)!.status = 'SUSPENDED';
  await phase('an account leaves', [removeAccountEvent(leaver, management), accountDepartedEvent(leaver, management)]);

  // 7. A member's people undo part of its wiring: CloudTrail forwards their calls, and the hub
  // repairs each within minutes and tells the SOC who did it.
  const tamperStart = env.clock.now();
  const tamperer = existing[0]!;
  env.aws.cloudTrail.start();
  const tamperCalls = tamperingFor(env.config);
  let prevented = 0;
  for (const name of tamperCalls) {
    await persistently(() => TAMPER_ACTIONS[name]!.act(env, tamperer, regions[0]!)).catch((error: unknown) => {
      // The tamper-prevention SCP, where the config deploys it, refuses the call outright.
      if (!/AccessDenied|UnauthorizedOperation/.test((error as Error).name)) throw error;
      prevented++;
    });
  }
  const deliveries = await deliverRecordedCalls(env, concurrency);
  const repairs = executionsStarted(deliveries);
  for (const record of repairs) if (record.status !== 'SUCCEEDED') failed++;
  records.push(...repairs);
  lostEvents.push(...deliveries.flatMap((d) => (d.lost ? [d.lost] : [])));
  fired += tamperCalls.length;
  story.push({
    phase: 'a member undoes its wiring',
    events: tamperCalls.length,
    started: repairs.length,
    unrouted: 0,
    lost: deliveries.filter((d) => d.lost).length,
    virtualSeconds: env.clock.secondsSince(tamperStart),
  });
  const tampering = {
    calls: tamperCalls.length,
    prevented,
    repaired: repairs.filter((record) => (record.output as { outcome?: string } | undefined)?.outcome === 'repaired').length,
    events: env.state.busEvents.filter((e) => e.detailType === TAMPER_EVENT_DETAIL_TYPE).length,
    worstSecondsToRepair: Math.max(0, ...repairs.map((record) => (record.stoppedAt - record.calledAt) / 1000)),
  };

  // 8. The daily reconcile repairs whatever the events did not reach.
  await phase('the daily reconcile runs', [], [{ workflow: 'reconcile', input: {} }]);

  const active = members(env);
  const reconciled = [...env.state.accounts.values()]
    .filter((a) => a.status === 'ACTIVE' && a.id !== env.config.accounts.management)
    .map((a) => a.id)
    .sort();
  const coverage = logGroupCoverage(env.state, env.config, active);
  const vpcs: VpcCoverage = vpcCoverage(env.state, env.config, active);
  const access = destinationAccess(env.state, env.config);
  const byWorkflow: Record<string, number> = {};
  for (const r of records) byWorkflow[r.workflow] = (byWorkflow[r.workflow] ?? 0) + 1;
  const { seed: _seed, ...faults } = env.aws.faults.options;
  return {
    seed,
    organizationId: env.config.organizationId,
    governedRegions: env.config.governedRegions,
    size,
    virtualSeconds: env.clock.secondsSince(startedAt),
    faults,
    story,
    accounts: { created: [newcomer], joined: [joiner], left: [leaver] },
    coverage: {
      logGroups: coverage.totals,
      noFilterSlot: coverage.noSlotGroups.slice(0, 50),
      vpcs: { total: vpcs.total, withFlowLogs: vpcs.withFlowLogs },
      guardDuty: guardDutyCoverage(env.state, env.config, active),
      destinationAccess: {
        mode: env.config.destinationAccess,
        members: active.size,
        regions: Object.fromEntries(Object.entries(access).map(([region, granted]) => [region, granted === 'organization' ? 'organization' : granted.length])),
        // The daily reconcile onboards every ACTIVE account but the management account, platform accounts included.
        exact: Object.values(access).every((granted) => granted === 'organization' || granted.join() === reconciled.join()),
      },
    },
    rows: coverage.rows.map((row) => {
      const rowVpcs = vpcCoverage(env.state, env.config, new Set([row.account]), [row.region as Region]);
      const adminMembers = env.state.account(env.config.guardDuty.administratorAccount)?.regions.get(row.region as Region)?.guardDuty.members;
      return {
        ...row,
        vpcs: rowVpcs.total,
        vpcsWithFlowLogs: rowVpcs.withFlowLogs,
        guardDuty: adminMembers?.get(row.account)?.RelationshipStatus === 'Enabled',
      };
    }),
    events: { fired, routed: fired - unroutedTotal - lostEvents.length, unrouted: unroutedTotal, lost: lostEvents },
    executions: {
      started: records.length,
      succeeded: records.filter((r) => r.status === 'SUCCEEDED').length,
      failed: records.filter((r) => r.status !== 'SUCCEEDED').length,
      byWorkflow,
      failures: records.filter((r) => r.status !== 'SUCCEEDED').map((r) => ({ workflow: r.workflow, error: r.error, cause: r.cause })),
    },
    stateTransitions: records.reduce((sum, r) => sum + r.stateTransitions, 0),
    apiCalls: env.aws.ledger.apiCalls(),
    writes: env.aws.ledger.writes,
    faultsInjected: env.aws.ledger.faultsInjected(),
    throttles: env.aws.rateLimits.throttles(),
    tampering,
    integrity: {
      foreignFiltersChanged: changedSince(foreignFiltersBefore, snapshotForeignFilters(env.state)),
      duplicateFilters: coverage.duplicateFilters,
      foreignFlowLogsChanged: changedSince(foreignFlowLogsBefore, snapshotForeignFlowLogs(env.state)),
      duplicateFlowLogs: vpcs.duplicateFlowLogs,
    },
  };
}
