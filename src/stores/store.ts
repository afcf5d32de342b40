// The Store interface: the few atomic key-value operations verifyd needs, shaped for its
// domain (consume once, throttle, count, spend an attempt), implemented by memory.ts and
// redis.ts alike.

/** The keys of one recipient's code for one purpose; all carry the recipient's hash tag. */
export interface CodeKeys {
  /** The code's hash. */
  code: string;
  /** Attempts spent on the recipient's codes for this purpose; a resend does not reset it. */
  attempts: string;
  /** Failed checks for the recipient in the current window, across purposes. */
  failures: string;
  /** Present while the recipient's checks are locked. */
  lock: string;
}

export interface CodeLimits {
  /** Comparisons allowed per attempt window; past them the code is dead. */
  maxAttempts: number;
  /** How long spent attempts are remembered (the code's lifetime). */
  attemptWindowMs: number;
  /** Failed checks per window after which the recipient is locked. */
  failuresBeforeLock: number;
  failureWindowMs: number;
  lockMs: number;
}

/**
 * What spending an attempt gave: `locked` (nothing spent), `none` (no live code: a failure
 * was counted all the same, so a prober cannot tell), or the stored hash to compare against
 * with the attempts left after this one.
 */
export type AttemptGrant =
  | { kind: 'locked'; retryAfterMs: number }
  | { kind: 'none' }
  | { kind: 'granted'; hash: string; attemptsLeft: number };

/** One fixed window of a send limit: `max` sends per `windowMs` (0 turns it off). */
export interface SendWindow {
  key: string;
  max: number;
  windowMs: number;
}

/** Windows one send slot may count in (the per-recipient hour and day use two). */
export const MAX_SEND_WINDOWS = 4;

/** What taking a send slot gave: `ok`, or which check refused it and for how long. */
export type SendSlot = { ok: true } | { ok: false; refusedBy: 'interval' | number; retryAfterMs: number };

/**
 * A key-value store with expiry. Every method is atomic on its own: two concurrent callers of
 * `take` on the same key never both get the value. Failures of the backing service reject
 * with `VerifyError('STORE_UNAVAILABLE')`; a store with no room left for security state
 * rejects writes of it with `VerifyError('STORE_FULL')` rather than drop anything.
 */
export interface Store {
  readonly name: string;
  /** Stores `value` under `key` for `ttlMs`, replacing any previous value and its expiry. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /**
   * Stores a captcha's answer like `set`, as state the store may drop to make room (oldest
   * first) when full. Nothing else is ever dropped for room: a flood of captchas cannot evict a
   * code, a lock or a limit window.
   */
  putCaptcha(key: string, value: string, ttlMs: number): Promise<void>;
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
  /**
   * Spends one attempt before any comparison, in one step: refuses while the recipient is
   * locked; counts a failure (refunded by `consumeCode` on success) and sets the lock when the
   * failures reach `failuresBeforeLock`; hands out the code's hash with the attempts left after
   * this one. Once `maxAttempts` are spent no hash is handed out (`none`), so a burst of N
   * concurrent checks compares at most `maxAttempts` guesses and never gets past the lock. The
   * code itself stays until it is consumed or expires, so a correct last guess cannot lose a
   * race to a later wrong one.
   */
  spendCodeAttempt(keys: CodeKeys, limits: CodeLimits): Promise<AttemptGrant>;
  /**
   * After a granted attempt matched: deletes the code and its attempts if the code still holds
   * `hash`, refunds the failure the attempt counted and lifts a lock that failure set. True for
   * exactly one of several concurrent callers.
   */
  consumeCode(keys: CodeKeys, hash: string, limits: CodeLimits): Promise<boolean>;
  /**
   * Takes a send slot in one step: refuses while `intervalKey` (the resend interval) is held or
   * any window is full, and otherwise holds the interval for `intervalMs` (0: none) and counts
   * the send in every window. Nothing is counted or held on a refusal. All keys must share one
   * hash tag; at most MAX_SEND_WINDOWS windows.
   */
  takeSendSlot(intervalKey: string, intervalMs: number, windows: SendWindow[]): Promise<SendSlot>;
  /**
   * Marks `key` used, once, for `ttlMs`: `redeemed` the first time; `repeated` when it was
   * redeemed with the same non-empty `idempotencyKey` (a retry); `duplicate` otherwise.
   */
  redeemOnce(key: string, idempotencyKey: string, ttlMs: number): Promise<'redeemed' | 'repeated' | 'duplicate'>;
  /** Resolves when the store answers; rejects with STORE_UNAVAILABLE otherwise. */
  ping(): Promise<void>;
  /** Releases connections and timers. The store is unusable afterwards. */
  close(): Promise<void>;
}
