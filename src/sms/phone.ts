// Phone numbers: parsed and validated with libphonenumber-js (full metadata, so mobile numbers
// can be told from landlines), normalised to E.164, checked against the country allowlist.

import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { VerifyError } from '../errors.ts';

export interface PhoneRules {
  /** Country assumed for numbers without a `+` prefix; a bare `13800138000` is +86 with CN. */
  defaultCountry?: string;
  /** ISO 3166 codes allowed; empty allows every country. */
  allowedCountries?: readonly string[];
}

export interface Phone {
  e164: string;
  country: string;
  /** The number without its last four digits, for per-range limits. */
  prefix: string;
}

/** Parses `input` or throws INVALID_PHONE / PHONE_COUNTRY_NOT_ALLOWED. */
export function parsePhone(input: string, { defaultCountry = 'CN', allowedCountries = ['CN'] }: PhoneRules = {}): Phone {
  const parsed = parsePhoneNumberFromString(input.trim(), { defaultCountry: defaultCountry as CountryCode, extract: false });
  if (!parsed || !parsed.isValid()) throw new VerifyError('INVALID_PHONE');
  const type = parsed.getType();
  if (type !== undefined && type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') {
    throw new VerifyError('INVALID_PHONE', { message: 'The phone number is valid but not a mobile number.' });
  }
  const country = parsed.country ?? '';
  if (allowedCountries.length > 0 && !allowedCountries.includes(country)) throw new VerifyError('PHONE_COUNTRY_NOT_ALLOWED');
  const e164 = parsed.number;
  return { e164, country, prefix: e164.slice(0, -4) };
}
