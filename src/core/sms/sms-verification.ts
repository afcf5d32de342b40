// The SMS flow: a solved captcha (or a proof of work, or both) buys one send of a 6-digit code to a validated number, within
// the send limits; the code is checked with an attempt limit. Delivery happens after the
// response through the queue, and the provider's verdicts feed back into later requests.

import { VerifyError } from '../../errors.ts';
import { oneTimeCodes, type CodeCheck, type OneTimeCodeOptions } from '../codes/one-time-codes.ts';
import { fixedWindowLimit } from '../limits/fixed-window.ts';
import { sendGate, type SendGateOptions } from '../limits/send-gate.ts';
import { deliveryQueue, type DeliveryOutcome } from '../delivery-queue.ts';
import type { Locale, Purpose, SendError, SmsMessage, SmsSender } from '../types.ts';
import type { Store } from '../../stores/store.ts';
import { storeKeys } from '../keys.ts';
import type { Receipts } from '../receipts.ts';
import type { ClientContext } from '../verifier.ts';
import type { ProofOfWork } from '../pow/proof-of-work.ts';
import { requireSendProof, type CaptchaChecker, type SendProof, type SendRequirement } from '../pow/send-proof.ts';
import { parsePhone, type PhoneRules } from './phone.ts';
import { DEFAULTS } from '../defaults.ts';

export interface SmsVerificationOptions {
  store: Store;
  secret: Buffer;
  keyPrefix?: string;
  sender: SmsSender;
  captchas: CaptchaChecker;
  /** Checks proof-of-work payloads (the `pow` field) and prices challenges by number range. */
  pow: ProofOfWork;
  /** What a send must show: a solved captcha (default), a proof of work, or both. */
  require?: SendRequirement;
  /** Signs the receipt a correct code earns. */
  receipts: Receipts;
  phone?: PhoneRules;
  codes?: Pick<OneTimeCodeOptions, 'ttlSeconds' | 'maxAttempts' | 'failuresBeforeLock' | 'lockSeconds'>;
  limits?: Omit<SendGateOptions, 'store' | 'channel' | 'keyPrefix'>;
  /** Code checks per client IP per minute; 0 = off. */
  checkRateLimit?: number;
  /** E.164 number → fixed code. Such numbers are never sent anything and skip the send limits. */
  testNumbers?: ReadonlyMap<string, string>;
  /** Told of each delivery's final outcome, for logs and metrics. Never given the code. */
  onDelivery?: (event: { to: string; outcome: DeliveryOutcome; error?: SendError }) => void;
}

export interface SmsSendRequest extends SendProof {
  phone: string;
  purpose: Purpose;
  locale?: Locale;
}

/** The action a send's proof-of-work challenge must have been fetched for. */
export const SMS_SEND_ACTION = 'sms-send';

export interface SmsVerification {
  /**
   * Checks and spends what `require` asks for (see requireSendProof), validates the number,
   * applies the send limits, makes a new code (the previous one dies) and queues it for
   * delivery. Resolves before the provider is called.
   */
  send(request: SmsSendRequest, client?: ClientContext): Promise<{ expiresIn: number; resendAfter: number }>;
  /**
   * Checks a code for its own purpose only (see OneTimeCodes.check). A correct code earns a
   * receipt bound to the number, the purpose and the client's site.
   */
  check(request: { phone: string; purpose: Purpose; code: string; cdata?: string }, client?: ClientContext): Promise<CodeCheck & { receipt?: string }>;
  /** Waits for queued deliveries, e.g. at shutdown. */
  drain(timeoutMs?: number): Promise<void>;
}

const REJECTED_FOR_MS = 24 * 3_600_000;
const THROTTLED_FOR_MS = 3_600_000;

export function smsVerification({
  store,
  secret,
  keyPrefix,
  sender,
  captchas,
  pow,
  require: requirement = 'captcha',
  receipts,
  phone: phoneRules = {},
  codes: codeOptions = {},
  limits = {},
  checkRateLimit = DEFAULTS.sms.checkRateLimit,
  testNumbers = new Map(),
  onDelivery,
}: SmsVerificationOptions): SmsVerification {
  const codes = oneTimeCodes({ store, secret, channel: 'sms', keyPrefix, ttlSeconds: DEFAULTS.sms.codeTtlSeconds, ...codeOptions });
  const gate = sendGate({ store, channel: 'sms', keyPrefix, ...limits });
  const checkLimit = fixedWindowLimit(store, { name: 'sms-check-ip', max: checkRateLimit, windowMs: 60_000, keyPrefix });
  const resendAfter = limits.resendAfterSeconds ?? DEFAULTS.send.resendAfterSeconds;
  const feedbackKey = storeKeys(keyPrefix).providerFeedback;

  const queue = deliveryQueue<SmsMessage>({
    send: (message) => sender.send(message),
    onOutcome: (message, outcome, error) => {
      onDelivery?.({ to: message.to, outcome, ...(error ? { error } : {}) });
      // Remember what the provider said about this number, so later requests get a clear answer.
      if (error?.kind === 'invalid_recipient') void store.set(feedbackKey(message.to, 'rejected'), '1', REJECTED_FOR_MS).catch(() => {});
      if (error?.kind === 'throttled') void store.set(feedbackKey(message.to, 'throttled'), String(Date.now() + THROTTLED_FOR_MS), THROTTLED_FOR_MS).catch(() => {});
    },
  });

  return {
    async send({ phone: input, purpose, captcha, pow: payload, locale = 'zh-CN' }, client = {}) {
      // The range's traffic prices a proof of work; a number that does not parse fails below, as before.
      const range = requirement === 'captcha' ? undefined : rangeOf(input, phoneRules);
      await requireSendProof({ captcha, pow: payload }, { requirement, action: SMS_SEND_ACTION, range, captchas, pow }, client);
      const phone = parsePhone(input, phoneRules);

      const fixed = testNumbers.get(phone.e164);
      if (fixed !== undefined) {
        await codes.issue(phone.e164, purpose, fixed);
        return { expiresIn: codes.ttlSeconds, resendAfter };
      }

      if ((await store.get(feedbackKey(phone.e164, 'rejected'))) !== null) throw new VerifyError('RECIPIENT_REJECTED');
      const throttledUntil = await store.get(feedbackKey(phone.e164, 'throttled'));
      if (throttledUntil !== null) {
        throw new VerifyError('PROVIDER_THROTTLED', { retryAfter: Math.max(1, Math.ceil((Number(throttledUntil) - Date.now()) / 1000)) });
      }

      await gate.acquire({ recipient: phone.e164, ip: client.ip, prefix: phone.prefix });
      const code = await codes.issue(phone.e164, purpose);
      queue.push({ to: phone.e164, code, purpose, ttlSeconds: codes.ttlSeconds, locale });
      return { expiresIn: codes.ttlSeconds, resendAfter };
    },
    async check({ phone: input, purpose, code, cdata = '' }, client = {}) {
      if (client.ip !== undefined) await checkLimit.hit(client.ip);
      const phone = parsePhone(input, phoneRules);
      const result = await codes.check(phone.e164, purpose, code);
      if (!result.valid) return result;
      return { ...result, receipt: receipts.issue({ channel: 'sms', action: purpose, recipient: phone.e164, hostname: client.site ?? '', cdata }) };
    },
    drain: (timeoutMs) => queue.drain(timeoutMs),
  };
}

function rangeOf(input: string, rules: PhoneRules): string | undefined {
  try {
    return parsePhone(input, rules).prefix;
  } catch {
    return undefined;
  }
}
