// The input schemas of the core's public functions, in one place: the core checks its arguments
// against them (checkInput), and the HTTP routes build their body and query schemas from them,
// so a value the API refuses is refused alike by a program that calls the core directly.

import { createRequire } from 'node:module';
import type { Ajv, ValidateFunction } from 'ajv';
import { CAPTCHA_TYPES } from '../captcha/challenge.ts';
import { VerifyError } from '../errors.ts';
import { MAX_PAYLOAD_LENGTH } from './pow/altcha-wire.ts';
import { PURPOSES } from './types.ts';
import { COMPILED } from './validators.compiled.ts';

const text = (maxLength: number, minLength = 0) => ({ type: 'string', ...(minLength > 0 ? { minLength } : {}), maxLength }) as const;

export const LOCALES = ['zh-CN', 'en'] as const;

/** What a verification is for (Turnstile's `action`): 1-32 letters, digits, - or _. */
export const actionSchema = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$' } as const;
/** Free text for the back end that redeems the receipt (Turnstile's `cdata`). */
export const cdataSchema = text(255);
export const phoneSchema = text(32, 1);
export const emailSchema = text(320, 1);
export const purposeSchema = { type: 'string', enum: PURPOSES } as const;
export const localeSchema = { type: 'string', enum: LOCALES } as const;
export const codeSchema = text(16);
export const answerSchema = text(64);
export const captchaIdSchema = text(256);
export const tokenSchema = text(128);
/** The ALTCHA widget's payload (base64 JSON). */
export const powPayloadSchema = text(MAX_PAYLOAD_LENGTH, 1);
/** An action a proof-of-work challenge is fetched for; may be empty (any verify accepts it). */
export const powActionSchema = { type: 'string', pattern: '^[A-Za-z0-9_-]{0,32}$' } as const;

const object = <P extends Record<string, object>, R extends readonly (keyof P & string)[] = []>(properties: P, required?: R) =>
  ({ type: 'object', additionalProperties: false, properties, ...(required && required.length > 0 ? { required } : {}) }) as const;

/** Who is asking (ClientContext). */
export const clientSchema = object({ ip: text(64), site: text(1024) });
/** What a page attaches to a verification for the receipt (ReceiptRequest). */
export const receiptRequestSchema = object({ action: actionSchema, cdata: cdataSchema });

const captchaIssueFields = {
  format: { type: 'string', enum: ['jpeg', 'png', 'webp'] },
  type: { type: 'string', enum: [...CAPTCHA_TYPES] },
  // 2: the same captcha at twice the pixels, for 2× screens (shown at the 1× size).
  scale: { type: 'integer', enum: [1, 2] },
  // The audio kind's language; without it, the browser's Accept-Language picks.
  locale: localeSchema,
} as const;
/** Verifier.issueCaptcha's request; the id is for the seed's refresh-by-uuid. */
export const captchaIssueSchema = object({ id: captchaIdSchema, ...captchaIssueFields });
/** The body of POST /v1/captchas: the server makes the id. */
export const captchaIssueBodySchema = { ...object(captchaIssueFields), type: ['object', 'null'] } as const;
export interface CaptchaIssueBody {
  format?: 'jpeg' | 'png' | 'webp';
  type?: (typeof CAPTCHA_TYPES)[number];
  scale?: 1 | 2;
  locale?: (typeof LOCALES)[number];
}

// Lax about other fields, as the seed's check always was.
export const captchaCheckSchema = { type: 'object', required: ['answer'], properties: { answer: answerSchema, action: actionSchema, cdata: cdataSchema } } as const;
export interface CaptchaCheckBody {
  answer: string;
  action?: string;
  cdata?: string;
}

/** A solved captcha as a send carries it to the core. */
const captchaProofSchema = object({ id: captchaIdSchema, answer: answerSchema }, ['id', 'answer']);
/** The same on the wire: the seed's `uuid` names the captcha as well as `id` does. */
export const captchaRefSchema = object({ id: captchaIdSchema, uuid: captchaIdSchema, answer: answerSchema }, ['answer']);

const sendFields = { purpose: purposeSchema, locale: localeSchema, captcha: captchaProofSchema, pow: powPayloadSchema } as const;
export const smsSendSchema = object({ phone: phoneSchema, ...sendFields }, ['phone', 'purpose']);
export const emailSendSchema = object({ email: emailSchema, ...sendFields }, ['email', 'purpose']);
/** The wire form of a send: the captcha by id or uuid. */
export const sendBodySchema = <S extends { properties: object }>(schema: S) =>
  ({ ...schema, properties: { ...schema.properties, captcha: captchaRefSchema } }) as const;

export const smsCheckSchema = object({ phone: phoneSchema, purpose: purposeSchema, code: codeSchema, cdata: cdataSchema }, ['phone', 'purpose', 'code']);
export const emailCheckSchema = object({ email: emailSchema, purpose: purposeSchema, code: codeSchema, cdata: cdataSchema }, ['email', 'purpose', 'code']);
export const emailConfirmedSchema = object({ email: emailSchema, purpose: purposeSchema }, ['email', 'purpose']);

export const powChallengeSchema = object({ action: powActionSchema, version: { type: 'integer', enum: [1, 2] }, phone: phoneSchema });
export const powVerifyExpectSchema = object({ action: powActionSchema });

/** A receipt as the back end hands it over: a string of reasonable length (its signature is checked later). */
export const receiptTokenSchema = text(4096);
export const anyStringSchema = { type: 'string' } as const;
export const redeemOptionsSchema = object({ action: text(64), recipient: text(320), hostname: text(253), idempotencyKey: text(128) });

// The one validator of the API and the core: no coercion (a number is not a string), nothing
// removed or defaulted, the first error only. scripts/validators.ts compiles with the same.
export const AJV_OPTIONS = { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false, strict: false } as const;

/** What a schema's compiled validator is filed under in validators.compiled.ts: its JSON. */
export const schemaKey = (schema: object): string => JSON.stringify(schema);

let ajv: Ajv | undefined;
const compiled = new WeakMap<object, ValidateFunction>();
let compiledAtRunTime = 0;

/**
 * The validator of `schema` (cached by identity): the one compiled at build time for it, or for a
 * schema the build did not see, one ajv compiles now.
 */
export function validatorOf(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = COMPILED.get(schemaKey(schema)) ?? compileNow(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

// ajv itself (about 70 modules) is loaded only then.
function compileNow(schema: object): ValidateFunction {
  compiledAtRunTime++;
  ajv ??= new (createRequire(import.meta.url)('ajv') as typeof import('ajv')).Ajv(AJV_OPTIONS);
  return ajv.compile(schema);
}

/** How many schemas had to be compiled at run time (none, for verifyd's own): for the tests. */
export const runTimeCompilations = (): number => compiledAtRunTime;

/** A failed validation as Fastify words it: `body/phone must be string`. */
export function describeInvalid(validate: ValidateFunction, what: string): string {
  const [first] = validate.errors ?? [];
  if (!first) return `${what} is not valid`;
  return `${what}${first.instancePath} ${first.message ?? 'is not valid'}`;
}

/**
 * Throws INVALID_REQUEST (naming the field) unless `value` matches `schema`. The core calls it on
 * every argument it is given, so a caller's mistake is a VerifyError, never a TypeError.
 */
export function checkInput(schema: object, value: unknown, what: string): void {
  const validate = validatorOf(schema);
  if (!validate(value)) throw new VerifyError('INVALID_REQUEST', { message: `Invalid ${what}: ${describeInvalid(validate, what)}.` });
}
