// Phone numbers: parsed and validated with libphonenumber-js (full metadata, so mobile numbers
// can be told from landlines), normalised to E.164, checked against the country allowlist and
// the denied number ranges.

import { createRequire } from 'node:module';
import type { CountryCode } from 'libphonenumber-js/max';
import { VerifyError } from '../../errors.ts';

// The full metadata is megabytes once parsed: it loads with the first number (its CommonJS build,
// synchronously), not at start-up, so a process that checks no number never holds it.
let libphonenumber: typeof import('libphonenumber-js/max') | undefined;
let preloading = false;
const loadLibphonenumber = () => (libphonenumber ??= createRequire(import.meta.url)('libphonenumber-js/max') as typeof import('libphonenumber-js/max'));

/**
 * Loads the number metadata soon, off the current request, unless it is loaded or loading: the
 * SMS flow calls it when a captcha or challenge is issued, so the send that follows does not
 * wait the tens of milliseconds loading takes.
 */
export function preloadPhoneMetadata(): void {
  if (libphonenumber !== undefined || preloading) return;
  preloading = true;
  setImmediate(loadLibphonenumber).unref();
}

/**
 * Number ranges where a code costs far more than a mobile's, or reaches no one who signs up:
 * pumping them is how SMS fraud turns a send endpoint into revenue. In China, 1349 is China
 * Satcom's satellite range and 17400–17405 Tiantong's (MIIT numbering plan; libphonenumber
 * takes both for mobiles). +870 (Inmarsat), +881 (Iridium, Globalstar, Thuraya), +882 and +883
 * (international networks) are billed at satellite or premium rates.
 */
export const COSTLY_PREFIXES: readonly string[] = ['+861349', '+861740', '+870', '+881', '+882', '+883'];

export interface PhoneRules {
  /** Country assumed for numbers without a `+` prefix; a bare `13800138000` is +86 with CN. */
  defaultCountry?: string;
  /** ISO 3166 codes allowed; empty allows every country. */
  allowedCountries?: readonly string[];
  /** E.164 prefixes (`+861349`) codes are never sent to; default COSTLY_PREFIXES. */
  denyPrefixes?: readonly string[];
  /** E.164 prefixes that override `denyPrefixes` (e.g. `+8613490001` inside a denied `+861349`). */
  allowPrefixes?: readonly string[];
}

export interface Phone {
  e164: string;
  country: string;
  /** The number without its last four digits, for per-range limits. */
  prefix: string;
}

/** Parses `input` or throws INVALID_PHONE / PHONE_COUNTRY_NOT_ALLOWED / PHONE_RANGE_NOT_ALLOWED. */
export function parsePhone(
  input: string,
  { defaultCountry = 'CN', allowedCountries = ['CN'], denyPrefixes = COSTLY_PREFIXES, allowPrefixes = [] }: PhoneRules = {},
): Phone {
  const parsed = loadLibphonenumber().parsePhoneNumberFromString(input.trim(), { defaultCountry: defaultCountry as CountryCode, extract: false });
  if (!parsed || !parsed.isValid()) throw new VerifyError('INVALID_PHONE');
  const type = parsed.getType();
  if (type !== undefined && type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') {
    throw new VerifyError('INVALID_PHONE', { message: 'The phone number is valid but not a mobile number.' });
  }
  const country = parsed.country ?? '';
  if (allowedCountries.length > 0 && !allowedCountries.includes(country)) throw new VerifyError('PHONE_COUNTRY_NOT_ALLOWED');
  const e164 = parsed.number;
  const within = (prefix: string) => e164.startsWith(prefix);
  if (denyPrefixes.some(within) && !allowPrefixes.some(within)) throw new VerifyError('PHONE_RANGE_NOT_ALLOWED');
  return { e164, country, prefix: e164.slice(0, -4) };
}
