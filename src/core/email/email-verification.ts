// The email flow: one mail carries a 6-digit code and a confirm link. The code is checked like
// an SMS code; the link's token (256 random bits, stored hashed, single-use) is consumed only
// by a POST, and a confirmation is then handed once to the app's back end.

import { randomBytes } from 'node:crypto';
import { oneTimeCodes, type CodeCheck, type OneTimeCodeOptions } from '../codes/one-time-codes.ts';
import { VerifyError } from '../../errors.ts';
import { digest } from '../hmac.ts';
import { fixedWindowLimit } from '../limits/fixed-window.ts';
import { sendGate, type SendGateOptions } from '../limits/send-gate.ts';
import { deliveryQueue, type DeliveryOutcome } from '../delivery-queue.ts';
import type { EmailMessage, EmailSender, Locale, Purpose, SendError } from '../types.ts';
import type { Store } from '../../stores/store.ts';
import { storeKeys } from '../keys.ts';
import type { Receipts } from '../receipts.ts';
import type { ClientContext } from '../verifier.ts';
import type { ProofOfWork } from '../pow/proof-of-work.ts';
import { requireSendProof, type CaptchaChecker, type SendProof, type SendRequirement } from '../pow/send-proof.ts';
import { canonicalMailbox, normaliseEmail } from './address.ts';
import { DEFAULTS } from '../defaults.ts';

export interface EmailVerificationOptions {
  store: Store;
  secret: Buffer;
  keyPrefix?: string;
  sender: EmailSender;
  captchas: CaptchaChecker;
  /** Signs the receipts a correct code and a confirmed link earn. */
  receipts: Receipts;
  /** Whether a send must show anything at all (`require`); false: nothing is asked. */
  requireCaptcha?: boolean;
  /** What a send must show: a solved captcha (default), a proof of work, or both. */
  require?: SendRequirement;
  /** Checks proof-of-work payloads (the `pow` field). */
  pow: ProofOfWork;
  /**
   * The absolute URL of the confirm page for a link's token, put in the mail. The door that
   * serves that page supplies it (the service: confirmLink in pages/confirm-page.ts), so the
   * core knows no route.
   */
  confirmLink: (token: string) => string;
  codes?: Pick<OneTimeCodeOptions, 'ttlSeconds' | 'maxAttempts' | 'failuresBeforeLock' | 'lockSeconds'>;
  linkTtlSeconds?: number;
  limits?: Omit<SendGateOptions, 'store' | 'channel' | 'keyPrefix' | 'perPrefix'>;
  checkRateLimit?: number;
  onDelivery?: (event: { to: string; outcome: DeliveryOutcome; error?: SendError }) => void;
}

export interface EmailSendRequest extends SendProof {
  email: string;
  purpose: Purpose;
  locale?: Locale;
}

/** The action a send's proof-of-work challenge must have been fetched for. */
export const EMAIL_SEND_ACTION = 'email-send';

export interface EmailVerification {
  /**
   * Checks and spends what `require` asks for (see requireSendProof), validates the address, applies the limits and queues the
   * mail. The mail goes to the address as given (normalised); limits and the code belong to the
   * mailbox it reaches (see canonicalMailbox), whatever spelling asked.
   */
  send(request: EmailSendRequest, client?: ClientContext): Promise<{ expiresIn: number }>;
  /**
   * Checks a code of the mailbox `email` reaches: any spelling of that mailbox checks its code.
   * A correct code earns a receipt bound to the mailbox, the purpose and the client's site.
   */
  check(request: { email: string; purpose: Purpose; code: string; cdata?: string }, client?: ClientContext): Promise<CodeCheck & { receipt?: string }>;
  /** Whether `token` is live, without consuming it (for the GET page). */
  peekToken(token: string): Promise<boolean>;
  /**
   * Consumes the token and records the mailbox as confirmed for its purpose; returns the
   * address the mail was sent to and a receipt (channel `email-link`) for the application's
   * back end. Throws TOKEN_INVALID for an unknown, expired or used token.
   */
  confirm(token: string, client?: ClientContext): Promise<{ email: string; purpose: Purpose; receipt: string }>;
  /**
   * Hands a recorded confirmation of the mailbox `email` reaches (in any spelling) to the app's
   * back end once: true the first time, then false.
   */
  takeConfirmation(email: string, purpose: Purpose): Promise<boolean>;
  drain(timeoutMs?: number): Promise<void>;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function emailVerification({
  store,
  secret,
  keyPrefix,
  sender,
  captchas,
  receipts,
  requireCaptcha = true,
  require: requirement = 'captcha',
  pow,
  confirmLink,
  codes: codeOptions = {},
  linkTtlSeconds = DEFAULTS.email.linkTtlSeconds,
  limits = {},
  checkRateLimit = DEFAULTS.email.checkRateLimit,
  onDelivery,
}: EmailVerificationOptions): EmailVerification {
  const codes = oneTimeCodes({ store, secret, channel: 'email', keyPrefix, ttlSeconds: DEFAULTS.email.codeTtlSeconds, ...codeOptions });
  const gate = sendGate({ store, channel: 'email', keyPrefix, ...limits });
  const checkLimit = fixedWindowLimit(store, { name: 'email-check-ip', max: checkRateLimit, windowMs: 60_000, keyPrefix });
  const queue = deliveryQueue<EmailMessage>({
    send: (message) => sender.send(message),
    onOutcome: (message, outcome, error) => onDelivery?.({ to: message.to, outcome, ...(error ? { error } : {}) }),
  });
  const keys = storeKeys(keyPrefix);
  const tokenKey = (token: string) => keys.emailToken(digest(secret, 'email-token', token));
  const confirmedKey = keys.emailConfirmed;
  // Mail goes to the address as typed; everything else is keyed on the mailbox it reaches, so
  // `Victim@`, `victim+x@` and Gmail's dotted spellings share one set of limits, codes and locks.
  const recipient = (input: string) => {
    const deliverTo = normaliseEmail(input);
    if (deliverTo === null) throw new VerifyError('INVALID_EMAIL');
    return { deliverTo, mailbox: canonicalMailbox(deliverTo) };
  };

  return {
    async send({ email: input, purpose, captcha, pow: payload, locale = 'en' }, client = {}) {
      if (requireCaptcha) await requireSendProof({ captcha, pow: payload }, { requirement, action: EMAIL_SEND_ACTION, captchas, pow }, client);
      const { deliverTo, mailbox } = recipient(input);
      await gate.acquire({ recipient: mailbox, ip: client.ip });
      const code = await codes.issue(mailbox, purpose);
      const token = randomBytes(32).toString('base64url');
      await store.set(tokenKey(token), JSON.stringify({ email: deliverTo, purpose }), linkTtlSeconds * 1000);
      queue.push({ to: deliverTo, code, confirmUrl: confirmLink(token), purpose, ttlSeconds: codes.ttlSeconds, linkTtlSeconds, locale });
      return { expiresIn: codes.ttlSeconds };
    },
    async check({ email, purpose, code, cdata = '' }, client = {}) {
      if (client.ip !== undefined) await checkLimit.hit(client.ip);
      const { mailbox } = recipient(email);
      const result = await codes.check(mailbox, purpose, code);
      if (!result.valid) return result;
      return { ...result, receipt: receipts.issue({ channel: 'email', action: purpose, recipient: mailbox, hostname: client.site ?? '', cdata }) };
    },
    async peekToken(token) {
      return TOKEN.test(token) && (await store.get(tokenKey(token))) !== null;
    },
    async confirm(token, client = {}) {
      const record = TOKEN.test(token) ? await store.take(tokenKey(token)) : null;
      if (record === null) throw new VerifyError('TOKEN_INVALID');
      const { email, purpose } = JSON.parse(record) as { email: string; purpose: Purpose };
      const { mailbox } = recipient(email);
      await store.set(confirmedKey(mailbox, purpose), String(Date.now()), linkTtlSeconds * 1000);
      return { email, purpose, receipt: receipts.issue({ channel: 'email-link', action: purpose, recipient: mailbox, hostname: client.site ?? '', cdata: '' }) };
    },
    async takeConfirmation(email, purpose) {
      return (await store.take(confirmedKey(recipient(email).mailbox, purpose))) !== null;
    },
    drain: (timeoutMs) => queue.drain(timeoutMs),
  };
}
