// The limits in front of every code sent: per client IP, then the recipient's send slot (the
// resend interval and the per-recipient windows, taken in one store step), then the number
// prefix and a global daily budget. Each refusal is a 429 with its own code and Retry-After.

import { VerifyError, type ErrorCode } from '../../errors.ts';
import { MAX_SEND_WINDOWS, type Store } from '../../stores/store.ts';
import { storeKeys } from '../keys.ts';
import { DEFAULTS } from '../defaults.ts';

export interface Window {
  /** Sends allowed in the window; 0 turns this window off. */
  max: number;
  windowMs: number;
}

export interface SendGateOptions {
  store: Store;
  channel: 'sms' | 'email';
  keyPrefix?: string;
  /** Seconds between two sends to one recipient. */
  resendAfterSeconds?: number;
  perRecipient?: readonly Window[];
  perIp?: readonly Window[];
  perPrefix?: Window[];
  /** Sends per UTC day across all recipients; 0 = no budget. */
  dailyBudget?: number;
  now?: () => number;
}

export interface SendRequest {
  recipient: string;
  ip?: string;
  /** The number without its last four digits, for SMS. */
  prefix?: string;
}

export interface SendGate {
  /** Throws the first limit `request` hits; otherwise counts it as a send. */
  acquire(request: SendRequest): Promise<void>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function sendGate({
  store,
  channel,
  keyPrefix,
  resendAfterSeconds = DEFAULTS.send.resendAfterSeconds,
  perRecipient = DEFAULTS.send.perRecipient,
  perIp = DEFAULTS.send.perIp,
  perPrefix = [],
  dailyBudget = 0,
  now = Date.now,
}: SendGateOptions): SendGate {
  // The recipient's windows are taken in one store step, which counts in a bounded number of them.
  if (perRecipient.length > MAX_SEND_WINDOWS) throw new RangeError(`perRecipient may list at most ${MAX_SEND_WINDOWS} windows`);
  const keys = storeKeys(keyPrefix);
  const count = async (kind: 'ip' | 'prefix' | 'budget', subject: string, windows: readonly Window[], code: ErrorCode) => {
    for (const { max, windowMs } of windows) {
      if (max === 0) continue;
      const { count: n, ttlMs } = await store.increment(keys.sendLimit(channel, kind, subject, windowMs), windowMs);
      if (n > max) throw new VerifyError(code, { retryAfter: Math.max(1, Math.ceil(ttlMs / 1000)) });
    }
  };

  return {
    async acquire({ recipient, ip, prefix }) {
      // Per IP first: a client over its limit must not be able to hold other people's resend slot.
      if (ip !== undefined) await count('ip', ip, perIp, 'SEND_LIMIT_IP');
      // The interval and the recipient's windows in one step: concurrent sends to one recipient
      // cannot both pass, and a refused send holds no slot and counts in no window.
      const windows = perRecipient.map(({ max, windowMs }) => ({ key: keys.sent(channel, recipient, windowMs), max, windowMs }));
      const slot = await store.takeSendSlot(keys.resend(channel, recipient), resendAfterSeconds * 1000, windows);
      if (!slot.ok) {
        throw new VerifyError(slot.refusedBy === 'interval' ? 'SEND_TOO_SOON' : 'SEND_LIMIT_RECIPIENT', { retryAfter: Math.max(1, Math.ceil(slot.retryAfterMs / 1000)) });
      }
      if (prefix !== undefined) await count('prefix', prefix, perPrefix, 'SEND_LIMIT_PREFIX');
      if (dailyBudget > 0) {
        const day = new Date(now()).toISOString().slice(0, 10);
        await count('budget', day, [{ max: dailyBudget, windowMs: DAY }], 'SEND_BUDGET_EXHAUSTED');
      }
    },
  };
}
