// Keyed digests of codes and answers, and their constant-time comparison.

import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC-SHA256 over the parts joined with a NUL byte, as base64url. Binding the key (e.g. the
 * captcha id) into the digest means a stored value is worthless under any other key.
 */
export function digest(secret: Buffer, ...parts: string[]): string {
  return createHmac('sha256', secret).update(parts.join('\0')).digest('base64url');
}

/** Compares two strings in time that depends only on their lengths (the digests' are fixed). */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
