/**
 * One SDK client for each member client built alike, shared by the Lambda environments' client
 * factories in place of their own caches. In AWS each execution environment builds and caches its
 * own; offline a reconcile's pages land on environment after environment (the oldest free one),
 * and each built its ten regional clients again (496,376 clients of about 17 KB in two reconciles
 * of 200 accounts x 10 regions), while 400 environments' caches of 64 could keep 25,000 alive. What a
 * call sees does not depend on which client object carries it: credentials and region are in the
 * key, and the limiter and the retry quota are the invocation's (tasks/lib/clients.ts). The
 * credentials stay each environment's own, so STS sees every AssumeRole as before.
 */
import type { SharedClients } from '../tasks/lib/clients';
import { LruCache } from '../tasks/lib/lru-cache';

export class SharedClientPool implements SharedClients {
  /** What is kept never depends on garbage collection, only on the order of use. */
  private readonly clients: LruCache<string, unknown>;

  public constructor(
    /** Clients kept at most. */
    capacity: number,
  ) {
    this.clients = new LruCache(capacity);
  }

  public get<T>(key: string, build: () => T): T {
    const kept = this.clients.get(key) as T | undefined;
    if (kept !== undefined) return kept;
    const client = build();
    this.clients.set(key, client);
    return client;
  }

  public get size(): number {
    return this.clients.size;
  }
}
