// Numeric one-time codes for a recipient and purpose: issued hashed, checked with an attempt
// limit that is spent before the comparison, consumed atomically on success. Shared by the SMS
// and email channels.

import { randomInt } from 'node:crypto';
import { VerifyError } from '../../errors.ts';
import { digest, sameDigest } from '../hmac.ts';
import type { Purpose } from '../types.ts';
import type { CodeKeys, CodeLimits, Store } from '../../stores/store.ts';
import { storeKeys } from '../keys.ts';
import { DEFAULTS } from '../defaults.ts';

export interface OneTimeCodeOptions {
  store: Store;
  secret: Buffer;
  channel: 'sms' | 'email';
  keyPrefix?: string;
  ttlSeconds?: number;
  digits?: number;
  /** Checks one code allows (spent right or wrong); past them it is dead. A resend does not reset the count. */
  maxAttempts?: number;
  /** Failed checks per recipient per hour, across purposes, before checks are locked. */
  failuresBeforeLock?: number;
  lockSeconds?: number;
}

export interface CodeCheck {
  valid: boolean;
  /**
   * Checks left on the live code after a wrong one; 0 when there is none (no code, expired,
   * used or burned). For trusted callers only: it tells whether a code is live.
   */
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
   * Checks `code`. Each check spends an attempt before the comparison, in one store step, so
   * however many run at once at most `maxAttempts` are compared, and none pass the lock set
   * after `failuresBeforeLock` failures. A correct code is consumed: of concurrent correct
   * checks exactly one is valid. Throws CHECK_LOCKED while the recipient is locked.
   */
  check(recipient: string, purpose: Purpose, code: string): Promise<CodeCheck>;
}

export function oneTimeCodes({
  store,
  secret,
  channel,
  keyPrefix,
  ttlSeconds = DEFAULTS.sms.codeTtlSeconds,
  digits = DEFAULTS.codes.digits,
  maxAttempts = DEFAULTS.codes.maxAttempts,
  failuresBeforeLock = DEFAULTS.codes.failuresBeforeLock,
  lockSeconds = DEFAULTS.codes.lockSeconds,
}: OneTimeCodeOptions): OneTimeCodes {
  const storeKey = storeKeys(keyPrefix);
  const keys = (recipient: string, purpose: Purpose): CodeKeys => storeKey.code(channel, recipient, purpose);
  const limits: CodeLimits = {
    maxAttempts,
    attemptWindowMs: ttlSeconds * 1000,
    failuresBeforeLock,
    failureWindowMs: 3_600_000,
    lockMs: lockSeconds * 1000,
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
      const grant = await store.spendCodeAttempt(k, limits);
      if (grant.kind === 'locked') throw new VerifyError('CHECK_LOCKED', { retryAfter: Math.max(1, Math.ceil(grant.retryAfterMs / 1000)) });
      if (grant.kind === 'none') return { valid: false, attemptsLeft: 0 };
      // The comparison runs on HMACs in constant time; only one concurrent match wins the consume.
      if (sameDigest(grant.hash, hashOf(recipient, purpose, code.trim())) && (await store.consumeCode(k, grant.hash, limits))) {
        return { valid: true, attemptsLeft: maxAttempts };
      }
      return { valid: false, attemptsLeft: grant.attemptsLeft };
    },
  };
}
