// Every store key verifyd writes, built in one place from one prefix. The strings are a stored
// format: Redis data of a running deployment (and the django layout a Django back end reads)
// stays valid only while they stay the same, which test/core/keys.test.ts pins.
//
// Keys of one recipient carry the recipient in a hash tag (`{…}`), so a Redis Cluster keeps all
// of them in one slot and each atomic step's keys share it.

import type { CodeKeys } from '../stores/store.ts';
import type { Layout, Purpose } from './types.ts';
import { DEFAULTS } from './defaults.ts';

/** The prefix of every key in the verifyd layout (`--key-prefix`). */
export const DEFAULT_KEY_PREFIX = DEFAULTS.keyPrefix;

export type Channel = 'sms' | 'email';

export interface StoreKeys {
  readonly prefix: string;
  /** A captcha's answer. The django layout uses the uuid itself, as the seed's back end reads it. */
  captcha(id: string, layout?: Layout): string;
  /** A fixed-window counter of `subject` (a client address, say) for the limit `name`. */
  limit(name: string, subject: string): string;
  /** A one-time code of `recipient` for `purpose`, with its attempt, failure and lock keys. */
  code(channel: Channel, recipient: string, purpose: Purpose): CodeKeys;
  /** The resend interval of `recipient`'s send slot. */
  resend(channel: Channel, recipient: string): string;
  /** `recipient`'s sends in the window of `windowMs`. */
  sent(channel: Channel, recipient: string, windowMs: number): string;
  /** A send counter that is not a recipient's: per client (`ip`), number prefix or daily budget. */
  sendLimit(channel: Channel, kind: 'ip' | 'prefix' | 'budget', subject: string, windowMs: number): string;
  /** What the SMS provider last said about a number: rejected it, or throttled it. */
  providerFeedback(e164: string, what: 'rejected' | 'throttled'): string;
  /** An email confirm link's token, by its HMAC (the token itself is never stored). */
  emailToken(tokenHmac: string): string;
  /** A confirmed link of `mailbox` for `purpose`, until the back end takes it. */
  emailConfirmed(mailbox: string, purpose: Purpose): string;
  /** Proof-of-work traffic of `kind` from `subject` in the window numbered `index`. */
  powTraffic(kind: string, subject: string, index: number): string;
  /** A spent proof-of-work challenge. */
  powSpent(challengeId: string): string;
  /** A redeemed receipt. */
  receipt(id: string): string;
}

/** The key builder for `prefix` (default `verifyd:`). */
export function storeKeys(prefix: string = DEFAULT_KEY_PREFIX): StoreKeys {
  const recipientBase = (channel: Channel, recipient: string) => `${prefix}${channel}:{${recipient}}`;
  return {
    prefix,
    captcha: (id, layout = 'verifyd') => (layout === 'django' ? id : `${prefix}captcha:${id.toLowerCase()}`),
    limit: (name, subject) => `${prefix}limit:${name}:${subject}`,
    code(channel, recipient, purpose) {
      const base = recipientBase(channel, recipient);
      return { code: `${base}:code:${purpose}`, attempts: `${base}:attempts:${purpose}`, failures: `${base}:failures`, lock: `${base}:lock` };
    },
    resend: (channel, recipient) => `${recipientBase(channel, recipient)}:resend`,
    sent: (channel, recipient, windowMs) => `${recipientBase(channel, recipient)}:sent:${windowMs}`,
    sendLimit: (channel, kind, subject, windowMs) => `${prefix}${channel}:limit:${kind}:${subject}:${windowMs}`,
    providerFeedback: (e164, what) => `${recipientBase('sms', e164)}:provider-${what}`,
    emailToken: (tokenHmac) => `${prefix}email:token:${tokenHmac}`,
    emailConfirmed: (mailbox, purpose) => `${recipientBase('email', mailbox)}:confirmed:${purpose}`,
    powTraffic: (kind, subject, index) => `${prefix}pow-traffic:${kind}:{${subject}}:${index}`,
    powSpent: (challengeId) => `${prefix}pow:${challengeId}`,
    receipt: (id) => `${prefix}receipt:${id}`,
  };
}
