/** Counts every simulated AWS call per `Service.Operation`, the writes among them, and faults. */

/** Operations that change state; everything else is a read. */
const WRITE_OPERATION = /^(Put|Create|Delete|Remove|Update|Accept|Invite|Enable|Disable|Tag|Untag|Associate|Disassociate|Register|Deregister|Start|Stop)/;

export function isWriteOperation(operation: string): boolean {
  return WRITE_OPERATION.test(operation);
}

export class CallLedger {
  private readonly calls = new Map<string, number>();
  private writeCount = 0;
  private readonly faults = new Map<string, number>();

  /** Counts a call of `name` (`Service.Operation`). */
  public record(name: string): void {
    this.calls.set(name, (this.calls.get(name) ?? 0) + 1);
  }

  /** Writes are counted only when they succeed: a rejected write changed nothing. */
  public recordWrite(): void {
    this.writeCount++;
  }

  public recordFault(kind: string): void {
    this.faults.set(kind, (this.faults.get(kind) ?? 0) + 1);
  }

  public get writes(): number {
    return this.writeCount;
  }

  public apiCalls(): Record<string, number> {
    return Object.fromEntries([...this.calls.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  public totalCalls(): number {
    let total = 0;
    for (const n of this.calls.values()) total += n;
    return total;
  }

  public faultsInjected(): Record<string, number> {
    return Object.fromEntries(this.faults);
  }

  /** A point-in-time copy, to measure what one run did. */
  public snapshot(): { calls: number; writes: number; apiCalls: Record<string, number> } {
    return { calls: this.totalCalls(), writes: this.writeCount, apiCalls: this.apiCalls() };
  }
}
