// ALTCHA's wire format, as the `altcha` widget (npm, 3.2) reads and writes it: the "PoW v2"
// challenge and payload, the older v1 ones, and the canonical JSON the v2 signature covers.
// Parsing is strict: anything that is not exactly the shape verifyd issues is refused here,
// before any key is touched.

/** The parameters of a v2 challenge, as verifyd issues them (PBKDF2-SHA256, deterministic). */
export interface ChallengeParameters {
  algorithm: 'PBKDF2/SHA-256';
  /** 16 random bytes, hex: the counter is appended to it (big-endian uint32) as the password. */
  nonce: string;
  /** 16 random bytes, hex: the PBKDF2 salt. */
  salt: string;
  /** PBKDF2 iterations per attempt. */
  cost: number;
  keyLength: 32;
  /** The first half of the derived key at the secret counter, hex: what the solver looks for. */
  keyPrefix: string;
  /** HMAC of the whole derived key: verifying a solution is this one HMAC, not a derivation. */
  keySignature: string;
  /** Unix seconds. */
  expiresAt: number;
  data: ChallengeData;
}

/** What a challenge is bound to; signed with the rest. */
export interface ChallengeData {
  action: string;
  site: string;
  /** The difficulty level it was priced at (0 = base). */
  level: number;
}

export interface ChallengeV2 {
  parameters: ChallengeParameters;
  /** HMAC-SHA256 over canonicalJson(parameters), hex. */
  signature: string;
}

/** A v1 challenge: find `number` with SHA-256(salt + number) = challenge. */
export interface ChallengeV1 {
  algorithm: 'SHA-256';
  challenge: string;
  maxnumber: number;
  /** `<24 hex>?expires=…&action=…&site=…&level=…&`: the trailing `&` keeps salt and number apart. */
  salt: string;
  signature: string;
}

export type Submission =
  | { version: 2; challenge: ChallengeV2; counter: number; derivedKey: string }
  | { version: 1; challenge: string; number: number; salt: string; signature: string };

/** The widget's sortKeys + JSON.stringify: keys sorted at every depth, undefined dropped. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) sorted[key] = sortKeys(v);
  }
  return sorted;
}

export const MAX_PAYLOAD_LENGTH = 4096;
const HEX = (bytes: number) => new RegExp(`^[0-9a-f]{${bytes * 2}}$`);
const HEX16 = HEX(16);
const HEX32 = HEX(32);
const ACTION = /^[A-Za-z0-9_-]{0,32}$/;
const PARAMETER_KEYS = ['algorithm', 'cost', 'data', 'expiresAt', 'keyLength', 'keyPrefix', 'keySignature', 'nonce', 'salt'].join();
const DATA_KEYS = ['action', 'level', 'site'].join();
const V1_SALT = /^([0-9a-f]{24})\?expires=(\d{10})&action=([A-Za-z0-9_-]{0,32})&site=([^&]{0,253})&level=(\d)&$/;

/**
 * Reads the widget's payload (base64 of JSON), v2 or v1; null for anything else, including any
 * field verifyd would not have issued (another algorithm, an extra parameter, a salt that is not
 * exactly verifyd's). Checks shape only: signatures, expiry and work are the caller's.
 */
export function parsePayload(payload: string): Submission | null {
  if (payload.length > MAX_PAYLOAD_LENGTH || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(payload)) return null;
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
  } catch {
    return null;
  }
  if (!isObject(body)) return null;
  return 'solution' in body ? parseV2(body) : parseV1(body);
}

function parseV2(body: Record<string, unknown>): Submission | null {
  const { challenge, solution } = body;
  if (!isObject(challenge) || !isObject(solution) || typeof challenge.signature !== 'string' || !HEX32.test(challenge.signature)) return null;
  const p = challenge.parameters;
  if (!isObject(p) || Object.keys(p).sort().join() !== PARAMETER_KEYS) return null;
  const d = p.data;
  if (!isObject(d) || Object.keys(d).sort().join() !== DATA_KEYS) return null;
  const valid =
    p.algorithm === 'PBKDF2/SHA-256' &&
    typeof p.nonce === 'string' && HEX16.test(p.nonce) &&
    typeof p.salt === 'string' && HEX16.test(p.salt) &&
    Number.isSafeInteger(p.cost) &&
    p.keyLength === 32 &&
    typeof p.keyPrefix === 'string' && /^[0-9a-f]{2,64}$/.test(p.keyPrefix) &&
    typeof p.keySignature === 'string' && HEX32.test(p.keySignature) &&
    Number.isSafeInteger(p.expiresAt) &&
    typeof d.action === 'string' && ACTION.test(d.action) &&
    typeof d.site === 'string' && d.site.length <= 253 &&
    Number.isSafeInteger(d.level) &&
    Number.isSafeInteger(solution.counter) && (solution.counter as number) >= 0 &&
    typeof solution.derivedKey === 'string' && HEX32.test(solution.derivedKey);
  if (!valid) return null;
  return {
    version: 2,
    challenge: { parameters: p as unknown as ChallengeParameters, signature: challenge.signature },
    counter: solution.counter as number,
    derivedKey: solution.derivedKey as string,
  };
}

function parseV1(body: Record<string, unknown>): Submission | null {
  const { algorithm, challenge, number, salt, signature } = body;
  const valid =
    algorithm === 'SHA-256' &&
    typeof challenge === 'string' && HEX32.test(challenge) &&
    // A JSON integer has no leading zeros and no sign, so salt + number splits one way only.
    Number.isSafeInteger(number) && (number as number) >= 0 &&
    typeof salt === 'string' && V1_SALT.test(salt) &&
    typeof signature === 'string' && HEX32.test(signature);
  return valid ? { version: 1, challenge: challenge as string, number: number as number, salt: salt as string, signature: signature as string } : null;
}

/** The fields of a v1 salt verifyd issued (parsePayload has checked its exact form). */
export function readV1Salt(salt: string): { id: string; expiresAt: number; data: ChallengeData } {
  const [, id = '', expires = '0', action = '', site = '', level = '0'] = V1_SALT.exec(salt) ?? [];
  return { id, expiresAt: Number(expires), data: { action, site: decodeURIComponent(site), level: Number(level) } };
}

/** A v1 salt for these fields, ending in `&` (see CVE-2025-68113: digits of the number must not pass for the salt's). */
export function writeV1Salt(id: string, expiresAt: number, { action, site, level }: ChallengeData): string {
  return `${id}?expires=${expiresAt}&action=${action}&site=${encodeURIComponent(site)}&level=${level}&`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
