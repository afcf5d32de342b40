// The Store interface: the few atomic key-value operations verifyd needs, shaped for its
// domain (consume once, throttle, count), implemented by memory.ts and redis.ts alike.

/**
 * A key-value store with expiry. Every method is atomic on its own: two concurrent callers of
 * `take` on the same key never both get the value. Failures of the backing service reject
 * with `VerifyError('STORE_UNAVAILABLE')`.
 */
export interface Store {
  readonly name: string;
  /** Stores `value` under `key` for `ttlMs`, replacing any previous value and its expiry. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /**
   * Stores `value` only when `key` holds nothing (SET NX). Returns `{ set: true }` when it did,
   * else `{ set: false, ttlMs }` with the time left on the existing entry.
   */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<{ set: boolean; ttlMs: number }>;
  /** The value under `key`, or `null` when absent or expired. Does not change it. */
  get(key: string): Promise<string | null>;
  /** Returns the value under `key` and deletes it in the same step (GETDEL); `null` when absent. */
  take(key: string): Promise<string | null>;
  /** Deletes `key` only when it still holds `expected`; true when it did. */
  deleteIfEquals(key: string, expected: string): Promise<boolean>;
  /** Deletes `key`; true when something was there. */
  delete(key: string): Promise<boolean>;
  /**
   * Adds one to the counter under `key`, starting a window of `windowMs` when the counter is new
   * (a fixed window). Returns the count after the increment and the time left in the window.
   */
  increment(key: string, windowMs: number): Promise<{ count: number; ttlMs: number }>;
  /** Resolves when the store answers; rejects with STORE_UNAVAILABLE otherwise. */
  ping(): Promise<void>;
  /** Releases connections and timers. The store is unusable afterwards. */
  close(): Promise<void>;
}
