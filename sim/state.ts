/**
 * The simulated organization's state. Plain data, mutated only by the service handlers in
 * `sim/services/` (as AWS would) and by the scenario builder (as people would).
 */
import { isLogGroupName, type AccountId, type OrganizationId, type Region } from '../tasks/lib/domain';
import { SUBSCRIPTION_FILTER_NAME } from '../tasks/lib/ownership';

export type AccountStatus = 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';

export interface SimSubscriptionFilter {
  readonly filterName: string;
  readonly logGroupName: string;
  readonly filterPattern: string;
  readonly destinationArn: string;
  readonly roleArn?: string;
  readonly distribution: string;
  readonly creationTime: number;
}

/** A log event as CloudWatch Logs stores it: `ingestionTime` is when PutLogEvents took it. */
export interface SimLogEvent {
  readonly eventId: string;
  readonly logStreamName: string;
  readonly timestamp: number;
  readonly ingestionTime: number;
  readonly message: string;
}

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

/**
 * Where a log group keeps its subscription filters: two slots, then a Map for any more (set
 * directly, as a test may). A slot holds the filter (compacted where it can be) when its key is its
 * own name, else the pair. The slots are the group's own fields: an organization has millions of
 * groups, and a separate object for them took 64 of a subscribed group's 267 bytes.
 */
export interface FilterSlots {
  firstFilter?: FilterSlot;
  secondFilter?: FilterSlot;
  moreFilters?: Map<string, SimSubscriptionFilter>;
}

type FilterSlot = SimSubscriptionFilter | StoredFilter | NamedFilter;

/** What a filter is apart from its group and creation time: the same in every group one subscription covers. */
interface FilterSpec {
  readonly filterName: string;
  readonly filterPattern: string;
  readonly destinationArn: string;
  readonly roleArn?: string;
  readonly distribution: string;
}

/**
 * A filter as a group keeps it: its spec, held once however many groups have it, its group and
 * its creation time: 50 bytes of heap where the plain object took 74 (100,000 filters, heap
 * after collection), and each of the target size's 5 million groups has one.
 */
class StoredFilter {
  public constructor(
    public readonly spec: FilterSpec,
    public readonly logGroupName: string,
    public readonly creationTime: number,
  ) {}

  /** The filter as it was set: the same fields in the same order. */
  public plain(): SimSubscriptionFilter {
    const { filterName, filterPattern, destinationArn, roleArn, distribution } = this.spec;
    const { logGroupName, creationTime } = this;
    return roleArn === undefined
      ? { filterName, logGroupName, filterPattern, destinationArn, distribution, creationTime }
      : { filterName, logGroupName, filterPattern, destinationArn, roleArn, distribution, creationTime };
  }
}

/** The key order of a filter `StoredFilter.plain` gives back, with and without a role. */
const PLAIN_KEYS = ['filterName', 'logGroupName', 'filterPattern', 'destinationArn', 'distribution', 'creationTime'].join();
const PLAIN_KEYS_WITH_ROLE = ['filterName', 'logGroupName', 'filterPattern', 'destinationArn', 'roleArn', 'distribution', 'creationTime'].join();

/** Specs held once, by their fields; dropped all together past a bound (a spec held twice is only memory). */
const specs = new Map<string, FilterSpec>();
const SPECS_KEPT = 4096;

/** The filter compacted, when `plain()` gives it back exactly (same fields, same order, strings and a number); else itself. */
function compacted(filter: SimSubscriptionFilter): SimSubscriptionFilter | StoredFilter {
  const keys = Object.keys(filter).join();
  const { filterName, logGroupName, filterPattern, destinationArn, roleArn, distribution, creationTime } = filter;
  const typed =
    typeof filterName === 'string' &&
    typeof logGroupName === 'string' &&
    typeof filterPattern === 'string' &&
    typeof destinationArn === 'string' &&
    typeof distribution === 'string' &&
    typeof creationTime === 'number';
  if (!typed || !(keys === PLAIN_KEYS || (keys === PLAIN_KEYS_WITH_ROLE && typeof roleArn === 'string'))) return filter;
  const key = JSON.stringify([filterName, filterPattern, destinationArn, roleArn ?? null, distribution]);
  let spec = specs.get(key);
  if (!spec) {
    if (specs.size >= SPECS_KEPT) specs.clear();
    spec =
      roleArn === undefined
        ? { filterName, filterPattern, destinationArn, distribution }
        : { filterName, filterPattern, destinationArn, roleArn, distribution };
    specs.set(key, spec);
  }
  return new StoredFilter(spec, logGroupName, creationTime);
}

/** A filter kept under a key other than its own name. */
class NamedFilter {
  public constructor(
    public readonly name: string,
    public readonly filter: SimSubscriptionFilter | StoredFilter,
  ) {}
}

const plainOf = (filter: SimSubscriptionFilter | StoredFilter): SimSubscriptionFilter => (filter instanceof StoredFilter ? filter.plain() : filter);
const slotName = (slot: FilterSlot): string =>
  slot instanceof NamedFilter ? slot.name : slot instanceof StoredFilter ? slot.spec.filterName : slot.filterName;
const slotFilter = (slot: FilterSlot): SimSubscriptionFilter => plainOf(slot instanceof NamedFilter ? slot.filter : slot);
const slotFor = (name: string, filter: SimSubscriptionFilter): FilterSlot =>
  filter.filterName === name ? compacted(filter) : new NamedFilter(name, compacted(filter));

/**
 * A log group's subscription filters by name, in the order they were added, as a Map would hold
 * them, over the group's slots. A group holds at most two (the CloudWatch Logs quota); more (set
 * directly, as a test may) go to a Map after them.
 */
export class SimSubscriptionFilters implements Map<string, SimSubscriptionFilter> {
  public constructor(private readonly slots: FilterSlots = {}) {}

  public get size(): number {
    const { firstFilter, secondFilter, moreFilters } = this.slots;
    return (firstFilter ? 1 : 0) + (secondFilter ? 1 : 0) + (moreFilters?.size ?? 0);
  }

  public get(name: string): SimSubscriptionFilter | undefined {
    const { firstFilter, secondFilter, moreFilters } = this.slots;
    if (firstFilter && slotName(firstFilter) === name) return slotFilter(firstFilter);
    if (secondFilter && slotName(secondFilter) === name) return slotFilter(secondFilter);
    return moreFilters?.get(name);
  }

  public has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  public set(name: string, filter: SimSubscriptionFilter): this {
    const slots = this.slots;
    if (slots.firstFilter && slotName(slots.firstFilter) === name) slots.firstFilter = slotFor(name, filter);
    else if (slots.secondFilter && slotName(slots.secondFilter) === name) slots.secondFilter = slotFor(name, filter);
    else if (!slots.firstFilter) slots.firstFilter = slotFor(name, filter);
    else if (!slots.secondFilter) slots.secondFilter = slotFor(name, filter);
    else (slots.moreFilters ??= new Map()).set(name, filter);
    return this;
  }

  public delete(name: string): boolean {
    const slots = this.slots;
    if (slots.firstFilter && slotName(slots.firstFilter) === name) {
      slots.firstFilter = slots.secondFilter;
      slots.secondFilter = undefined;
    } else if (slots.secondFilter && slotName(slots.secondFilter) === name) {
      slots.secondFilter = undefined;
    } else {
      return slots.moreFilters?.delete(name) ?? false;
    }
    // Whatever waited after the two slots moves up, keeping the order of addition.
    const [next] = slots.moreFilters ?? [];
    if (next) {
      slots.moreFilters!.delete(next[0]);
      slots.secondFilter = slotFor(next[0], next[1]);
    }
    return true;
  }

  public clear(): void {
    this.slots.firstFilter = this.slots.secondFilter = this.slots.moreFilters = undefined;
  }

  /** The filters, in the order they were added. */
  public list(): SimSubscriptionFilter[] {
    const { firstFilter, secondFilter, moreFilters } = this.slots;
    const listed = firstFilter ? (secondFilter ? [slotFilter(firstFilter), slotFilter(secondFilter)] : [slotFilter(firstFilter)]) : [];
    return moreFilters ? [...listed, ...moreFilters.values()] : listed;
  }

  private asMap(): Map<string, SimSubscriptionFilter> {
    const { firstFilter, secondFilter, moreFilters } = this.slots;
    const map = new Map<string, SimSubscriptionFilter>();
    if (firstFilter) map.set(slotName(firstFilter), slotFilter(firstFilter));
    if (secondFilter) map.set(slotName(secondFilter), slotFilter(secondFilter));
    for (const [name, filter] of moreFilters ?? []) map.set(name, filter);
    return map;
  }

  public forEach(callback: (filter: SimSubscriptionFilter, name: string, map: Map<string, SimSubscriptionFilter>) => void, thisArg?: unknown): void {
    for (const [name, filter] of this.asMap()) callback.call(thisArg, filter, name, this);
  }

  public entries(): MapIterator<[string, SimSubscriptionFilter]> {
    return this.asMap().entries();
  }

  public keys(): MapIterator<string> {
    return this.asMap().keys();
  }

  public values(): MapIterator<SimSubscriptionFilter> {
    return this.asMap().values();
  }

  public [Symbol.iterator](): MapIterator<[string, SimSubscriptionFilter]> {
    return this.entries();
  }

  public get [Symbol.toStringTag](): string {
    return 'Map';
  }
}

export interface SimLogGroup {
  readonly logGroupName: string;
  readonly creationTime: number;
  /** In the order they were added (DescribeSubscriptionFilters lists them by name); at most two through the API (the CloudWatch Logs quota). */
  readonly filters: SimSubscriptionFilters;
  /** Reads left before the group shows up (eventual consistency). */
  hiddenReads: number;
  /** What DescribeLogGroups reports as `storedBytes`: the group's retained history. */
  readonly storedBytes: number;
  /**
   * Events written with putLogEvents, in ingestion order; absent until the first (most scenarios
   * write none, only `storedBytes`, and an organization has millions of groups).
   */
  events?: SimLogEvent[];
}

/** What few log groups have: kept apart, so that the millions of others do without the fields. */
interface RareGroupFields {
  hiddenReads: number;
  storedBytes: number;
  events?: SimLogEvent[];
  moreFilters?: Map<string, SimSubscriptionFilter>;
}

/**
 * A log group as the simulator holds it: its filters' slots among its own fields, and what few
 * groups have (hidden reads, stored bytes, events, more than two filters) apart.
 */
class StoredLogGroup implements SimLogGroup, FilterSlots {
  public firstFilter?: FilterSlot;
  public secondFilter?: FilterSlot;
  private rare?: RareGroupFields;

  public constructor(
    public readonly logGroupName: string,
    public readonly creationTime: number,
    hiddenReads: number,
    storedBytes: number,
  ) {
    if (hiddenReads !== 0 || storedBytes !== 0) this.rare = { hiddenReads, storedBytes };
  }

  /** A view of the slots, made on each use (a few bytes that die young). */
  public get filters(): SimSubscriptionFilters {
    return new SimSubscriptionFilters(this);
  }

  public get hiddenReads(): number {
    return this.rare?.hiddenReads ?? 0;
  }

  public set hiddenReads(reads: number) {
    this.rareFields().hiddenReads = reads;
  }

  public get storedBytes(): number {
    return this.rare?.storedBytes ?? 0;
  }

  public get events(): SimLogEvent[] | undefined {
    return this.rare?.events;
  }

  public set events(events: SimLogEvent[] | undefined) {
    this.rareFields().events = events;
  }

  public get moreFilters(): Map<string, SimSubscriptionFilter> | undefined {
    return this.rare?.moreFilters;
  }

  public set moreFilters(filters: Map<string, SimSubscriptionFilter> | undefined) {
    if (filters !== undefined || this.rare) this.rareFields().moreFilters = filters;
  }

  private rareFields(): RareGroupFields {
    return (this.rare ??= { hiddenReads: 0, storedBytes: 0 });
  }
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

/** Names compared character code by character code: ASCII order, which the CloudWatch Logs listings use. */
export function asciiOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * An account-region's log groups by name. DescribeLogGroups lists them in name order, page after
 * page: the order is kept until a group is added or removed, rather than sorted on every call.
 */
export class SimLogGroups extends Map<string, SimLogGroup> {
  private ordered?: SimLogGroup[];
  /** Groups created hidden (`hiddenReads`) that may not have shown up yet. */
  private readonly late = new Set<SimLogGroup>();

  public override set(logGroupName: string, group: SimLogGroup): this {
    this.ordered = undefined;
    if (group.hiddenReads > 0) this.late.add(group);
    return super.set(logGroupName, group);
  }

  public override delete(logGroupName: string): boolean {
    const group = this.get(logGroupName);
    if (group) this.late.delete(group);
    this.ordered = undefined;
    return super.delete(logGroupName);
  }

  public override clear(): void {
    this.late.clear();
    this.ordered = undefined;
    super.clear();
  }

  /** Every group, ASCII-sorted by name, as DescribeLogGroups lists them. */
  public inNameOrder(): readonly SimLogGroup[] {
    this.ordered ??= [...this.values()].sort((a, b) => asciiOrder(a.logGroupName, b.logGroupName));
    return this.ordered;
  }

  /** Whether a group is still hidden from reads (eventual consistency). */
  public anyHidden(): boolean {
    for (const group of this.late) {
      if (group.hiddenReads > 0) return true;
      this.late.delete(group);
    }
    return false;
  }
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
    const group = new StoredLogGroup(logGroupName, this.tick(), options.hiddenReads ?? 0, options.storedBytes ?? 0);
    this.accountRegion(accountId, region).logGroups.set(logGroupName, group);
    return group;
  }
}
