// Hands each message to your own HTTP endpoint, signed the Standard Webhooks way
// (https://www.standardwebhooks.com), so any SMS gateway can be plugged in behind a small receiver
// that verifies the signature with an off-the-shelf library.

import { createHmac, randomBytes } from 'node:crypto';
import { SendError } from '../../core/types.ts';
import type { SmsMessage, SmsSender } from '../../core/types.ts';
import { providerRequest } from './provider-request.ts';

export interface WebhookSenderOptions {
  /** The receiver's URL; it is never put into error messages (it may carry a token). */
  url: string;
  /** `whsec_` followed by the base64 of 24 to 64 random bytes, as Standard Webhooks prescribes. */
  secret: string;
  /** How long to wait for the receiver's answer. Default: 5000. */
  timeoutMs?: number;
  /** Default: the global `fetch`. */
  fetch?: typeof globalThis.fetch;
}

/** The JSON body the receiver gets. `data.code` is the plain code: the receiver sends it on. */
export interface WebhookPayload {
  type: 'sms.code';
  /** ISO 8601, the same instant as the `webhook-timestamp` header. */
  timestamp: string;
  data: { to: string; code: string; purpose: SmsMessage['purpose']; ttl_seconds: number; locale: SmsMessage['locale'] };
}

/**
 * A sender that POSTs a `WebhookPayload` with the `webhook-id`, `webhook-timestamp` and
 * `webhook-signature` headers. A 2xx answer is success; 429 is `throttled`; 408 and 5xx are
 * `retryable` (each attempt gets a new `webhook-id`); 3xx, 401, 403, 404 and 410 are `config`
 * (wrong URL or secret); other statuses are `rejected`. Throws at once on a malformed secret.
 */
export function webhookSender({ url, secret, timeoutMs = 5000, fetch = globalThis.fetch }: WebhookSenderOptions): SmsSender {
  if (!url) throw new TypeError('webhookSender: `url` is required');
  const key = webhookKey(secret);
  return {
    name: 'webhook',
    async send({ to, code, purpose, ttlSeconds, locale }: SmsMessage) {
      const now = new Date();
      const id = 'msg_' + randomBytes(18).toString('base64url');
      const timestamp = Math.floor(now.getTime() / 1000);
      const payload: WebhookPayload = {
        type: 'sms.code',
        timestamp: now.toISOString(),
        data: { to, code, purpose, ttl_seconds: ttlSeconds, locale },
      };
      const body = JSON.stringify(payload);
      const { status } = await providerRequest('webhook', fetch, url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWithKey(key, id, timestamp, body),
        },
        body,
      }, timeoutMs);
      if (status >= 200 && status < 300) return;
      throw new SendError(kindForStatus(status), `webhook: the receiver answered HTTP ${status}`, { providerCode: String(status) });
    },
  };
}

/**
 * The `webhook-signature` header value for one message: `v1,` + base64(HMAC-SHA256(key,
 * `${id}.${timestamp}.${body}`)), the key being the base64-decoded part of the `whsec_` secret.
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  return signWithKey(webhookKey(secret), id, timestamp, body);
}

function signWithKey(key: Buffer, id: string, timestamp: number, body: string): string {
  return 'v1,' + createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
}

/** The key a Standard Webhooks secret (`whsec_` + base64 of 24 to 64 bytes) encodes; throws a TypeError for anything else. */
export function webhookKey(secret: string): Buffer {
  const encoded = typeof secret === 'string' && secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : undefined;
  const key = encoded !== undefined && /^[A-Za-z0-9+/]+={0,2}$/.test(encoded) ? Buffer.from(encoded, 'base64') : undefined;
  if (key === undefined || key.length < 24 || key.length > 64) {
    throw new TypeError('webhookSender: `secret` must be `whsec_` followed by the base64 of 24 to 64 bytes');
  }
  return key;
}

function kindForStatus(status: number): SendError['kind'] {
  if (status === 429) return 'throttled';
  if (status === 408 || status >= 500) return 'retryable';
  if ((status >= 300 && status < 400) || [401, 403, 404, 410].includes(status)) return 'config';
  return 'rejected';
}
