// The embedded default store: a bounded in-process map with expiry, for a single process.

import type { Store } from './store.ts';

export interface MemoryStoreOptions {
  /** Live entries kept at most; past it the oldest entry is dropped first. */
  maxEntries?: number;
  /** How often expired entries are swept out, in ms. */
  sweepIntervalMs?: number;
  /** Called with the number of entries dropped to stay under `maxEntries` (for metrics). */
  onEvict?: (count: number) => void;
  /** The clock, for tests. */
  now?: () => number;
}

interface Entry {
  value: string;
  expiresAt: number;
}

export interface MemoryStore extends Store {
  /** Live and not-yet-swept entries. */
  readonly size: number;
  /** Entries dropped so far to stay under `maxEntries`. */
  readonly evictions: number;
}

/**
 * An in-memory Store. Operations run synchronously inside one call, so they are atomic with
 * respect to each other. Insertion order is age order (a `set` re-inserts), which makes
 * "drop the oldest" a walk from the head of the Map. The sweep timer is unref'd, so it never
 * holds the process open.
 */
export function memoryStore({
  maxEntries = 100_000,
  sweepIntervalMs = 10_000,
  onEvict,
  now = Date.now,
}: MemoryStoreOptions = {}): MemoryStore {
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
  const entries = new Map<string, Entry>();
  let evictions = 0;

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  const insert = (key: string, value: string, ttlMs: number): void => {
    entries.delete(key);
    entries.set(key, { value, expiresAt: now() + ttlMs });
    if (entries.size > maxEntries) evictOldest(entries.size - maxEntries);
  };

  // One long-lived iterator: every live entry lies ahead of it (those behind were evicted, and
  // a re-set key moves to the end), so each eviction is O(1). A fresh iterator per eviction
  // would rescan the holes deleted entries leave at the head of the Map: O(n) per insert.
  let oldest = entries.keys();
  const evictOldest = (count: number): void => {
    let dropped = 0;
    while (dropped < count) {
      let next = oldest.next();
      if (next.done) {
        oldest = entries.keys();
        next = oldest.next();
        if (next.done) break;
      }
      if (entries.delete(next.value)) dropped++;
    }
    evictions += dropped;
    onEvict?.(dropped);
  };

  const sweep = (): void => {
    const t = now();
    for (const [key, entry] of entries) if (entry.expiresAt <= t) entries.delete(key);
  };
  const timer = setInterval(sweep, sweepIntervalMs);
  timer.unref();

  return {
    name: 'memory',
    get size() {
      return entries.size;
    },
    get evictions() {
      return evictions;
    },
    async set(key, value, ttlMs) {
      insert(key, value, ttlMs);
    },
    async setIfAbsent(key, value, ttlMs) {
      const existing = live(key);
      if (existing !== undefined) return { set: false, ttlMs: existing.expiresAt - now() };
      insert(key, value, ttlMs);
      return { set: true, ttlMs };
    },
    async get(key) {
      return live(key)?.value ?? null;
    },
    async take(key) {
      const entry = live(key);
      if (entry === undefined) return null;
      entries.delete(key);
      return entry.value;
    },
    async deleteIfEquals(key, expected) {
      const entry = live(key);
      if (entry === undefined || entry.value !== expected) return false;
      entries.delete(key);
      return true;
    },
    async delete(key) {
      return live(key) !== undefined && entries.delete(key);
    },
    async increment(key, windowMs) {
      const entry = live(key);
      if (entry === undefined) {
        insert(key, '1', windowMs);
        return { count: 1, ttlMs: windowMs };
      }
      const count = Number(entry.value) + 1;
      entry.value = String(count);
      return { count, ttlMs: entry.expiresAt - now() };
    },
    async ping() {},
    async close() {
      clearInterval(timer);
      entries.clear();
    },
  };
}
