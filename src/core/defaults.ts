// The defaults, in one place: the core's factories take theirs from here, and config.ts's OPTIONS
// table (the service's flags, the README's options block) shows the same numbers. Where the
// service deliberately differs from the library (per-IP captcha limits, the number-range limit),
// OPTIONS says so itself.

import type { CaptchaType } from '../captcha/challenge.ts';
import type { ImageFormat } from '../captcha/render.ts';
import type { Layout } from './types.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const DEFAULTS = {
  /** The prefix of every store key in the verifyd layout. */
  keyPrefix: 'verifyd:' as string,
  layout: 'verifyd' as Layout,
  captcha: {
    ttlSeconds: 300,
    length: 4,
    width: 160,
    height: 60,
    format: 'jpeg' as ImageFormat,
    // Audio, spoken digits, is the accessible alternative WCAG 2.2 asks for; it has its own, stricter limit.
    types: ['text', 'audio'] as readonly CaptchaType[],
    type: 'text' as CaptchaType,
  },
  /** Receipt lifetime in seconds (also the most it may be). */
  receiptTtlSeconds: 300,
  /** One-time codes, SMS and email alike. */
  codes: { digits: 6, maxAttempts: 5, failuresBeforeLock: 10, lockSeconds: 600 },
  /** The send gate in front of every code sent, SMS and email alike. */
  send: {
    /** Seconds between two sends to one recipient. */
    resendAfterSeconds: 60,
    perRecipient: [
      { max: 5, windowMs: HOUR },
      { max: 10, windowMs: DAY },
    ] as readonly { max: number; windowMs: number }[],
    perIp: [
      { max: 5, windowMs: 60_000 },
      { max: 20, windowMs: HOUR },
    ] as readonly { max: number; windowMs: number }[],
  },
  sms: { codeTtlSeconds: 300, checkRateLimit: 30 },
  email: { codeTtlSeconds: 600, linkTtlSeconds: 3600, checkRateLimit: 30 },
  pow: {
    ttlSeconds: 300,
    levels: [1, 3, 5, 10] as readonly number[],
    deviceRate: 1_000_000,
    captchaLevel: 3,
    cooldownSeconds: 600,
    ipSteps: [20, 50, 100] as readonly number[],
    rangeSteps: [10, 30, 100] as readonly number[],
    siteSteps: [2000, 10_000, 50_000] as readonly number[],
  },
};
