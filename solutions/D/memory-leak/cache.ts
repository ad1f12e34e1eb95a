// A small least-recently-used cache: at most `maxEntries` results are kept; adding one more drops the
// entry that was used longest ago. A Map remembers insertion order, so re-inserting on every read
// keeps the most recently used entries at the end and the eviction candidate at the front.
export interface CacheOptions {
  maxEntries: number;
}

export class ResultCache<V> {
  private readonly entries = new Map<string, V>();
  readonly maxEntries: number;

  constructor({ maxEntries }: CacheOptions) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new Error('maxEntries must be a positive integer');
    this.maxEntries = maxEntries;
  }

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
