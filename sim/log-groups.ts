/**
 * CloudWatch Logs' log groups and their subscription filters, as the simulator holds them. The
 * bench's target size has 5 million groups, each with a filter: an account-region's groups are
 * kept in columns, and a group is an object only while someone reads it. A subscribed group took
 * about 180 bytes of heap as a group object, its Map entry and a filter object; in columns about
 * 70 (heap snapshots of 100,000 groups).
 */

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

/**
 * Where a log group keeps its subscription filters: two slots, then a Map for any more (set
 * directly, as a test may). A slot holds the filter (compacted where it can be) when its key is its
 * own name, else the pair. The first slot is a column of the group's account-region; the second and
 * any more are rare (two filters are CloudWatch Logs' quota, and Tributary puts one).
 */
export interface FilterSlots {
  firstFilter?: FilterSlot;
  secondFilter?: FilterSlot;
  moreFilters?: Map<string, SimSubscriptionFilter>;
}

type FilterSlot = SimSubscriptionFilter | StoredFilter | NamedFilter;

/** What a filter is apart from its group and creation time: the same in every group one subscription covers. */
class FilterSpec {
  public constructor(
    public readonly filterName: string,
    public readonly filterPattern: string,
    public readonly destinationArn: string,
    public readonly roleArn: string | undefined,
    public readonly distribution: string,
  ) {}
}

/**
 * A filter reduced to its spec, held once however many groups have it, its group and its
 * creation time; in a group's first slot, only the spec and the time are kept.
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
const PLAIN_KEYS = ['filterName', 'logGroupName', 'filterPattern', 'destinationArn', 'distribution', 'creationTime'];
const PLAIN_KEYS_WITH_ROLE = ['filterName', 'logGroupName', 'filterPattern', 'destinationArn', 'roleArn', 'distribution', 'creationTime'];

const keysAre = (keys: readonly string[], expected: readonly string[]): boolean =>
  keys.length === expected.length && keys.every((key, i) => key === expected[i]);

/** Specs held once, by their fields; dropped all together past a bound (a spec held twice is only memory). */
const specs = new Map<string, FilterSpec>();
const SPECS_KEPT = 4096;

/** The filter compacted, when `plain()` gives it back exactly (same fields, same order, strings and a number); else itself. */
function compacted(filter: SimSubscriptionFilter): SimSubscriptionFilter | StoredFilter {
  const keys = Object.keys(filter);
  const { filterName, logGroupName, filterPattern, destinationArn, roleArn, distribution, creationTime } = filter;
  const typed =
    typeof filterName === 'string' &&
    typeof logGroupName === 'string' &&
    typeof filterPattern === 'string' &&
    typeof destinationArn === 'string' &&
    typeof distribution === 'string' &&
    typeof creationTime === 'number';
  if (!typed || !(keysAre(keys, PLAIN_KEYS) || (keysAre(keys, PLAIN_KEYS_WITH_ROLE) && typeof roleArn === 'string'))) return filter;
  const key = JSON.stringify([filterName, filterPattern, destinationArn, roleArn ?? null, distribution]);
  let spec = specs.get(key);
  if (!spec) {
    if (specs.size >= SPECS_KEPT) specs.clear();
    spec = new FilterSpec(filterName, filterPattern, destinationArn, roleArn, distribution);
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

/** Names compared character code by character code: ASCII order, which the CloudWatch Logs listings use. */
export function asciiOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What few log groups have: kept apart, so that the millions of others do without the fields. */
interface RareGroupFields {
  hiddenReads: number;
  storedBytes: number;
  events?: SimLogEvent[];
  secondFilter?: FilterSlot;
  moreFilters?: Map<string, SimSubscriptionFilter>;
}

/**
 * An account-region's groups in columns, one row per group created. A deleted group's row is
 * left behind (a view of it still reads what it had), and a group created again gets a new one.
 */
class LogGroupColumns {
  /** Each live group's row, in the order the groups were added (a Map's order). */
  public readonly rowOf = new Map<string, number>();
  public readonly names: string[] = [];
  public created: Float64Array<ArrayBuffer> = new Float64Array(8);
  /** The first filter's spec (its creation time in `firstCreated`), or the slot itself where it is not a compacted filter of this group. */
  public readonly firstFilter: Array<FilterSpec | FilterSlot | undefined> = [];
  public firstCreated: Float64Array<ArrayBuffer> = new Float64Array(8);
  public readonly rare = new Map<number, RareGroupFields>();

  public add(name: string, creationTime: number): number {
    const row = this.names.length;
    if (row === this.created.length) {
      this.created = grown(this.created);
      this.firstCreated = grown(this.firstCreated);
    }
    this.names.push(name);
    this.created[row] = creationTime;
    this.firstFilter.push(undefined);
    this.rowOf.set(name, row);
    return row;
  }
}

function grown(column: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const larger = new Float64Array(column.length * 2);
  larger.set(column);
  return larger;
}

/** One group, read from and written to its row: made on each read, a few bytes that die young. */
class LogGroupRow implements SimLogGroup, FilterSlots {
  public constructor(
    private readonly columns: LogGroupColumns,
    private readonly row: number,
  ) {}

  public get logGroupName(): string {
    return this.columns.names[this.row]!;
  }

  public get creationTime(): number {
    return this.columns.created[this.row]!;
  }

  public get filters(): SimSubscriptionFilters {
    return new SimSubscriptionFilters(this);
  }

  public get hiddenReads(): number {
    return this.columns.rare.get(this.row)?.hiddenReads ?? 0;
  }

  public set hiddenReads(reads: number) {
    this.rareFields().hiddenReads = reads;
  }

  public get storedBytes(): number {
    return this.columns.rare.get(this.row)?.storedBytes ?? 0;
  }

  public get events(): SimLogEvent[] | undefined {
    return this.columns.rare.get(this.row)?.events;
  }

  public set events(events: SimLogEvent[] | undefined) {
    this.rareFields().events = events;
  }

  public get firstFilter(): FilterSlot | undefined {
    const held = this.columns.firstFilter[this.row];
    return held instanceof FilterSpec ? new StoredFilter(held, this.logGroupName, this.columns.firstCreated[this.row]!) : held;
  }

  public set firstFilter(slot: FilterSlot | undefined) {
    if (slot instanceof StoredFilter && slot.logGroupName === this.logGroupName) {
      this.columns.firstFilter[this.row] = slot.spec;
      this.columns.firstCreated[this.row] = slot.creationTime;
    } else {
      this.columns.firstFilter[this.row] = slot;
    }
  }

  public get secondFilter(): FilterSlot | undefined {
    return this.columns.rare.get(this.row)?.secondFilter;
  }

  public set secondFilter(slot: FilterSlot | undefined) {
    if (slot !== undefined || this.columns.rare.has(this.row)) this.rareFields().secondFilter = slot;
  }

  public get moreFilters(): Map<string, SimSubscriptionFilter> | undefined {
    return this.columns.rare.get(this.row)?.moreFilters;
  }

  public set moreFilters(filters: Map<string, SimSubscriptionFilter> | undefined) {
    if (filters !== undefined || this.columns.rare.has(this.row)) this.rareFields().moreFilters = filters;
  }

  private rareFields(): RareGroupFields {
    let rare = this.columns.rare.get(this.row);
    if (!rare) this.columns.rare.set(this.row, (rare = { hiddenReads: 0, storedBytes: 0 }));
    return rare;
  }
}

/**
 * An account-region's log groups by name, read as a Map reads (in the order they were added).
 * DescribeLogGroups lists them in name order, page after page: the order is kept until a group
 * is added or removed, rather than sorted on every call.
 */
export class SimLogGroups implements ReadonlyMap<string, SimLogGroup> {
  private columns = new LogGroupColumns();
  private ordered?: readonly string[];
  /** Rows of groups created hidden (`hiddenReads`) that may not have shown up yet. */
  private readonly late = new Set<number>();

  /** A group as CreateLogGroup leaves it; one of the same name is replaced, in its place. */
  public create(logGroupName: string, creationTime: number, hiddenReads = 0, storedBytes = 0): SimLogGroup {
    const columns = this.columns;
    let row = columns.rowOf.get(logGroupName);
    if (row === undefined) {
      row = columns.add(logGroupName, creationTime);
      this.ordered = undefined;
    } else {
      columns.created[row] = creationTime;
      columns.firstFilter[row] = undefined;
      columns.rare.delete(row);
    }
    if (hiddenReads !== 0 || storedBytes !== 0) columns.rare.set(row, { hiddenReads, storedBytes });
    if (hiddenReads > 0) this.late.add(row);
    return new LogGroupRow(columns, row);
  }

  public get(logGroupName: string): SimLogGroup | undefined {
    const row = this.columns.rowOf.get(logGroupName);
    return row === undefined ? undefined : new LogGroupRow(this.columns, row);
  }

  public has(logGroupName: string): boolean {
    return this.columns.rowOf.has(logGroupName);
  }

  public get size(): number {
    return this.columns.rowOf.size;
  }

  public delete(logGroupName: string): boolean {
    const row = this.columns.rowOf.get(logGroupName);
    if (row === undefined) return false;
    this.columns.rowOf.delete(logGroupName);
    this.late.delete(row);
    this.ordered = undefined;
    return true;
  }

  public clear(): void {
    this.columns = new LogGroupColumns();
    this.late.clear();
    this.ordered = undefined;
  }

  public *entries(): MapIterator<[string, SimLogGroup]> {
    const columns = this.columns;
    for (const [name, row] of columns.rowOf) yield [name, new LogGroupRow(columns, row)];
  }

  public keys(): MapIterator<string> {
    return this.columns.rowOf.keys();
  }

  public *values(): MapIterator<SimLogGroup> {
    for (const [, group] of this.entries()) yield group;
  }

  public forEach(callback: (group: SimLogGroup, name: string, map: ReadonlyMap<string, SimLogGroup>) => void, thisArg?: unknown): void {
    for (const [name, group] of this.entries()) callback.call(thisArg, group, name, this);
  }

  public [Symbol.iterator](): MapIterator<[string, SimLogGroup]> {
    return this.entries();
  }

  public get [Symbol.toStringTag](): string {
    return 'Map';
  }

  /** Every group's name, ASCII-sorted, as DescribeLogGroups lists them. */
  public namesInOrder(): readonly string[] {
    this.ordered ??= [...this.columns.rowOf.keys()].sort(asciiOrder);
    return this.ordered;
  }

  /** Whether a group is still hidden from reads (eventual consistency). */
  public anyHidden(): boolean {
    for (const row of this.late) {
      if ((this.columns.rare.get(row)?.hiddenReads ?? 0) > 0) return true;
      this.late.delete(row);
    }
    return false;
  }
}
