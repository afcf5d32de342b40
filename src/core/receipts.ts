// Receipts: what a passed verification hands the browser so the application's back end can
// trust it. An opaque token, HMAC-signed under a key id (so keys rotate), bound to the channel,
// the action, a hash of the recipient and the site, short-lived, and redeemable once.

import { createHmac, randomBytes } from 'node:crypto';
import { sameDigest } from './hmac.ts';
import type { Store } from '../stores/store.ts';
import { storeKeys } from './keys.ts';
import { DEFAULTS } from './defaults.ts';

/** What was verified. `email-link` is a confirm link followed and confirmed by POST. */
export type ReceiptChannel = 'captcha' | 'sms' | 'email' | 'email-link' | 'pow';

export interface ReceiptClaims {
  /** Unique id; a redeemed id is remembered until the receipt expires. */
  id: string;
  channel: ReceiptChannel;
  /** The purpose of a code (`register`, `login`, …) or the action a captcha was solved for. */
  action: string;
  /** Keyed hash of the verified phone number or mailbox; empty for captchas. */
  recipient: string;
  /** The hostname of the page the verification came from (its Origin), or verifyd's own. */
  hostname: string;
  /** Free text the page attached (Turnstile's `cdata`), at most 255 characters. */
  cdata: string;
  /** Issued and expiry times, in seconds since the epoch. */
  issuedAt: number;
  expiresAt: number;
}

export interface SigningKey {
  /** Short id carried in every token, so a verifier knows which key to check against. */
  id: string;
  secret: Buffer;
}

export interface ReceiptOptions {
  store: Store;
  /** The first key signs; every listed key verifies. Drop a key from the list to revoke its receipts. */
  keys: readonly SigningKey[];
  /** Keys recipients into the `recipient` hash. */
  secret: Buffer;
  keyPrefix?: string;
  /** Lifetime of a receipt in seconds, at most 300. */
  ttlSeconds?: number;
  now?: () => number;
}

/** Why a receipt was refused, in siteverify's words. */
export type ReceiptError =
  | 'missing-input-response'
  | 'invalid-input-response'
  | 'timeout-or-duplicate'
  | 'action-mismatch'
  | 'recipient-mismatch'
  | 'hostname-mismatch';

export interface RedeemOptions {
  /** The action or purpose the back end expects; refused without being consumed when it differs. */
  action?: string;
  /** The phone number (E.164) or canonical mailbox the back end expects; checked like `action`. */
  recipient?: string;
  /** The site the back end expects the verification to come from. */
  hostname?: string;
  /** Makes a retry of the same redemption succeed again; any other second redemption fails. */
  idempotencyKey?: string;
}

export type Redemption = { success: true; claims: ReceiptClaims } | { success: false; error: ReceiptError };

export interface Receipts {
  readonly ttlSeconds: number;
  /** Signs a receipt for a verification that just passed. Costs no store write. */
  issue(claims: Omit<ReceiptClaims, 'id' | 'issuedAt' | 'expiresAt' | 'recipient'> & { recipient?: string }): string;
  /**
   * Checks the signature, expiry and what the caller expects, and only then spends the receipt
   * in one store step. A forged, expired or mismatched receipt is refused without being spent,
   * so nobody can burn a user's receipt by presenting it wrongly. A store outage rejects
   * (STORE_UNAVAILABLE): it never answers success.
   */
  redeem(token: string | undefined, options?: RedeemOptions): Promise<Redemption>;
  /** The keyed hash a recipient is bound under, to compare with `ReceiptClaims.recipient`. */
  recipientHash(recipient: string): string;
}

/**
 * The signing key when none is configured: drawn from the deployment's secret, with an id that
 * changes with it, so every process sharing the secret signs and verifies alike.
 */
export function derivedReceiptKey(secret: Buffer): SigningKey {
  const derive = (label: string) => createHmac('sha256', secret).update(label).digest();
  return { id: `s${derive('verifyd receipt key id').toString('base64url').slice(0, 7)}`, secret: derive('verifyd receipt key') };
}

const VERSION = 'vr1';
const MAX_TTL_SECONDS = 300;
const ID = /^[A-Za-z0-9_-]{1,16}$/;

export function receipts({ store, keys, secret, keyPrefix, ttlSeconds = DEFAULTS.receiptTtlSeconds, now = Date.now }: ReceiptOptions): Receipts {
  if (keys.length === 0) throw new TypeError('receipts need at least one signing key');
  for (const { id } of keys) if (!ID.test(id)) throw new TypeError(`receipt key id "${id}" must be 1-16 letters, digits, - or _`);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) throw new RangeError(`receipt lifetime must be 1-${MAX_TTL_SECONDS} s`);
  const signer = keys[0]!;
  const byId = new Map(keys.map((k) => [k.id, k.secret]));
  const sign = (key: Buffer, kid: string, payload: string) => createHmac('sha256', key).update(`${VERSION}.${kid}.${payload}`).digest('base64url');
  const recipientHash = (recipient: string) => createHmac('sha256', secret).update(`receipt-recipient\0${recipient}`).digest('base64url').slice(0, 22);

  const parse = (token: string): ReceiptClaims | null => {
    const parts = token.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) return null;
    const [, kid, payload, signature] = parts as [string, string, string, string];
    const key = byId.get(kid);
    if (key === undefined || !sameDigest(signature, sign(key, kid, payload))) return null;
    try {
      const c = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
      const claims: ReceiptClaims = {
        id: String(c.jti),
        channel: String(c.ch) as ReceiptChannel,
        action: String(c.act),
        recipient: String(c.sub),
        hostname: String(c.host),
        cdata: String(c.cd),
        issuedAt: Number(c.iat),
        expiresAt: Number(c.exp),
      };
      return Number.isFinite(claims.expiresAt) ? claims : null;
    } catch {
      return null;
    }
  };

  return {
    ttlSeconds,
    recipientHash,
    issue({ channel, action, recipient, hostname, cdata }) {
      const issuedAt = Math.floor(now() / 1000);
      const body = {
        jti: randomBytes(16).toString('base64url'),
        ch: channel,
        act: action,
        sub: recipient === undefined ? '' : recipientHash(recipient),
        host: hostname,
        cd: cdata.slice(0, 255),
        iat: issuedAt,
        exp: issuedAt + ttlSeconds,
      };
      const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
      return `${VERSION}.${signer.id}.${payload}.${sign(signer.secret, signer.id, payload)}`;
    },
    async redeem(token, { action, recipient, hostname, idempotencyKey = '' } = {}) {
      if (token === undefined || token === '') return { success: false, error: 'missing-input-response' };
      const claims = token.length <= 2048 ? parse(token) : null;
      if (claims === null) return { success: false, error: 'invalid-input-response' };
      const msLeft = claims.expiresAt * 1000 - now();
      if (msLeft <= 0) return { success: false, error: 'timeout-or-duplicate' };
      if (action !== undefined && action !== claims.action) return { success: false, error: 'action-mismatch' };
      if (recipient !== undefined && !sameDigest(recipientHash(recipient), claims.recipient)) return { success: false, error: 'recipient-mismatch' };
      if (hostname !== undefined && hostname !== claims.hostname) return { success: false, error: 'hostname-mismatch' };
      const outcome = await store.redeemOnce(storeKeys(keyPrefix).receipt(claims.id), idempotencyKey, msLeft + 1000);
      return outcome === 'duplicate' ? { success: false, error: 'timeout-or-duplicate' } : { success: true, claims };
    },
  };
}
