// Email addresses: one practical syntax check that also gives every address a single canonical
// form (throttle keys and stored codes are per address), and a mask for logs.

import { domainToASCII } from 'node:url';

// RFC 5322 atext; a dot-atom is runs of it separated by single dots.
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Checks an address and returns its canonical form, or `null` when it is not a practical
 * address. Surrounding white space is trimmed. The local part must be a dot-atom of at most 64
 * ASCII characters (quoted local parts and non-ASCII local parts are refused) and is kept as
 * given, case included. The domain needs at least two labels of letters, digits and inner
 * hyphens, and a top-level label that is not all digits; an internationalised domain is
 * accepted and returned in its ASCII (punycode) form, lower-cased like any other domain.
 * The whole address is at most 254 characters.
 *
 * `normaliseEmail(' Alice@Example.COM ')` → `'Alice@example.com'`;
 * `normaliseEmail('bob@bücher.de')` → `'bob@xn--bcher-kva.de'`.
 */
export function normaliseEmail(input: string): string | null {
  const trimmed = input.trim();
  const parts = trimmed.split('@');
  if (parts.length !== 2) return null;
  const [local = '', domain = ''] = parts;

  if (local.length > 64 || !DOT_ATOM.test(local)) return null;

  // domainToASCII returns '' for what it cannot convert; it lower-cases and maps IDN to punycode.
  const ascii = domainToASCII(domain);
  if (ascii === '' || ascii.length > 253) return null;
  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) return null;
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) return null;

  const address = `${local}@${ascii}`;
  return address.length > 254 ? null : address;
}

/**
 * Hides most of the local part for logs: `'alice@example.com'` → `'a***e@example.com'`.
 * Local parts of one or two characters keep only their first; a string without `@` becomes `'***'`.
 */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '***';
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const masked = local.length <= 2 ? `${local[0]}***` : `${local[0]}***${local[local.length - 1]}`;
  return `${masked}@${domain}`;
}
