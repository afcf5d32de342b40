// Proof of work in ALTCHA's protocol: issues challenges priced by the adaptive difficulty, and
// checks the widget's payloads. Checking costs two HMACs (v2) or an HMAC and a SHA-256 (v1) and
// no store access; only a payload whose signature, expiry and work all hold is then consumed,
// once, in one store step, so garbage can never burn a visitor's challenge.

import { createHash, createHmac, pbkdf2, randomBytes, randomInt } from 'node:crypto';
import { promisify } from 'node:util';
import { VerifyError } from '../../errors.ts';
import { digest, sameDigest } from '../hmac.ts';
import type { Store } from '../../stores/store.ts';
import { storeKeys } from '../keys.ts';
import type { Receipts } from '../receipts.ts';
import { canonicalJson, parsePayload, readV1Salt, writeV1Salt, type ChallengeData, type ChallengeV1, type ChallengeV2, type ChallengeParameters } from './altcha-wire.ts';
import { difficulty as adaptiveDifficulty, type Difficulty, type DifficultyOptions } from './difficulty.ts';
import { DEFAULTS } from '../defaults.ts';

const derive = promisify(pbkdf2);

export interface ProofOfWorkOptions {
  store: Store;
  /** The service secret; the signing keys are drawn from it. */
  secret: Buffer;
  keyPrefix?: string;
  receipts: Receipts;
  /** Seconds a challenge may be solved and submitted in. */
  ttlSeconds?: number;
  /** PBKDF2 iterations per attempt. Issuing a challenge costs the server one such derivation. */
  cost?: number;
  /**
   * The levels, as the median solve time in seconds on the reference device (the slowest one
   * you size for): level 0 is the base price, the last is the most a visitor is asked to wait.
   */
  levels?: readonly number[];
  /** PBKDF2-SHA256 iterations per second the reference device does in the widget, all workers together. */
  deviceRate?: number;
  /** SHA-256 digests per second the reference device does on v1 challenges (one WebCrypto call each). */
  v1HashRate?: number;
  /** At this level and above a send also needs the image captcha; `levels.length` or more: never. */
  captchaLevel?: number;
  difficulty?: Omit<DifficultyOptions, 'store' | 'keyPrefix' | 'levels' | 'now'>;
  now?: () => number;
}

export interface IssuedChallenge {
  /** The widget's challenge, as JSON for `GET /v1/pow/challenge`. */
  challenge: ChallengeV2 | ChallengeV1;
  level: number;
  /** Whether a send with this challenge's payload also needs a solved image captcha. */
  captchaRequired: boolean;
}

export interface ChallengeRequest {
  /** What the work will be spent on (Turnstile's `action`); a payload is refused for any other. */
  action?: string;
  /** 2 (default): PBKDF2-SHA256. 1: ALTCHA's older SHA-256 challenge, for old widgets. */
  version?: 1 | 2;
  /** The number range (E.164 without its last 4 digits) a send will go to, when known. */
  range?: string;
}

export interface ProofExpectations {
  /** The action the payload must have been issued for. */
  action?: string;
  /** The least level the payload must have been priced at; below it, POW_LEVEL_TOO_LOW. */
  minLevel?: number;
}

/** A payload whose signature, expiry, work and binding hold, not consumed yet. */
export interface CheckedProof {
  readonly level: number;
  readonly action: string;
  /** The site the challenge was fetched from ('' when none was known). */
  readonly site: string;
  /** Whether the payload's level also needs a solved image captcha for a send. */
  readonly captchaRequired: boolean;
  /** Spends the challenge in one store step; POW_USED if it was spent before (a replay). */
  consume(): Promise<void>;
}

export interface ProofOfWork {
  readonly levels: readonly number[];
  /** Issues a challenge priced at the level the client's, the range's and the site's traffic call for. */
  challenge(request: ChallengeRequest, client?: { ip?: string | undefined; site?: string | undefined }): Promise<IssuedChallenge>;
  /**
   * Checks a payload without touching the store: POW_INVALID for anything not issued here or
   * with wrong work, POW_EXPIRED past its expiry, POW_ACTION_MISMATCH for another action or
   * site, POW_LEVEL_TOO_LOW below `minLevel`. Nothing is spent by a refusal.
   */
  check(payload: string, expect?: ProofExpectations, client?: { site?: string | undefined }): Promise<CheckedProof>;
  /** `check`, then `consume`, then a receipt (channel `pow`) for the application's back end. */
  verify(payload: string, expect?: ProofExpectations, client?: { site?: string | undefined }, cdata?: string): Promise<{ level: number; receipt: string }>;
  readonly traffic: Difficulty;
}

export function proofOfWork({
  store,
  secret,
  keyPrefix,
  receipts,
  ttlSeconds = DEFAULTS.pow.ttlSeconds,
  cost = 1000,
  levels = DEFAULTS.pow.levels,
  deviceRate = DEFAULTS.pow.deviceRate,
  v1HashRate = 20_000,
  captchaLevel = DEFAULTS.pow.captchaLevel,
  difficulty: difficultyOptions = {},
  now = Date.now,
}: ProofOfWorkOptions): ProofOfWork {
  if (levels.length === 0 || levels.length > 10 || levels.some((s) => !(s > 0))) throw new RangeError('proof-of-work levels must be 1-10 positive solve times');
  // ALTCHA's secrets are strings (the key is their UTF-8 bytes): hex keeps altcha's own verifier able to check these challenges.
  const signatureKey = Buffer.from(Buffer.from(digest(secret, 'pow signature'), 'base64url').toString('hex'));
  const keySignatureKey = Buffer.from(Buffer.from(digest(secret, 'pow key signature'), 'base64url').toString('hex'));
  const hmacHex = (key: Buffer, data: string | Buffer) => createHmac('sha256', key).update(data).digest('hex');
  const traffic = adaptiveDifficulty({ store, keyPrefix, levels: levels.length, now, ...difficultyOptions });
  const keys = storeKeys(keyPrefix);
  // The secret counter is drawn from [m/2, 3m/2): the median solve takes the level's time, and
  // no solve is nearly free.
  const around = (median: number) => randomInt(Math.ceil(median / 2), Math.max(Math.ceil(median / 2) + 1, Math.floor((3 * median) / 2)));
  const needsCaptcha = (level: number) => level >= captchaLevel;

  const issueV2 = async (data: ChallengeData, expiresAt: number): Promise<ChallengeV2> => {
    const counter = around((levels[data.level]! * deviceRate) / cost);
    const nonce = randomBytes(16);
    const salt = randomBytes(16);
    const password = Buffer.alloc(20);
    nonce.copy(password);
    password.writeUInt32BE(counter, 16);
    const key = await derive(password, salt, cost, 32, 'sha256');
    const parameters: ChallengeParameters = {
      algorithm: 'PBKDF2/SHA-256',
      nonce: nonce.toString('hex'),
      salt: salt.toString('hex'),
      cost,
      keyLength: 32,
      keyPrefix: key.subarray(0, 16).toString('hex'),
      keySignature: hmacHex(keySignatureKey, key),
      expiresAt,
      data,
    };
    return { parameters, signature: hmacHex(signatureKey, canonicalJson(parameters)) };
  };

  const issueV1 = (data: ChallengeData, expiresAt: number): ChallengeV1 => {
    const median = levels[data.level]! * v1HashRate;
    const number = around(median);
    const salt = writeV1Salt(randomBytes(12).toString('hex'), expiresAt, data);
    const challenge = createHash('sha256').update(salt + number).digest('hex');
    return { algorithm: 'SHA-256', challenge, maxnumber: Math.floor((3 * median) / 2), salt, signature: hmacHex(signatureKey, challenge) };
  };

  const check: ProofOfWork['check'] = async (payload, { action, minLevel = 0 } = {}, { site } = {}) => {
    const submission = parsePayload(payload);
    if (submission === null) throw new VerifyError('POW_INVALID');
    let data: ChallengeData;
    let expiresAt: number;
    let id: string;
    if (submission.version === 2) {
      const { parameters, signature } = submission.challenge;
      if (!sameDigest(signature, hmacHex(signatureKey, canonicalJson(parameters)))) throw new VerifyError('POW_INVALID');
      if (!sameDigest(parameters.keySignature, hmacHex(keySignatureKey, Buffer.from(submission.derivedKey, 'hex')))) throw new VerifyError('POW_INVALID');
      ({ data, expiresAt } = parameters);
      id = `v2:${parameters.nonce}`;
    } else {
      // The signature covers the hash; the hash covers salt and number, which parsePayload made
      // sure split one way only.
      if (!sameDigest(submission.signature, hmacHex(signatureKey, submission.challenge))) throw new VerifyError('POW_INVALID');
      if (createHash('sha256').update(submission.salt + submission.number).digest('hex') !== submission.challenge) throw new VerifyError('POW_INVALID');
      let salt: string;
      ({ data, expiresAt, id: salt } = readV1Salt(submission.salt));
      id = `v1:${salt}`;
    }
    const msLeft = expiresAt * 1000 - now();
    if (msLeft <= 0) throw new VerifyError('POW_EXPIRED');
    if (action !== undefined && action !== data.action) throw new VerifyError('POW_ACTION_MISMATCH');
    if (site !== undefined && site !== '' && site !== data.site) throw new VerifyError('POW_ACTION_MISMATCH', { message: 'The challenge was fetched for another site.' });
    if (data.level < minLevel) throw new VerifyError('POW_LEVEL_TOO_LOW');
    return {
      level: data.level,
      action: data.action,
      site: data.site,
      captchaRequired: needsCaptcha(data.level),
      async consume() {
        const { set } = await store.setIfAbsent(keys.powSpent(id), '1', msLeft + 1000);
        if (!set) throw new VerifyError('POW_USED');
      },
    };
  };

  return {
    levels,
    traffic,
    async challenge({ action = '', version = 2, range }, client = {}) {
      const level = await traffic.challengeLevel(client, range);
      const data: ChallengeData = { action, site: client.site ?? '', level };
      const expiresAt = Math.floor(now() / 1000) + ttlSeconds;
      const challenge = version === 1 ? issueV1(data, expiresAt) : await issueV2(data, expiresAt);
      return { challenge, level, captchaRequired: needsCaptcha(level) };
    },
    check,
    async verify(payload, expect, client, cdata = '') {
      const proof = await check(payload, expect, client);
      await proof.consume();
      return { level: proof.level, receipt: receipts.issue({ channel: 'pow', action: proof.action, hostname: proof.site, cdata }) };
    },
  };
}
