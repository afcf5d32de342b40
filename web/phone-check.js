// The demo page's check of a mobile number before it spends a solved captcha on a send: the
// server refuses a malformed number only after consuming the captcha, so a typo would cost the
// visitor a new image. The shape is the server's for its default country, mainland China
// (libphonenumber's CN mobiles are 11 digits starting 13–19); numbers with another `+` country
// code only need E.164's shape here, and the server has the last word on them.

/**
 * Whether `input` can be a mobile number the server accepts. Never false for a number the server
 * would accept (test/web/phone-check.test.ts compares the two); false for a wrong length or a
 * stray character.
 * @param {string} input
 * @returns {boolean}
 */
export function looksLikeMobile(input) {
  const compact = input.trim().replace(/[\s().-]/g, '');
  const national = /^(?:\+86|0086)(.*)$/.exec(compact)?.[1] ?? (compact.startsWith('+') ? undefined : compact);
  if (national !== undefined) return /^1[3-9]\d{9}$/.test(national);
  return /^\+[1-9]\d{6,14}$/.test(compact);
}
