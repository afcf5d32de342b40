// The demo page's number check (web/phone-check.js) against the server's rules (src/sms/phone.ts):
// it never refuses a number the server accepts, and refuses the typos that would otherwise spend
// a solved captcha on a send the server refuses.

import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { it } from 'node:test';
import { parsePhone } from '../../src/core/sms/phone.ts';
// @ts-expect-error: a plain browser module without type declarations
import { looksLikeMobile } from '../../web/phone-check.js';

const serverAccepts = (input: string) => {
  try {
    parsePhone(input, { defaultCountry: 'CN', allowedCountries: ['CN'] });
    return true;
  } catch {
    return false;
  }
};

it('every number the server accepts passes the page, in the ways people type it', () => {
  let accepted = 0;
  for (let i = 0; i < 5000; i++) {
    const digits = `1${randomInt(3, 10)}${String(randomInt(0, 1e9)).padStart(9, '0')}`;
    for (const typed of [digits, `+86${digits}`, `+86 ${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`, `${digits.slice(0, 3)}-${digits.slice(3, 7)}-${digits.slice(7)}`]) {
      if (!serverAccepts(typed)) continue;
      accepted++;
      assert.equal(looksLikeMobile(typed), true, typed);
    }
  }
  assert.ok(accepted > 10_000, `${accepted} accepted numbers compared`);
});

it('a digit too few or too many, a letter, or a landline is refused by both', () => {
  for (const typo of ['1391234567', '139123456789', '1391234567a', '010 1234 5678', '', '+86 139 1234 567', '12345678901']) {
    assert.equal(looksLikeMobile(typo), false, typo);
    assert.equal(serverAccepts(typo), false, typo);
  }
});
