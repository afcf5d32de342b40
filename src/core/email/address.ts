// Email addresses: one practical syntax check that gives the address to deliver to, the
// mailbox it reaches (what limits, codes, locks and confirmations are keyed on), and a mask
// for logs.

import { domainToASCII } from 'node:url';

// RFC 5322 atext; a dot-atom is runs of it separated by single dots.
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Checks an address and returns its normalised form (the one mail is sent to), or `null` when it is not a practical
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

// Domains whose mail server ignores dots in the local part; googlemail.com is gmail.com.
const DOTLESS_DOMAINS: Record<string, string> = { 'gmail.com': 'gmail.com', 'googlemail.com': 'gmail.com' };

/**
 * The mailbox a normalised address (from normaliseEmail) reaches, so that every spelling of one
 * inbox shares its limits, codes, locks and confirmations: the local part lower-cased and cut
 * at its first `+` (a sub-address tag), and for gmail.com and googlemail.com the dots dropped
 * and the domain written gmail.com. A local part that starts with `+` keeps it (nothing would
 * be left). Mail is still delivered to the address as typed; this is only a key.
 *
 * `canonicalMailbox('Victim+news@example.com')` → `'victim@example.com'`;
 * `canonicalMailbox('V.ictim+1@googlemail.com')` → `'victim@gmail.com'`.
 */
export function canonicalMailbox(address: string): string {
  const at = address.lastIndexOf('@');
  const domain = address.slice(at + 1);
  let local = address.slice(0, at).toLowerCase();
  const tag = local.indexOf('+');
  if (tag > 0) local = local.slice(0, tag);
  const dotless = DOTLESS_DOMAINS[domain];
  return dotless === undefined ? `${local}@${domain}` : `${local.replaceAll('.', '')}@${dotless}`;
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
