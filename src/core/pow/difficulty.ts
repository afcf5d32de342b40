// Adaptive difficulty: the level of a proof-of-work challenge rises with recent traffic from the
// client's address (an IPv4 address or an IPv6 network), to the number range, and site-wide, and
// falls back once the traffic stops. The level is a price, not a verdict: counts are read and
// bumped in separate store steps, and a race can only misprice one challenge by one step.

import type { Store } from '../../stores/store.ts';
import { storeKeys } from '../keys.ts';
import { DEFAULTS } from '../defaults.ts';

export interface DifficultyOptions {
  store: Store;
  keyPrefix?: string;
  /** Number of levels; the level is capped at `levels - 1`. */
  levels: number;
  /**
   * Length of the counting window in seconds. Traffic is estimated over the last window (the
   * current one plus the previous one's share), so a level held by a burst fades away within
   * one to two windows after it stops.
   */
  cooldownSeconds?: number;
  /** Challenges from one client per window at which level 1, 2, … begin (0: that step is off). */
  ipSteps?: readonly number[];
  /** Proof-of-work sends to one number range per window at which level 1, 2, … begin. */
  rangeSteps?: readonly number[];
  /** Challenges site-wide per window at which level 1, 2, … begin. */
  siteSteps?: readonly number[];
  now?: () => number;
}

export interface Difficulty {
  /** Counts one challenge for the client and the site; the level to price it at (with `range`'s). */
  challengeLevel(client: { ip?: string | undefined }, range?: string): Promise<number>;
  /** The level sends to `range` (a number without its last 4 digits) need now. Counts nothing. */
  rangeLevel(range: string): Promise<number>;
  /** Counts one proof-of-work send to `range`. */
  countSend(range: string): Promise<void>;
}

export function difficulty({
  store,
  keyPrefix,
  levels,
  cooldownSeconds = DEFAULTS.pow.cooldownSeconds,
  ipSteps = DEFAULTS.pow.ipSteps,
  rangeSteps = DEFAULTS.pow.rangeSteps,
  siteSteps = DEFAULTS.pow.siteSteps,
  now = Date.now,
}: DifficultyOptions): Difficulty {
  const windowMs = cooldownSeconds * 1000;
  const keyOf = storeKeys(keyPrefix).powTraffic;

  // The sliding-window estimate: this window's count plus the previous one's, weighted by how
  // much of it still lies within the last `windowMs`.
  const estimate = async (kind: string, subject: string, count: boolean): Promise<number> => {
    const t = now();
    const index = Math.floor(t / windowMs);
    const [current, previous] = await Promise.all([
      count ? store.increment(keyOf(kind, subject, index), 2 * windowMs).then((r) => r.count) : store.get(keyOf(kind, subject, index)).then(Number),
      store.get(keyOf(kind, subject, index - 1)).then(Number),
    ]);
    return current + previous * (1 - (t % windowMs) / windowMs);
  };
  const levelOf = (traffic: number, steps: readonly number[]) => {
    let level = 0;
    steps.forEach((step, i) => {
      if (step > 0 && traffic >= step) level = i + 1;
    });
    return Math.min(level, levels - 1);
  };
  const anyOn = (steps: readonly number[]) => steps.some((s) => s > 0);
  const rangeLevel = async (range: string) => (anyOn(rangeSteps) ? levelOf(await estimate('range', range, false), rangeSteps) : 0);

  return {
    async challengeLevel({ ip }, range) {
      const [byIp, bySite, byRange] = await Promise.all([
        ip !== undefined && anyOn(ipSteps) ? estimate('ip', ip, true).then((n) => levelOf(n, ipSteps)) : 0,
        anyOn(siteSteps) ? estimate('site', 'all', true).then((n) => levelOf(n, siteSteps)) : 0,
        range === undefined ? 0 : rangeLevel(range),
      ]);
      return Math.max(byIp, bySite, byRange);
    },
    rangeLevel,
    async countSend(range) {
      if (anyOn(rangeSteps)) await estimate('range', range, true);
    },
  };
}
