// Keeping codes, phone numbers and secrets out of what senders print and throw: providers echo
// requests back in their error messages (Aliyun's SignatureDoesNotMatch quotes the whole string
// it signed, Twilio quotes the number), so their text is scrubbed before it goes into an error.

/** `+8613800138000` → `+86138****8000`: enough to tell numbers apart in a log, not to dial one. */
export function maskPhone(e164: string): string {
  if (e164.length < 9) return e164.slice(0, 2) + '****';
  return e164.slice(0, 6) + '****' + e164.slice(-4);
}

const LONG_DIGIT_RUN = /\+?\d[\d -]{5,}\d/g;
const MAX_LENGTH = 200;

/**
 * Returns `text` with every non-empty `sensitive` value, and every run of seven or more digits
 * (a number in some other spelling), replaced by `[redacted]`, cut to 200 characters.
 */
export function scrub(text: string, sensitive: readonly string[]): string {
  let out = text;
  for (const value of [...sensitive].filter((v) => v.length > 0).sort((a, b) => b.length - a.length)) {
    out = out.split(value).join('[redacted]');
  }
  out = out.replace(LONG_DIGIT_RUN, '[redacted]');
  return out.length > MAX_LENGTH ? out.slice(0, MAX_LENGTH) + '…' : out;
}
