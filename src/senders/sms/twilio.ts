// Twilio Programmable Messaging: one POST to the Messages resource of the 2010-04-01 REST API per
// code, form-encoded, authenticated with HTTP Basic (Account SID and Auth Token).

import { SendError } from '../../core/types.ts';
import type { SendErrorKind, SmsMessage, SmsSender } from '../../core/types.ts';
import { parseJsonObject, providerRequest } from './provider-request.ts';
import { scrub } from './redact.ts';

interface TwilioCommonOptions {
  /** `AC…`. */
  accountSid: string;
  authToken: string;
  /** The message text. Default: `Your verification code is 123456. It expires in 5 minutes.` */
  body?: (message: SmsMessage) => string;
  /** Default: `https://api.twilio.com`. */
  baseUrl?: string;
  /** Default: 5000. */
  timeoutMs?: number;
  /** Default: the global `fetch`. */
  fetch?: typeof globalThis.fetch;
}

/** Exactly one of `from` (a Twilio number or sender ID) and `messagingServiceSid` (`MG…`). */
export type TwilioSenderOptions = TwilioCommonOptions &
  ({ from: string; messagingServiceSid?: undefined } | { messagingServiceSid: string; from?: undefined });

/**
 * A sender that creates one Message per code. A 2xx answer (Twilio's is 201 Created) is success;
 * HTTP 429 or error 20429 is `throttled`; errors 21211, 21408, 21610 and 21614 (a number that
 * cannot receive this SMS) are `invalid_recipient`; 20003, 20404, 21212, 21606 and HTTP 401
 * (credentials or sender) are `config`; 5xx is `retryable`; anything else is `rejected`.
 */
export function twilioSender({
  accountSid,
  authToken,
  from,
  messagingServiceSid,
  body = (m) => `Your verification code is ${m.code}. It expires in ${Math.round(m.ttlSeconds / 60)} minutes.`,
  baseUrl = 'https://api.twilio.com',
  timeoutMs = 5000,
  fetch = globalThis.fetch,
}: TwilioSenderOptions): SmsSender {
  if (!accountSid) throw new TypeError('twilioSender: `accountSid` is required');
  if (!authToken) throw new TypeError('twilioSender: `authToken` is required');
  if (!from === !messagingServiceSid) throw new TypeError('twilioSender: give exactly one of `from` and `messagingServiceSid`');
  const url = `${baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`;
  const authorization = 'Basic ' + Buffer.from(`${accountSid}:${authToken}`, 'utf8').toString('base64');
  return {
    name: 'twilio',
    async send(message: SmsMessage) {
      const form = new URLSearchParams({ To: message.to });
      if (from) form.set('From', from);
      else form.set('MessagingServiceSid', messagingServiceSid ?? '');
      form.set('Body', body(message));
      const { status, text } = await providerRequest('twilio', fetch, url, {
        method: 'POST',
        headers: { Authorization: authorization, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: form.toString(),
      }, timeoutMs);
      if (status >= 200 && status < 300) return;

      const error = parseJsonObject(text);
      const code = typeof error?.code === 'number' ? error.code : undefined;
      const detail = typeof error?.message === 'string' ? scrub(error.message, [authToken, message.code, message.to]) : '';
      throw new SendError(twilioErrorKind(code, status), `twilio: ${code === undefined ? 'error' : `error ${code}`} (HTTP ${status})${detail ? ': ' + detail : ''}`, {
        providerCode: code === undefined ? undefined : String(code),
      });
    },
  };
}

const INVALID_RECIPIENT = new Set([21211, 21408, 21610, 21614]);
const CONFIG = new Set([20003, 20404, 21212, 21606]);

function twilioErrorKind(code: number | undefined, status: number): SendErrorKind {
  if (status === 429 || code === 20429) return 'throttled';
  if (code !== undefined && INVALID_RECIPIENT.has(code)) return 'invalid_recipient';
  if ((code !== undefined && CONFIG.has(code)) || status === 401) return 'config';
  return status >= 500 ? 'retryable' : 'rejected';
}
