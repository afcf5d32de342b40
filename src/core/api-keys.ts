// Back-end keys: the secrets an application's back end presents (Authorization: Bearer, or
// siteverify's `secret`) to reach what only it may call. Compared in constant time, never logged.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** One configured key: `name` says whose it is (logs and metrics show the name, never the key). */
export interface ApiKey {
  name: string;
  key: string;
}

export interface ApiKeys {
  /** How many keys are configured; 0 means no caller is trusted. */
  readonly size: number;
  /**
   * The name of the key `presented` matches, else `null`. Takes the same time whichever key
   * matches or none does: every configured key is compared, each through a fixed-length MAC.
   */
  verify(presented: string | undefined): string | null;
}

export function apiKeys(keys: readonly ApiKey[]): ApiKeys {
  // Comparing MACs rather than the keys makes every comparison the same length, so neither a
  // key's length nor its prefix leaks through timing.
  const pepper = randomBytes(32);
  const mac = (value: string) => createHmac('sha256', pepper).update(value).digest();
  const known = keys.map(({ name, key }) => ({ name, mac: mac(key) }));
  return {
    size: known.length,
    verify(presented) {
      if (presented === undefined || presented === '' || presented.length > 512) return null;
      const given = mac(presented);
      let match: string | null = null;
      for (const { name, mac: expected } of known) if (timingSafeEqual(given, expected) && match === null) match = name;
      return match;
    },
  };
}

/** Shortest key accepted from configuration: 128 bits as hex, or more as anything else. */
export const MIN_API_KEY_LENGTH = 32;

/**
 * The development key `npm start` prints when none is configured. Drawn from the secret, so
 * every worker process of one deployment makes the same one (and a random secret a random key).
 */
export function developmentApiKey(secret: Buffer): ApiKey {
  return { name: 'development', key: `vd_dev_${createHmac('sha256', secret).update('verifyd development api key').digest('base64url').slice(0, 32)}` };
}
