/**
 * The offline default: the simulated organization, the real tasks bound to it, the local runner
 * and the event router, wired as in AWS. Tests, `npm start` and benchmarks all start here.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { EXAMPLE_CONFIG_PATH, loadConfig, type TributaryConfig } from '../tasks/lib/config';
import type { TaskContext } from '../tasks/lib/context';
import type { MetricDatum } from '../tasks/lib/metrics';
import type { AccountId } from '../tasks/lib/domain';
import { destinationArn, DESTINATION_NAME, hubBusArn, memberRoleNameFor, ORGANIZATION_TRAIL_NAME } from '../tasks/lib/ownership';
import { hubBusPolicy, ORGANIZATION_EVENTS_REGION } from '../workflows/forwarding';
import { organizationDestinationPolicy } from '../tasks/lib/destination-policy';
import { invocationLimiter, RateLimiter } from '../tasks/lib/rate-limiter';
import { TASKS } from '../tasks/registry';
import { LocalRunner, type TaskHandler } from '../workflows/local/runner';
import { EventRouter } from '../workflows/routing';
import { NO_FAULTS, type FaultOptions } from './faults';
import type { RateQuota } from './quotas';
import { SimulatedAws } from './simulated-aws';
import { SimOrganizationState } from './state';
import { VirtualClock } from '../workflows/local/virtual-clock';
import { CATALOG } from '../workflows/catalog';
import { baselineRoles, trustPolicyDocument } from '../infra/member-role-policy';
import { taskRoleStatements } from '../infra/task-permissions';
import { LOCK_TABLE_NAME } from '../tasks/lib/lease-lock';
import type { TaskName } from '../tasks/registry';
import { memberForwarding, tributaryCallers } from '../workflows/forwarding';
import { FULL_AWS_ACCESS, IamAuthorizer } from './iam-authorizer';
import { LambdaEnvironments } from './lambda-environments';
import { tamperPreventionPolicy } from '../infra/tamper-prevention-policy';
import { organizationsDelegationPolicy } from '../infra/organization-prerequisites';
import { backfillWriterBucketStatements } from '../infra/backfill-writer-policy';
import { archiveBucketName } from '../tasks/lib/resource-names';

export interface OfflineEnvironmentOptions {
  /** @default the committed example config */
  readonly config?: TributaryConfig;
  /** @default no faults, seed 1 */
  readonly faults?: Partial<FaultOptions>;
  /** Request-rate quotas, by `Service.Operation`. @default AWS's documented ones (`sim/quotas.ts`) */
  readonly quotas?: Readonly<Record<string, RateQuota>>;
}

export interface OfflineEnvironment {
  readonly config: TributaryConfig;
  readonly state: SimOrganizationState;
  readonly aws: SimulatedAws;
  /** The operator's context: in member accounts its clients act as an administrator (`tributary plan`, a test's own set-up). */
  readonly context: TaskContext;
  /** The context `task` runs with: in member accounts its clients assume that task's own member role. */
  contextFor(task: TaskName): TaskContext;
  readonly runner: LocalRunner;
  /** The one clock of this offline world. */
  readonly clock: VirtualClock;
  readonly router: EventRouter;
  /** Every metric a task published (as CloudWatch would extract it from the task's log line), in order. */
  readonly metrics: MetricDatum[];
  /** Calls a task's client-side rate limiter held back, and the virtual ms they waited: Lambda time spent waiting for rate tokens. */
  readonly limiterWaits: { calls: number; ms: number };
}

/**
 * What the data-path stacks create in the logging account: one destination per governed region,
 * with the policy the stack deploys (organization mode: infra/constructs/central-log-destination.ts)
 * or none (account-list mode: the onboarding tasks write it).
 */
function deployDataPath(state: SimOrganizationState, config: TributaryConfig): void {
  // The archive bucket (infra/constructs/archive-bucket.ts): offline only its statements for the
  // backfill writer are held; the others concern principals that make no call here.
  const archive = archiveBucketName(config.accounts.logging, config.homeRegion);
  state.buckets.set(archive, {
    account: config.accounts.logging,
    region: config.homeRegion,
    policy: { Version: '2012-10-17', Statement: config.backfill ? backfillWriterBucketStatements('aws', archive, config.accounts.orchestration) : [] },
    objects: new Map(),
  });
  for (const region of config.governedRegions) {
    const logging = config.accounts.logging;
    const arn = destinationArn(logging, region);
    state.accountRegion(logging, region).destinations.set(DESTINATION_NAME, {
      destinationName: DESTINATION_NAME,
      targetArn: `arn:aws:kinesis:${region}:${logging}:stream/tributary-central-logging`,
      roleArn: `arn:aws:iam::${logging}:role/tributary-destination-${region}`,
      arn,
      ...(config.destinationAccess === 'organization' ? { accessPolicy: JSON.stringify(organizationDestinationPolicy(arn, config.organizationId)) } : {}),
      creationTime: state.tick(),
    });
  }
}

/**
 * The organization trail: Tributary's (`create`, from the organization events stack in the
 * management account's us-east-1), or the one the organization already has (`existing`, here an
 * organization trail in the home region), or none (`off`).
 */
function deployTrail(state: SimOrganizationState, config: TributaryConfig): void {
  if (config.cloudTrail === 'off') return;
  const [name, homeRegion] = config.cloudTrail === 'create' ? [ORGANIZATION_TRAIL_NAME, ORGANIZATION_EVENTS_REGION] : ['organization-trail', config.homeRegion];
  const arn = `arn:aws:cloudtrail:${homeRegion}:${config.accounts.management}:trail/${name}`;
  state.trails.set(arn, {
    name,
    arn,
    account: config.accounts.management,
    homeRegion,
    isOrganizationTrail: true,
    isMultiRegionTrail: true,
    logging: true,
    managementEvents: 'All',
  });
}

export function createOfflineEnvironment(options: OfflineEnvironmentOptions = {}): OfflineEnvironment {
  const config = options.config ?? loadConfig(EXAMPLE_CONFIG_PATH);
  const state = new SimOrganizationState(config.organizationId, config.accounts.management);
  for (const [name, id] of Object.entries(config.accounts)) {
    if (!state.account(id)) state.addAccount({ id: id as AccountId, name, regions: config.governedRegions });
  }
  if (!state.account(config.guardDuty.administratorAccount)) {
    state.addAccount({ id: config.guardDuty.administratorAccount, name: 'security', regions: config.governedRegions });
  }
  deployDataPath(state, config);
  state.hubBus = { account: config.accounts.orchestration, region: config.homeRegion };
  deployTrail(state, config);
  // The delegations the README's deploy steps make (infra/organization-prerequisites.ts).
  state.organizationsDelegationPolicy = organizationsDelegationPolicy(config);
  state.delegatedAdministrators.set('account.amazonaws.com', new Set([config.accounts.orchestration]));
  // Registered from the management account in every governed region (README, deploy steps).
  if (config.guardDuty.mode === 'organization')
    for (const region of config.governedRegions) state.guardDutyDelegatedAdmins.set(region, config.guardDuty.administratorAccount);
  const clock = new VirtualClock();
  const roles = baselineRoles(config, { partition: 'aws', account: '<account>' });
  const trusts = new Map(roles.map((role) => [role.roleName, trustPolicyDocument(role.trust)] as const));
  const aws = new SimulatedAws(
    state,
    roles.map((role) => role.roleName),
    { ...NO_FAULTS, ...options.faults },
    clock,
    options.quotas,
  );
  // The SCPs the config deploys, built once: every call in a member account asks for them.
  const scps = config.tamperRepair.serviceControlPolicy === 'deploy' ? [FULL_AWS_ACCESS, tamperPreventionPolicy(config)] : undefined;
  // Member-role calls are decided by each task's own member role's policy, as AWS decides them.
  aws.authorizer = new IamAuthorizer({
    policyFor: (account, roleName) => ({
      Version: '2012-10-17',
      Statement: (baselineRoles(config, { partition: 'aws', account }).find((role) => role.roleName === roleName)?.grants ?? []).map(
        (grant) => grant.statement,
      ),
    }),
    taskPolicyFor: (task) => ({
      Version: '2012-10-17',
      Statement: taskRoleStatements(task as TaskName, config, {
        partition: 'aws',
        lockTableArn: `arn:aws:dynamodb:${config.homeRegion}:${config.accounts.orchestration}:table/${LOCK_TABLE_NAME}`,
      }),
    }),
    hubAccount: config.accounts.orchestration,
    organizationId: config.organizationId,
    specialAccounts: [config.accounts.logging, config.guardDuty.administratorAccount],
    memberRoleTrust: (roleName) => trusts.get(roleName),
    hubBus: {
      arn: hubBusArn(config.accounts.orchestration, config.homeRegion),
      account: config.accounts.orchestration,
      policy: hubBusPolicy(hubBusArn(config.accounts.orchestration, config.homeRegion), config.organizationId),
    },
    hold: (io) => clock.hold(io),
    // Organizations never applies SCPs to the management account.
    ...(scps ? { serviceControlPolicies: (account: string) => (account === config.accounts.management ? undefined : scps) } : {}),
  });
  const logger = new Logger({ serviceName: 'tributary', logLevel: 'SILENT' });
  const metrics: MetricDatum[] = [];
  const sink = (datum: MetricDatum) => metrics.push(datum);
  const forwarding = memberForwarding(tributaryCallers(config));
  const context: TaskContext = {
    config,
    clients: aws.clientFactory(config.accounts.orchestration, config.homeRegion),
    logger,
    clock,
    metrics: sink,
    forwarding,
  };
  // Each task function has its own client factory (its own Lambda), assuming its own member role.
  const newContext = (task: TaskName, lambdaEnvironment = false): TaskContext => ({
    config,
    clients: aws.clientFactory(config.accounts.orchestration, config.homeRegion, memberRoleNameFor(config.memberRoleName, task), { lambdaEnvironment }),
    logger,
    clock,
    metrics: sink,
    forwarding,
  });
  const contexts = new Map<TaskName, TaskContext>();
  const contextFor = (task: TaskName): TaskContext => {
    if (!contexts.has(task)) contexts.set(task, newContext(task));
    return contexts.get(task)!;
  };
  const environments = new LambdaEnvironments(clock, (task) => newContext(task as TaskName, true));
  // Each invocation is its own Lambda execution environment as far as client-side pacing goes.
  const limiterWaits = { calls: 0, ms: 0 };
  const waited = (ms: number): void => {
    limiterWaits.calls++;
    limiterWaits.ms += ms;
  };
  const tasks: Record<string, TaskHandler> = Object.fromEntries(
    Object.entries(TASKS).map(([name, task]) => [
      name,
      (input: unknown) =>
        environments.invoke(name, input, (environment) => invocationLimiter.run(new RateLimiter(clock, undefined, waited), () => task(input, environment))),
    ]),
  );
  const runner = new LocalRunner({ tasks, clock, seed: aws.faults.options.seed });
  return {
    config,
    state,
    aws,
    context,
    contextFor,
    runner,
    clock,
    router: new EventRouter(CATALOG, { managementAccount: config.accounts.management, ...tributaryCallers(config) }),
    metrics,
    limiterWaits,
  };
}
