// Numeric one-time codes for a recipient and purpose: issued hashed, checked with an attempt
// limit, consumed atomically on success. Shared by the SMS and email channels.

import { randomInt } from 'node:crypto';
import { VerifyError } from '../errors.ts';
import { digest, sameDigest } from '../hmac.ts';
import type { Purpose } from '../senders/types.ts';
import type { Store } from '../stores/store.ts';

export interface OneTimeCodeOptions {
  store: Store;
  secret: Buffer;
  channel: 'sms' | 'email';
  keyPrefix?: string;
  ttlSeconds?: number;
  digits?: number;
  /** Wrong checks after which the code is burned. A resend does not reset the count. */
  maxAttempts?: number;
  /** Wrong checks per recipient per hour, across purposes, before checks are locked. */
  failuresBeforeLock?: number;
  lockSeconds?: number;
  now?: () => number;
}

export interface CodeCheck {
  valid: boolean;
  /** Wrong checks left before the code is burned; 0 when there is no live code. */
  attemptsLeft: number;
}

export interface OneTimeCodes {
  readonly ttlSeconds: number;
  /**
   * Makes a fresh code for `recipient` and `purpose` (or stores `fixed`, for test numbers),
   * replacing any earlier one, which stops working at once. Returns the plain code, which is
   * stored only as an HMAC.
   */
  issue(recipient: string, purpose: Purpose, fixed?: string): Promise<string>;
  /**
   * Checks `code`. A correct code is consumed, so of two concurrent correct checks only one is
   * valid. A wrong one counts an attempt and burns the code at `maxAttempts`. Throws
   * CHECK_LOCKED while the recipient is locked after too many failures.
   */
  check(recipient: string, purpose: Purpose, code: string): Promise<CodeCheck>;
}

export function oneTimeCodes({
  store,
  secret,
  channel,
  keyPrefix = 'verifyd:',
  ttlSeconds = 300,
  digits = 6,
  maxAttempts = 5,
  failuresBeforeLock = 10,
  lockSeconds = 600,
  now = Date.now,
}: OneTimeCodeOptions): OneTimeCodes {
  // The recipient goes in a hash tag so all of one recipient's keys share a Cluster slot.
  const keys = (recipient: string, purpose: Purpose) => {
    const base = `${keyPrefix}${channel}:{${recipient}}`;
    return {
      code: `${base}:code:${purpose}`,
      attempts: `${base}:attempts:${purpose}`,
      failures: `${base}:failures`,
      lock: `${base}:lock`,
    };
  };
  const hashOf = (recipient: string, purpose: Purpose, code: string) => digest(secret, channel, recipient, purpose, code);

  return {
    ttlSeconds,
    async issue(recipient, purpose, fixed) {
      const code = fixed ?? String(randomInt(0, 10 ** digits)).padStart(digits, '0');
      await store.set(keys(recipient, purpose).code, hashOf(recipient, purpose, code), ttlSeconds * 1000);
      return code;
    },
    async check(recipient, purpose, code) {
      const k = keys(recipient, purpose);
      const lockedUntil = await store.get(k.lock);
      if (lockedUntil !== null) {
        throw new VerifyError('CHECK_LOCKED', { retryAfter: Math.max(1, Math.ceil((Number(lockedUntil) - now()) / 1000)) });
      }

      const stored = await store.get(k.code);
      if (stored === null) return { valid: false, attemptsLeft: 0 };
      const used = Number((await store.get(k.attempts)) ?? 0);
      if (used >= maxAttempts) {
        await store.deleteIfEquals(k.code, stored);
        return { valid: false, attemptsLeft: 0 };
      }

      if (sameDigest(stored, hashOf(recipient, purpose, code.trim()))) {
        // Only the caller whose delete succeeds wins; a concurrent twin sees a spent code.
        if (!(await store.deleteIfEquals(k.code, stored))) return { valid: false, attemptsLeft: 0 };
        await store.delete(k.attempts);
        return { valid: true, attemptsLeft: maxAttempts };
      }

      const { count } = await store.increment(k.attempts, ttlSeconds * 1000);
      const failures = await store.increment(k.failures, 3_600_000);
      if (failures.count >= failuresBeforeLock) await store.set(k.lock, String(now() + lockSeconds * 1000), lockSeconds * 1000);
      if (count >= maxAttempts) await store.deleteIfEquals(k.code, stored);
      return { valid: false, attemptsLeft: Math.max(0, maxAttempts - count) };
    },
  };
}
