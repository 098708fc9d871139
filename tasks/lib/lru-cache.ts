/**
 * A Map that keeps at most `capacity` entries, dropping the least recently used first: each use
 * re-inserts its key, so the Map's first key is always the one to drop.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();

  public constructor(private readonly capacity: number) {}

  /** The value under `key`, now the most recently used; undefined when none is kept. */
  public get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  /** Keeps `value` under `key` as the most recently used, dropping the least recently used past the capacity. */
  public set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  public get size(): number {
    return this.entries.size;
  }
}
