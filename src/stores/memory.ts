// The embedded default store: bounded in-process maps with expiry, for a single process.
// Captchas live apart from security state, so a flood of them can never evict a code or a lock.

import { VerifyError } from '../errors.ts';
import type { AttemptGrant, CodeKeys, CodeLimits, SendSlot, SendWindow, Store } from './store.ts';

export interface MemoryStoreOptions {
  /** Captchas kept at most; past it the oldest captcha is dropped first. */
  maxCaptchas?: number;
  /**
   * Entries of security state (codes, attempts, locks, send slots, limit windows, tokens) kept at
   * most. Never dropped for room: past it, writes of new state fail with STORE_FULL (503).
   */
  maxEntries?: number;
  /** How often expired entries are swept out, in ms. */
  sweepIntervalMs?: number;
  /** Called with the number of captchas dropped to stay under `maxCaptchas` (for metrics). */
  onEvict?: (count: number) => void;
  /** The clock, for tests. */
  now?: () => number;
}

interface Entry {
  value: string;
  expiresAt: number;
}

export interface MemoryStore extends Store {
  /** Live and not-yet-swept entries, captchas and state together. */
  readonly size: number;
  /** Captchas dropped so far to stay under `maxCaptchas`. */
  readonly evictions: number;
}

/**
 * An in-memory Store. Operations run synchronously inside one call, so they are atomic with
 * respect to each other. The captcha map's insertion order is age order (a `putCaptcha`
 * re-inserts), which makes "drop the oldest" a walk from the head of the Map. The sweep timer
 * is unref'd, so it never holds the process open.
 */
export function memoryStore({
  maxCaptchas = 100_000,
  maxEntries = 500_000,
  sweepIntervalMs = 10_000,
  onEvict,
  now = Date.now,
}: MemoryStoreOptions = {}): MemoryStore {
  for (const [name, n] of [['maxCaptchas', maxCaptchas], ['maxEntries', maxEntries]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer`);
  }
  const captchas = new Map<string, Entry>();
  const state = new Map<string, Entry>();
  let evictions = 0;

  const liveIn = (map: Map<string, Entry>, key: string): Entry | undefined => {
    const entry = map.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now()) {
      map.delete(key);
      return undefined;
    }
    return entry;
  };
  const live = (key: string): Entry | undefined => liveIn(state, key) ?? liveIn(captchas, key);
  const remove = (key: string): boolean => state.delete(key) || captchas.delete(key);

  const sweepMap = (map: Map<string, Entry>, t: number) => {
    for (const [key, entry] of map) if (entry.expiresAt <= t) map.delete(key);
  };
  let lastFullSweep = 0;
  /** Makes room for `keys` as state entries, or throws STORE_FULL. Existing state is never dropped. */
  const roomForState = (...keys: string[]): void => {
    const needed = () => keys.filter((key) => !state.has(key)).length;
    if (state.size + needed() <= maxEntries) return;
    // Sweeping is O(n): at most once a second however hard a full store is pushed.
    const t = now();
    if (t - lastFullSweep >= 1000) {
      lastFullSweep = t;
      sweepMap(state, t);
    }
    if (state.size + needed() > maxEntries) throw new VerifyError('STORE_FULL');
  };
  const putState = (key: string, entry: Entry): Entry => {
    roomForState(key);
    captchas.delete(key);
    state.set(key, entry);
    return entry;
  };

  // One long-lived iterator: every live captcha lies ahead of it (those behind were evicted, and
  // a re-put key moves to the end), so each eviction is O(1). A fresh iterator per eviction
  // would rescan the holes deleted entries leave at the head of the Map: O(n) per insert.
  let oldest = captchas.keys();
  const evictOldest = (count: number): void => {
    let dropped = 0;
    while (dropped < count) {
      let next = oldest.next();
      if (next.done) {
        oldest = captchas.keys();
        next = oldest.next();
        if (next.done) break;
      }
      if (captchas.delete(next.value)) dropped++;
    }
    evictions += dropped;
    onEvict?.(dropped);
  };

  const counter = (key: string, windowMs: number): { count: number; ttlMs: number } => {
    const entry = liveIn(state, key);
    if (entry === undefined) {
      putState(key, { value: '1', expiresAt: now() + windowMs });
      return { count: 1, ttlMs: windowMs };
    }
    const count = Number(entry.value) + 1;
    entry.value = String(count);
    return { count, ttlMs: entry.expiresAt - now() };
  };

  const timer = setInterval(() => {
    const t = now();
    sweepMap(state, t);
    sweepMap(captchas, t);
  }, sweepIntervalMs);
  timer.unref();

  return {
    name: 'memory',
    get size() {
      return state.size + captchas.size;
    },
    get evictions() {
      return evictions;
    },
    async set(key, value, ttlMs) {
      putState(key, { value, expiresAt: now() + ttlMs });
    },
    async putCaptcha(key, value, ttlMs) {
      state.delete(key);
      captchas.delete(key);
      captchas.set(key, { value, expiresAt: now() + ttlMs });
      if (captchas.size > maxCaptchas) evictOldest(captchas.size - maxCaptchas);
    },
    async setIfAbsent(key, value, ttlMs) {
      const existing = live(key);
      if (existing !== undefined) return { set: false, ttlMs: existing.expiresAt - now() };
      putState(key, { value, expiresAt: now() + ttlMs });
      return { set: true, ttlMs };
    },
    async get(key) {
      return live(key)?.value ?? null;
    },
    async take(key) {
      const entry = live(key);
      if (entry === undefined) return null;
      remove(key);
      return entry.value;
    },
    async deleteIfEquals(key, expected) {
      const entry = live(key);
      if (entry === undefined || entry.value !== expected) return false;
      return remove(key);
    },
    async delete(key) {
      return live(key) !== undefined && remove(key);
    },
    async increment(key, windowMs) {
      return counter(key, windowMs);
    },
    async spendCodeAttempt(keys: CodeKeys, limits: CodeLimits): Promise<AttemptGrant> {
      const lock = liveIn(state, keys.lock);
      if (lock !== undefined) return { kind: 'locked', retryAfterMs: lock.expiresAt - now() };
      roomForState(keys.failures, keys.lock, keys.attempts);
      const failures = counter(keys.failures, limits.failureWindowMs);
      if (failures.count >= limits.failuresBeforeLock) putState(keys.lock, { value: '1', expiresAt: now() + limits.lockMs });
      const code = liveIn(state, keys.code);
      if (code === undefined) return { kind: 'none' };
      if (Number(liveIn(state, keys.attempts)?.value ?? 0) >= limits.maxAttempts) return { kind: 'none' };
      const used = counter(keys.attempts, limits.attemptWindowMs).count;
      return { kind: 'granted', hash: code.value, attemptsLeft: limits.maxAttempts - used };
    },
    async consumeCode(keys, hash, limits) {
      if (liveIn(state, keys.code)?.value !== hash) return false;
      state.delete(keys.code);
      state.delete(keys.attempts);
      const failures = liveIn(state, keys.failures);
      if (failures !== undefined && Number(failures.value) > 0) {
        failures.value = String(Number(failures.value) - 1);
        if (Number(failures.value) < limits.failuresBeforeLock) state.delete(keys.lock);
      }
      return true;
    },
    async takeSendSlot(intervalKey: string, intervalMs: number, windows: SendWindow[]): Promise<SendSlot> {
      if (intervalMs > 0) {
        const held = liveIn(state, intervalKey);
        if (held !== undefined) return { ok: false, refusedBy: 'interval', retryAfterMs: held.expiresAt - now() };
      }
      for (const [i, { key, max }] of windows.entries()) {
        const entry = liveIn(state, key);
        if (max > 0 && entry !== undefined && Number(entry.value) >= max) return { ok: false, refusedBy: i, retryAfterMs: entry.expiresAt - now() };
      }
      roomForState(intervalKey, ...windows.map((w) => w.key));
      if (intervalMs > 0) putState(intervalKey, { value: '1', expiresAt: now() + intervalMs });
      for (const { key, max, windowMs } of windows) if (max > 0) counter(key, windowMs);
      return { ok: true };
    },
    async redeemOnce(key, idempotencyKey, ttlMs) {
      const held = liveIn(state, key);
      if (held === undefined) {
        putState(key, { value: `=${idempotencyKey}`, expiresAt: now() + ttlMs });
        return 'redeemed';
      }
      return idempotencyKey !== '' && held.value === `=${idempotencyKey}` ? 'repeated' : 'duplicate';
    },
    async ping() {},
    async close() {
      clearInterval(timer);
      state.clear();
      captchas.clear();
    },
  };
}
