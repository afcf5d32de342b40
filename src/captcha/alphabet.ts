// The captcha alphabet, random answers drawn from it, and the normal form of a user's answer.
import { randomInt } from 'node:crypto';

/**
 * 20 upper-case symbols that stay distinct in the bundled font (Atkinson Hyperlegible Bold)
 * once rotated, warped and cut by noise curves. Left out, with what each is taken for:
 * 0 O Q (each other, and D); 1 I (each other, and l); 2 Z and 5 S (each other); 6 G (each
 * other, and C with a cut); 8 B (each other, 3, R); F (E once a curve runs along its foot);
 * V (U and Y when warped); 7 (T, 1 and Z when rotated). Answers are case-insensitive, so no
 * lower case.
 */
export const DEFAULT_ALPHABET = 'ACDEHJKLMNPRTUWXY349';

/** `length` symbols drawn uniformly and independently from `alphabet` with crypto.randomInt. */
export function randomText(length: number, alphabet: string = DEFAULT_ALPHABET): string {
  const symbols = Array.from(alphabet);
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`captcha length must be a positive integer, got ${length}`);
  if (symbols.length < 2) throw new RangeError('captcha alphabet needs at least two symbols');
  let text = '';
  for (let i = 0; i < length; i++) text += symbols[randomInt(symbols.length)]!;
  return text;
}

/** The form answers are compared in: NFKC, trimmed, upper-case. Nothing else is changed. */
export function normaliseAnswer(answer: string): string {
  return answer.normalize('NFKC').trim().toUpperCase();
}
