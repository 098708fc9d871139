/**
 * The simulated organization's state. Plain data, mutated only by the service handlers in
 * `sim/services/` (as AWS would) and by the scenario builder (as people would).
 */
import { isLogGroupName, type AccountId, type OrganizationId, type Region } from '../tasks/lib/domain';
import { SUBSCRIPTION_FILTER_NAME } from '../tasks/lib/ownership';
import { SimLogGroups, type SimLogEvent, type SimLogGroup } from './log-groups';

export { asciiOrder, SimLogGroups, SimSubscriptionFilters, type SimLogEvent, type SimLogGroup, type SimSubscriptionFilter } from './log-groups';

export type AccountStatus = 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';

/** A simulated S3 bucket: who owns it, its policy, its objects. */
export interface SimBucket {
  readonly account: string;
  readonly region: string;
  readonly policy: { readonly Version: string; readonly Statement: readonly unknown[] };
  readonly objects: Map<string, { readonly bytes: Buffer; readonly lastModified: number }>;
}

/** An event a subscription filter delivered, with where it came from. */
export interface DeliveredLogEvent extends SimLogEvent {
  readonly owner: string;
  readonly region: string;
  readonly logGroupName: string;
  readonly filterName: string;
}

export interface SimAccountPolicy {
  readonly policyName: string;
  readonly policyType: string;
  readonly policyDocument: string;
  readonly selectionCriteria?: string;
  readonly scope: string;
  readonly lastUpdatedTime: number;
}

export interface SimDestination {
  readonly destinationName: string;
  readonly targetArn: string;
  readonly roleArn: string;
  readonly arn: string;
  accessPolicy?: string;
  readonly creationTime: number;
}

export interface SimRuleTarget {
  readonly Id: string;
  readonly Arn: string;
  readonly RoleArn?: string;
}

export interface SimEventRule {
  readonly name: string;
  readonly eventPattern: string;
  state: string;
  readonly description?: string;
  readonly targets: Map<string, SimRuleTarget>;
}

export interface SimVpc {
  readonly VpcId: string;
  readonly CidrBlock: string;
  readonly State: 'available';
  readonly IsDefault: boolean;
}

export interface SimFlowLog {
  readonly FlowLogId: string;
  readonly ResourceId: string;
  readonly TrafficType: string;
  readonly LogDestinationType: string;
  readonly LogGroupName?: string;
  readonly LogDestination?: string;
  readonly DeliverLogsPermissionArn?: string;
  readonly LogFormat: string;
  readonly Tags: ReadonlyArray<{ Key: string; Value: string }>;
  readonly CreationTime: number;
}

export interface SimGuardDutyMember {
  readonly AccountId: string;
  readonly Email: string;
  RelationshipStatus: 'Created' | 'Invited' | 'Enabled' | 'Removed' | 'Resigned' | 'EmailVerificationFailed';
  InvitedAt?: string;
  InvitationId?: string;
}

/** GuardDuty in one account-region: its detector, and as an administrator its members. */
export interface SimGuardDuty {
  detectorId?: string;
  /** The detector exists but monitors nothing (UpdateDetector Enable false). */
  suspended?: boolean;
  readonly members: Map<string, SimGuardDutyMember>;
  /** Invitations this account received: administrator account -> invitation id. */
  readonly invitations: Map<string, string>;
  administrator?: { readonly AccountId: string; RelationshipStatus: string };
  autoEnableOrganizationMembers: 'NEW' | 'ALL' | 'NONE';
}

/** Everything Tributary touches in one account and region. */
export interface SimAccountRegion {
  readonly logGroups: SimLogGroups;
  readonly accountPolicies: Map<string, SimAccountPolicy>;
  readonly destinations: Map<string, SimDestination>;
  readonly eventRules: Map<string, SimEventRule>;
  readonly vpcs: Map<string, SimVpc & { hiddenReads: number }>;
  readonly flowLogs: Map<string, SimFlowLog>;
  readonly guardDuty: SimGuardDuty;
  /** DynamoDB tables by name: items by partition key value. */
  readonly tables: Map<string, Map<string, Record<string, unknown>>>;
}

export interface SimAccount {
  readonly id: AccountId;
  readonly name: string;
  readonly email: string;
  status: AccountStatus;
  readonly enabledRegions: Set<Region>;
  /** GuardDuty invitations to this account fail email verification. */
  guardDutyEmailFails?: boolean;
  /** AssumeRole attempts still refused before the baseline role exists. */
  roleMissingAttempts: number;
  /** Outside memberBaselineTargets: the StackSet never deploys Tributary's roles here. @default false */
  outsideBaseline?: boolean;
  /** When it joined the organization (ms; Organizations' JoinedTimestamp). */
  readonly joinedAt: number;
  readonly regions: Map<Region, SimAccountRegion>;
}

/** A CloudTrail trail: whether EventBridge gets CloudTrail events from an account-region depends on it. */
export interface SimTrail {
  readonly name: string;
  readonly arn: string;
  /** The owner (the management account for an organization trail). */
  readonly account: string;
  readonly homeRegion: string;
  readonly isOrganizationTrail: boolean;
  readonly isMultiRegionTrail: boolean;
  logging: boolean;
  /** Which management events its selectors keep. */
  managementEvents: 'All' | 'WriteOnly' | 'ReadOnly' | 'None';
  /** The advanced selectors put, when its selectors are advanced ones rather than basic. @default none */
  advancedSelectors?: ReadonlyArray<{
    readonly Name?: string;
    readonly FieldSelectors?: ReadonlyArray<{ readonly Field?: string; readonly Equals?: readonly string[] }>;
  }>;
}

/** A custom event put on a bus (the hub's `Tributary Tamper Detected`, for the SOC). */
export interface SimBusEvent {
  readonly account: string;
  readonly region: string;
  readonly bus: string;
  readonly source: string;
  readonly detailType: string;
  readonly detail: Record<string, unknown>;
  readonly time: number;
}

export class SimOrganizationState {
  public readonly accounts = new Map<AccountId, SimAccount>();
  /** Where the hub bus is (the orchestration stack creates it). */
  public hubBus?: { readonly account: string; readonly region: string };
  /** CloudTrail trails, by ARN. */
  public readonly trails = new Map<string, SimTrail>();
  /** Every custom event put on a bus, in order. */
  public readonly busEvents: SimBusEvent[] = [];
  /**
   * The GuardDuty delegated administrator, per region: a delegation is regional and is made in
   * each region (https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_organizations.html).
   */
  public readonly guardDutyDelegatedAdmins = new Map<string, AccountId>();
  /**
   * The organization's resource-based delegation policy: what other accounts may read of
   * Organizations; without it only the management account reads accounts
   * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_delegate_policies.html).
   */
  public organizationsDelegationPolicy?: { readonly Version: string; readonly Statement: readonly unknown[] };
  /**
   * Delegated administrators, by service principal. `account.amazonaws.com`: who may call Account
   * Management with a member's `AccountId` besides the management account
   * (https://docs.aws.amazon.com/accounts/latest/reference/using-orgs-trusted-access.html).
   */
  public readonly delegatedAdministrators = new Map<string, Set<string>>();
  /** Logical clock (ms) for creation times; deterministic, unlike Date.now(). */
  private clock = Date.UTC(2026, 0, 1);

  public constructor(
    public readonly organizationId: OrganizationId,
    public readonly managementAccountId: AccountId,
  ) {}

  private sequence = 0;
  /** Strings held once (`intern`). */
  private readonly interned = new Map<string, string>();

  /** A fresh resource id (flow log, detector, invitation), unique in this organization and the same for the same run. */
  public nextId(prefix: string, width: number): string {
    return `${prefix}${(++this.sequence).toString(16).padStart(width, '0')}`;
  }

  /**
   * S3 buckets the stacks create (the archive, in the logging account's home region): their owner,
   * policy, and objects by key (latest version only: the backfill creates, never overwrites).
   */
  public readonly buckets = new Map<string, SimBucket>();

  /** What subscription filters delivered, in order: each event once per filter whose creation preceded its ingestion. */
  public readonly delivered: DeliveredLogEvent[] = [];

  /**
   * An application writes events (not a call Tributary makes). Each is ingested at its own tick;
   * every subscription filter that existed before that moment delivers it: a filter covers events
   * ingested after it is created, whatever their own timestamps
   * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Subscriptions.html: "after the
   * subscription filter is created"). An event more than 2 hours ahead of its ingestion or more
   * than 14 days behind it is rejected, as PutLogEvents rejects it
   * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html).
   * Answers the stored events.
   */
  public putLogEvents(
    accountId: string,
    region: string,
    logGroupName: string,
    logStreamName: string,
    events: ReadonlyArray<{ timestamp: number; message: string }>,
  ): SimLogEvent[] {
    const group = this.accountRegion(accountId, region).logGroups.get(logGroupName);
    if (!group) throw new Error(`putLogEvents: no log group ${logGroupName} in ${accountId} ${region}`);
    return events.flatMap(({ timestamp, message }) => {
      const ingestionTime = this.tick();
      if (timestamp > ingestionTime + 2 * 3_600_000 || timestamp < ingestionTime - 14 * 86_400_000) return [];
      // 56 decimal digits, as CloudWatch Logs' event ids.
      const eventId = `${ingestionTime}${String(++this.sequence).padStart(43, '0')}`;
      const stored: SimLogEvent = { eventId, logStreamName, timestamp, ingestionTime, message };
      (group.events ??= []).push(stored);
      for (const filter of group.filters.values())
        if (filter.creationTime < ingestionTime) this.delivered.push({ ...stored, owner: accountId, region, logGroupName, filterName: filter.filterName });
      return [stored];
    });
  }

  /**
   * Tributary's subscription filter on a group, as PutSubscriptionFilter leaves it, without the
   * call (for tests of what happens around its creation). Answers its creation time.
   */
  public subscribeDirectly(accountId: string, region: string, logGroupName: string, destinationArn: string): number {
    const creationTime = this.tick();
    const filterName = SUBSCRIPTION_FILTER_NAME;
    this.accountRegion(accountId, region).logGroups.get(logGroupName)!.filters.set(filterName, {
      filterName,
      logGroupName,
      filterPattern: '',
      destinationArn,
      distribution: 'ByLogStream',
      creationTime,
    });
    return creationTime;
  }

  /**
   * One copy of a string many resources share (a destination ARN, a role ARN, a filter name): an
   * organization of millions of subscription filters holds each value once.
   */
  public intern(value: string): string {
    const held = this.interned.get(value);
    if (held !== undefined) return held;
    this.interned.set(value, value);
    return value;
  }

  public tick(): number {
    this.clock += 1000;
    return this.clock;
  }

  public addAccount(account: {
    id: AccountId;
    name: string;
    regions: readonly Region[];
    roleMissingAttempts?: number;
    status?: AccountStatus;
    joinedAt?: number;
  }): SimAccount {
    const created: SimAccount = {
      id: account.id,
      name: account.name,
      email: `${account.name}@example.com`,
      status: account.status ?? 'ACTIVE',
      enabledRegions: new Set(account.regions),
      roleMissingAttempts: account.roleMissingAttempts ?? 0,
      // Accounts that exist when a simulation starts joined long before it.
      joinedAt: account.joinedAt ?? Date.UTC(2024, 0, 1),
      regions: new Map(),
    };
    this.accounts.set(account.id, created);
    return created;
  }

  public account(id: string): SimAccount | undefined {
    return this.accounts.get(id as AccountId);
  }

  /** The per-region state, created on first use (every region has empty state until touched). */
  public accountRegion(accountId: string, region: string): SimAccountRegion {
    const account = this.accounts.get(accountId as AccountId);
    if (!account) throw new Error(`simulator: no account ${accountId}`);
    let state = account.regions.get(region as Region);
    if (!state) {
      state = {
        logGroups: new SimLogGroups(),
        accountPolicies: new Map(),
        destinations: new Map(),
        eventRules: new Map(),
        tables: new Map(),
        vpcs: new Map(),
        flowLogs: new Map(),
        guardDuty: { members: new Map(), invitations: new Map(), autoEnableOrganizationMembers: 'NONE' },
      };
      account.regions.set(region as Region, state);
    }
    return state;
  }

  /** A person creates a VPC (not counted, as createLogGroup). */
  public createVpc(accountId: string, region: string, options: { hiddenReads?: number } = {}): SimVpc {
    const state = this.accountRegion(accountId, region);
    const vpc = {
      VpcId: `vpc-${(this.tick() / 1000).toString(16).padStart(17, '0').slice(-17)}`,
      CidrBlock: `10.${state.vpcs.size % 256}.0.0/16`,
      State: 'available' as const,
      IsDefault: false,
      hiddenReads: options.hiddenReads ?? 0,
    };
    state.vpcs.set(vpc.VpcId, vpc);
    return vpc;
  }

  /** What a person or another service does: not an API call Tributary makes, so not counted. */
  public createLogGroup(accountId: string, region: string, logGroupName: string, options: { hiddenReads?: number; storedBytes?: number } = {}): SimLogGroup {
    // The name's pattern is CreateLogGroup's, in the console too (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html).
    if (!isLogGroupName(logGroupName)) throw new Error(`simulator: ${JSON.stringify(logGroupName)} is not a log group name CloudWatch Logs accepts`);
    return this.accountRegion(accountId, region).logGroups.create(logGroupName, this.tick(), options.hiddenReads ?? 0, options.storedBytes ?? 0);
  }
}
