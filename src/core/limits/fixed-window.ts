// Fixed-window rate limits on top of the Store's atomic increment.

import { VerifyError } from '../../errors.ts';
import type { Store } from '../../stores/store.ts';
import { storeKeys } from '../keys.ts';

export interface FixedWindowOptions {
  /** Names the limit in its keys, e.g. `captcha-ip`. */
  name: string;
  /** Hits allowed per window; 0 turns the limit off. */
  max: number;
  windowMs: number;
  keyPrefix?: string;
}

export interface FixedWindowLimit {
  /** Counts one hit for `subject`; throws RATE_LIMITED with the seconds left when over the limit. */
  hit(subject: string): Promise<void>;
}

export function fixedWindowLimit(store: Store, { name, max, windowMs, keyPrefix }: FixedWindowOptions): FixedWindowLimit {
  const keys = storeKeys(keyPrefix);
  return {
    async hit(subject) {
      if (max === 0) return;
      const { count, ttlMs } = await store.increment(keys.limit(name, subject), windowMs);
      if (count > max) throw new VerifyError('RATE_LIMITED', { retryAfter: Math.max(1, Math.ceil(ttlMs / 1000)) });
    },
  };
}
