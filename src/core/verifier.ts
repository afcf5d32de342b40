// The core: issues and checks captchas on a Store. No HTTP here; the server and the CLI are
// thin doors onto this object.

import { createHmac, randomInt, randomUUID } from 'node:crypto';
import { VerifyError } from '../errors.ts';
import {
  answerSchema,
  anyStringSchema,
  captchaIdSchema,
  captchaIssueSchema,
  checkInput,
  clientSchema,
  emailCheckSchema,
  emailConfirmedSchema,
  emailSendSchema,
  powChallengeSchema,
  powVerifyExpectSchema,
  receiptRequestSchema,
  receiptTokenSchema,
  redeemOptionsSchema,
  smsCheckSchema,
  smsSendSchema,
  tokenSchema,
} from './schemas.ts';
import { digest, sameDigest } from './hmac.ts';
import { DEFAULT_ALPHABET, normaliseAnswer } from '../captcha/alphabet.ts';
import { blindGuessRate, makeChallenge, MAX_BLIND_GUESS_RATE, type CaptchaType } from '../captcha/challenge.ts';
import { MEDIA_TYPES, renderCaptcha, type ImageFormat, type RenderOptions } from '../captcha/render.ts';
import { AUDIO_MEDIA_TYPE, renderAudioCaptcha } from '../captcha/audio/render.ts';
import type { AudioLanguage } from '../captcha/audio/voices.ts';
import type { CaptchaFont } from '../captcha/font.ts';
import { deploymentStyle } from '../captcha/style.ts';
import { isCanonicalUuid } from '../captcha/uuid.ts';
import { fixedWindowLimit } from './limits/fixed-window.ts';
import type { Store } from '../stores/store.ts';
import type { Layout } from './types.ts';
import { storeKeys } from './keys.ts';
import { derivedReceiptKey, receipts, type ReceiptOptions, type RedeemOptions, type Redemption } from './receipts.ts';
import { canonicalMailbox, normaliseEmail } from './email/address.ts';
import { parsePhone, preloadPhoneMetadata } from './sms/phone.ts';
import { emailVerification, type EmailVerification, type EmailVerificationOptions } from './email/email-verification.ts';
import { smsVerification, type SmsVerification, type SmsVerificationOptions } from './sms/sms-verification.ts';
import { proofOfWork, type IssuedChallenge, type ProofOfWork, type ProofOfWorkOptions } from './pow/proof-of-work.ts';
import { DEFAULTS } from './defaults.ts';

export interface CaptchaSettings {
  ttlSeconds?: number;
  length?: number;
  width?: number;
  height?: number;
  format?: ImageFormat;
  alphabet?: string;
  /**
   * The kinds a request may ask for (default `['text', 'audio']`): which kinds are offered is the
   * operator's choice, not the client's. Each must be answered blind at most once in 1,000
   * (see blindGuessRate), or createVerifier throws.
   */
  types?: readonly CaptchaType[];
  /** The kind of captcha when a request names none (default `text`); one of `types`. */
  type?: CaptchaType;
}

export interface VerifierOptions {
  store: Store;
  /** HMAC key for stored answers; every process sharing a store must use the same one. */
  secret: Buffer;
  /** `verifyd`: prefixed keys holding HMACs. `django`: the seed's layout, key = uuid, value = plain text. */
  layout?: Layout;
  keyPrefix?: string;
  captcha?: CaptchaSettings;
  /** Captchas per client IP per minute (0 = off). */
  captchaRateLimit?: number;
  /**
   * Audio captchas per client IP per minute (0 = off), counted on top of `captchaRateLimit`:
   * a clip costs more to make than an image and is the easier one for a machine.
   */
  audioRateLimit?: number;
  /** Captcha checks per client IP per minute (0 = off). */
  checkRateLimit?: number;
  /**
   * An answer every captcha also accepts (case-insensitive), so an application's end-to-end tests
   * can pass the captcha. The captcha is still consumed by the check. Empty: none; never set it in
   * production (loadConfig refuses it there).
   */
  captchaTestAnswer?: string;
  /**
   * What the deployment style is drawn from besides `secret`: the operator's own faces (see
   * loadFontDir) and how often, in ms, a new style is drawn (0, the default: never).
   */
  captchaStyle?: { fonts?: readonly CaptchaFont[]; periodMs?: number };
  /**
   * Renders text to an image; defaults to the built-in renderer (a worker pool may stand in). Its
   * options carry the deployment style drawn from `secret`, a plain object a worker can receive.
   */
  render?: (text: string, options: RenderOptions) => Promise<Buffer>;
  /**
   * Observer told of every issued captcha with its answer. For tests and embedding programs
   * only: no HTTP route ever exposes it.
   */
  onCaptchaIssued?: (event: { id: string; answer: string; seed: number }) => void;
  /** Told of every captcha check's result, for metrics: `missing` is unknown, expired or used. */
  onCaptchaChecked?: (event: { result: 'valid' | 'wrong' | 'missing' }) => void;
  /** Enables the SMS flow (`verifier.sms`) with this sender and these limits. */
  sms?: Omit<SmsVerificationOptions, 'store' | 'secret' | 'keyPrefix' | 'captchas' | 'receipts' | 'pow'>;
  /** Enables the email flow (`verifier.email`). */
  email?: Omit<EmailVerificationOptions, 'store' | 'secret' | 'keyPrefix' | 'captchas' | 'receipts' | 'pow'>;
  /** Proof-of-work challenges: lifetime, cost, levels and what raises them. */
  pow?: Omit<ProofOfWorkOptions, 'store' | 'secret' | 'keyPrefix' | 'receipts'>;
  /** Receipt signing keys (the first signs) and lifetime; by default one key drawn from `secret`, 300 s. */
  receipts?: Partial<Pick<ReceiptOptions, 'keys' | 'ttlSeconds'>>;
}

/** Who is asking, for rate limits. */
export interface ClientContext {
  /**
   * What per-client limits count. The HTTP routes pass clientSubject(request.ip): an IPv4
   * address or an IPv6 network; a program calling the core directly should do the same.
   */
  ip?: string;
  /** The hostname of the page the request came from (its Origin), bound into receipts. */
  site?: string;
}

/** What the page attaches to a verification, returned to the back end that redeems its receipt. */
export interface ReceiptRequest {
  /** What the captcha was solved for (Turnstile's `action`): 1-32 letters, digits, - or _. */
  action?: string;
  /** Free text for the back end (Turnstile's `cdata`), at most 255 characters. */
  cdata?: string;
}

export interface IssuedCaptcha {
  id: string;
  /** The challenge's bytes: an image, or for the `audio` kind a WAV clip; `mediaType` says which. */
  image: Buffer;
  /** `image/jpeg`, `image/png`, `image/webp` or `audio/wav`. */
  mediaType: string;
  expiresIn: number;
}

export interface CheckResult {
  valid: boolean;
  /** When valid: a signed single-use receipt for the application's back end to redeem. */
  receipt?: string;
}

export interface Verifier {
  /**
   * Draws a fresh captcha and stores its answer for `ttlSeconds`. With `id`, replaces whatever
   * that id held (the seed's refresh); without, a random UUID is made. Throws INVALID_UUID for a
   * malformed id, CAPTCHA_TYPE_NOT_ENABLED for a kind the operator did not enable, and
   * RATE_LIMITED when the client asks too often. `scale: 2` draws the image at twice the
   * configured width and height, for 2× screens. The `audio` kind answers a WAV clip of six
   * spoken digits in `locale` (default `en`; `format` and `scale` do not apply), the same clip for
   * the same secret, id and digits; it has its own, stricter per-client limit.
   */
  issueCaptcha(request?: { id?: string; format?: ImageFormat; type?: CaptchaType; scale?: 1 | 2; locale?: AudioLanguage }, client?: ClientContext): Promise<IssuedCaptcha>;
  /**
   * Checks an answer and deletes the captcha whatever the outcome, so each image gets exactly
   * one guess. Unknown, expired and already-checked ids are all `{ valid: false }`.
   */
  checkCaptcha(id: string, answer: string, client?: ClientContext, receipt?: ReceiptRequest): Promise<CheckResult>;
  /**
   * Redeems a receipt once for the application's back end: checks its signature, expiry and
   * what the back end expects (action, recipient as typed, site) before spending it in one
   * store step. Refusals do not spend it. Rejects with STORE_UNAVAILABLE when the store is down:
   * a receipt is never accepted unchecked.
   */
  redeemReceipt(token: string | undefined, options?: RedeemOptions): Promise<Redemption>;
  /**
   * Issues an ALTCHA challenge for `action`, priced at the level the client's and the site's
   * recent traffic call for, and `phone`'s number range's when given (INVALID_PHONE when it
   * does not parse).
   */
  issuePowChallenge(request: { action?: string; version?: 1 | 2; phone?: string }, client?: ClientContext): Promise<IssuedChallenge>;
  /**
   * Verifies an ALTCHA payload once (see ProofOfWork.verify): signature, expiry and work, then
   * the challenge is spent and a receipt (channel `pow`) returned. Throws the POW_* codes.
   */
  verifyPow(payload: string, expect?: { action?: string }, client?: ClientContext, receipt?: Pick<ReceiptRequest, 'cdata'>): Promise<{ valid: true; level: number; receipt: string }>;
  /** The proof-of-work engine the send flows share. */
  readonly pow: ProofOfWork;
  /** The SMS flow, when configured. */
  readonly sms: SmsVerification | undefined;
  /** The email flow, when configured. */
  readonly email: EmailVerification | undefined;
  readonly store: Store;
  /** Waits for queued deliveries to finish (bounded), e.g. before shutdown. */
  drain(timeoutMs?: number): Promise<void>;
}

export function createVerifier({
  store,
  secret,
  layout = DEFAULTS.layout,
  keyPrefix,
  captcha: {
    ttlSeconds = DEFAULTS.captcha.ttlSeconds,
    length = DEFAULTS.captcha.length,
    width = DEFAULTS.captcha.width,
    height = DEFAULTS.captcha.height,
    format: defaultFormat = DEFAULTS.captcha.format,
    alphabet = DEFAULT_ALPHABET,
    types = DEFAULTS.captcha.types,
    type: defaultType = DEFAULTS.captcha.type,
  } = {},
  captchaRateLimit = 0,
  audioRateLimit = 0,
  checkRateLimit = 0,
  captchaTestAnswer = '',
  captchaStyle = {},
  render = renderCaptcha,
  onCaptchaIssued,
  onCaptchaChecked,
  sms: smsOptions,
  email: emailOptions,
  receipts: { keys: receiptKeys = [derivedReceiptKey(secret)], ttlSeconds: receiptTtl = DEFAULTS.receiptTtlSeconds } = {},
  pow: powOptions = {},
}: VerifierOptions): Verifier {
  const signed = receipts({ store, keys: receiptKeys, secret, keyPrefix, ttlSeconds: receiptTtl });
  const pow = proofOfWork({ store, secret, keyPrefix, receipts: signed, ...powOptions });
  requireSafeKinds(types, defaultType, { length, alphabet });
  const issueLimit = fixedWindowLimit(store, { name: 'captcha-ip', max: captchaRateLimit, windowMs: 60_000, keyPrefix });
  const audioLimit = fixedWindowLimit(store, { name: 'captcha-audio-ip', max: audioRateLimit, windowMs: 60_000, keyPrefix });
  const checkLimit = fixedWindowLimit(store, { name: 'check-ip', max: checkRateLimit, windowMs: 60_000, keyPrefix });

  const captchaKey = storeKeys(keyPrefix).captcha;
  const keyOf = (id: string) => captchaKey(id, layout);
  // The django layout stores what the seed stores: the plain upper-case text.
  const storedValue = (id: string, answer: string) => (layout === 'django' ? answer : digest(secret, 'captcha', id.toLowerCase(), answer));

  // Each deployment draws its own style from its secret (and the period, when styles rotate);
  // processes sharing a secret and a clock share it.
  const styleNow = deploymentStyle(secret, captchaStyle);
  const testAnswer = captchaTestAnswer === '' ? undefined : digest(secret, 'cmp', normaliseAnswer(captchaTestAnswer));

  const requireUuid = (id: string) => {
    if (!isCanonicalUuid(id)) throw new VerifyError('INVALID_UUID');
  };

  const captchas = {
    async issueCaptcha(request = {}, client = {}) {
      checkInput(captchaIssueSchema, request, 'request');
      checkInput(clientSchema, client, 'client');
      const { id = randomUUID(), format = defaultFormat, type = defaultType, scale = 1, locale = 'en' } = request;
      const { ip } = client;
      requireUuid(id);
      if (!types.includes(type)) throw new VerifyError('CAPTCHA_TYPE_NOT_ENABLED');
      if (ip !== undefined) await issueLimit.hit(ip);
      if (ip !== undefined && type === 'audio') await audioLimit.hit(ip);
      const { text, answer } = makeChallenge(type, { length, alphabet });
      const seed = randomInt(0, 2 ** 32);
      // A clip is drawn from the secret and the challenge (id and digits), not from fresh
      // randomness: a challenge can only ever sound one way, so no two renders of it with other
      // noise exist to be averaged, and the clip a visitor heard can be made again from the secret.
      const image =
        type === 'audio'
          ? renderAudioCaptcha(text, { language: locale, seed: createHmac('sha256', secret).update(`audio\0${id.toLowerCase()}\0${text}`).digest() })
          : await render(text, { width, height, format, seed, style: styleNow(), scale });
      await store.putCaptcha(keyOf(id), storedValue(id, answer), ttlSeconds * 1000);
      onCaptchaIssued?.({ id, answer, seed });
      // A captcha comes before a send: have the number parser ready by then.
      if (smsOptions) preloadPhoneMetadata();
      return { id, image, mediaType: type === 'audio' ? AUDIO_MEDIA_TYPE : MEDIA_TYPES[format], expiresIn: ttlSeconds };
    },
    async checkCaptcha(id, answer, client = {}, receipt = {}) {
      checkInput(captchaIdSchema, id, 'id');
      checkInput(answerSchema, answer, 'answer');
      checkInput(clientSchema, client, 'client');
      checkInput(receiptRequestSchema, receipt, 'receipt');
      const { ip, site = '' } = client;
      const { action = '', cdata = '' } = receipt;
      requireUuid(id);
      if (ip !== undefined) await checkLimit.hit(ip);
      const stored = await store.take(keyOf(id));
      if (stored === null) {
        onCaptchaChecked?.({ result: 'missing' });
        return { valid: false };
      }
      const given = normaliseAnswer(answer);
      const valid =
        layout === 'django'
          ? sameDigest(digest(secret, 'cmp', normaliseAnswer(stored)), digest(secret, 'cmp', given))
          : sameDigest(stored, storedValue(id, given));
      const passed = valid || (testAnswer !== undefined && sameDigest(testAnswer, digest(secret, 'cmp', given)));
      onCaptchaChecked?.({ result: passed ? 'valid' : 'wrong' });
      return passed ? { valid: passed, receipt: signed.issue({ channel: 'captcha', action, hostname: site, cdata }) } : { valid: passed };
    },
  } satisfies Pick<Verifier, 'issueCaptcha' | 'checkCaptcha'>;

  const sms = smsOptions && checkedSms(smsVerification({ store, secret, keyPrefix, captchas, pow, receipts: signed, ...smsOptions }));
  const email = emailOptions && checkedEmail(emailVerification({ store, secret, keyPrefix, captchas, pow, receipts: signed, ...emailOptions }));
  // A receipt binds the canonical recipient: the number in E.164, the mailbox an address reaches.
  const canonicalRecipient = (typed: string): string | null => {
    if (typed.includes('@')) {
      const address = normaliseEmail(typed);
      return address === null ? null : canonicalMailbox(address);
    }
    try {
      return parsePhone(typed, smsOptions?.phone ?? {}).e164;
    } catch {
      return null;
    }
  };
  return {
    ...captchas,
    pow,
    async issuePowChallenge(request, client = {}) {
      checkInput(powChallengeSchema, request ?? {}, 'request');
      checkInput(clientSchema, client, 'client');
      const { action, version, phone } = request ?? {};
      if (smsOptions) preloadPhoneMetadata();
      const range = phone === undefined ? undefined : parsePhone(phone, smsOptions?.phone ?? {}).prefix;
      return pow.challenge({ action, version, range }, client);
    },
    async verifyPow(payload, expect = {}, client = {}, receipt = {}) {
      // Any string: a malformed payload is the protocol's POW_INVALID, not a schema error.
      checkInput(anyStringSchema, payload, 'payload');
      checkInput(powVerifyExpectSchema, expect, 'expect');
      checkInput(clientSchema, client, 'client');
      checkInput(receiptRequestSchema, receipt, 'receipt');
      const { cdata } = receipt;
      return { valid: true, ...(await pow.verify(payload, expect, client, cdata)) };
    },
    async redeemReceipt(token, redeemOptions = {}) {
      if (token !== undefined) checkInput(receiptTokenSchema, token, 'token');
      checkInput(redeemOptionsSchema, redeemOptions, 'options');
      const { recipient, ...options } = redeemOptions;
      if (recipient === undefined) return signed.redeem(token, options);
      // A recipient that is neither a number nor an address can match nothing: refuse it as a mismatch.
      return signed.redeem(token, { ...options, recipient: canonicalRecipient(recipient) ?? '\0' });
    },
    store,
    sms,
    email,
    async drain(timeoutMs) {
      await Promise.all([sms?.drain(timeoutMs), email?.drain(timeoutMs)]);
    },
  };
}

// The flows' public functions check their arguments as the captcha functions do.
function checkedSms(flow: SmsVerification): SmsVerification {
  return {
    ...flow,
    async send(request, client = {}) {
      checkInput(smsSendSchema, request, 'request');
      checkInput(clientSchema, client, 'client');
      return flow.send(request, client);
    },
    async check(request, client = {}) {
      checkInput(smsCheckSchema, request, 'request');
      checkInput(clientSchema, client, 'client');
      return flow.check(request, client);
    },
  };
}

function checkedEmail(flow: EmailVerification): EmailVerification {
  return {
    ...flow,
    async send(request, client = {}) {
      checkInput(emailSendSchema, request, 'request');
      checkInput(clientSchema, client, 'client');
      return flow.send(request, client);
    },
    async check(request, client = {}) {
      checkInput(emailCheckSchema, request, 'request');
      checkInput(clientSchema, client, 'client');
      return flow.check(request, client);
    },
    async peekToken(token) {
      checkInput(tokenSchema, token, 'token');
      return flow.peekToken(token);
    },
    async confirm(token, client = {}) {
      checkInput(tokenSchema, token, 'token');
      checkInput(clientSchema, client, 'client');
      return flow.confirm(token, client);
    },
    async takeConfirmation(email, purpose) {
      checkInput(emailConfirmedSchema, { email, purpose }, 'request');
      return flow.takeConfirmation(email, purpose);
    },
  };
}

// Every captcha can gate a send, so a kind whose most frequent answer passes more often than
// MAX_BLIND_GUESS_RATE (a short text from a small alphabet, say) is a programming error.
function requireSafeKinds(types: readonly CaptchaType[], defaultType: CaptchaType, options: { length: number; alphabet: string }): void {
  if (!types.includes(defaultType)) throw new RangeError(`the default captcha type ${defaultType} is not one of the enabled types (${types.join(', ')})`);
  for (const type of types) {
    const rate = blindGuessRate(type, options);
    if (rate > MAX_BLIND_GUESS_RATE) {
      throw new RangeError(
        `${type} captchas with these options are answered blind once in ${Math.round(1 / rate)}; a kind that gates a send needs at least ${1 / MAX_BLIND_GUESS_RATE}`,
      );
    }
  }
}
