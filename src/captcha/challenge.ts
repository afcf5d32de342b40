// The kinds of captcha: what is drawn and what the answer is. `text` draws its answer; `math`
// draws a sum or a difference whose result is the answer; `chinese` draws common Chinese
// characters; `audio` speaks six digits (captcha/audio/). Each kind also says how often its most frequent answer comes up, so a kind that
// could be answered blind is never enabled.
import { randomInt } from 'node:crypto';
import { DEFAULT_ALPHABET, randomText } from './alphabet.ts';
import { CJK_CHARACTERS } from './cjk-characters.ts';

export type CaptchaType = 'text' | 'math' | 'chinese' | 'audio';
export const CAPTCHA_TYPES: readonly CaptchaType[] = ['text', 'math', 'chinese', 'audio'];

/** Digits an audio captcha speaks: a blind guess passes one in a million. */
export const AUDIO_DIGITS = 6;

export interface Challenge {
  /** What the image shows (or the clip speaks). */
  text: string;
  /** What the visitor must type (compared after normaliseAnswer). */
  answer: string;
}

export interface ChallengeOptions {
  length?: number; // default 4: characters of a text captcha; a Chinese one has at most 4
  alphabet?: string; // default DEFAULT_ALPHABET (text only)
}

/** Most Chinese characters that stay legible side by side in a 160-pixel-wide image. */
export const MAX_CHINESE_LENGTH = 4;

/**
 * The highest share of draws any one answer may have: a kind above it would let a client that
 * never looks at the image pass more than 1 captcha in 1,000 by always typing that answer.
 */
export const MAX_BLIND_GUESS_RATE = 1 / 1000;

// A math captcha's answer, drawn uniformly from MIN_RESULT..MAX_RESULT before the sum is made
// around it: 1,900 equally likely answers, so a blind guess passes 1 in 1,900.
const MIN_RESULT = 100;
const MAX_RESULT = 1999;

/** Draws a fresh challenge of `type` with node:crypto's randomness. */
export function makeChallenge(type: CaptchaType, { length = 4, alphabet = DEFAULT_ALPHABET }: ChallengeOptions = {}): Challenge {
  switch (type) {
    case 'text': {
      const text = randomText(length, alphabet);
      return { text, answer: text };
    }
    case 'chinese': {
      const text = randomText(Math.min(length, MAX_CHINESE_LENGTH), CJK_CHARACTERS);
      return { text, answer: text };
    }
    case 'math':
      return mathChallenge();
    case 'audio': {
      const digits = Array.from({ length: AUDIO_DIGITS }, () => String(randomInt(10))).join('');
      return { text: digits, answer: digits };
    }
  }
}

/**
 * The probability of the most frequent answer of `type` with these options: what a client that
 * always types that answer, without looking at the image, passes. Exact, since every kind draws
 * its answer uniformly (text and Chinese symbol by symbol, math as a whole).
 */
export function blindGuessRate(type: CaptchaType, { length = 4, alphabet = DEFAULT_ALPHABET }: ChallengeOptions = {}): number {
  switch (type) {
    case 'text':
      return topSymbolShare(alphabet, length);
    case 'chinese':
      return topSymbolShare(CJK_CHARACTERS, Math.min(length, MAX_CHINESE_LENGTH));
    case 'math':
      return 1 / (MAX_RESULT - MIN_RESULT + 1);
    case 'audio':
      return 1 / 10 ** AUDIO_DIGITS;
  }
}

// randomText draws each of `length` positions uniformly from the alphabet's symbols, repeats
// included; whole numbers until the one division keep the rate exact.
function topSymbolShare(alphabet: string, length: number): number {
  const counts = new Map<string, number>();
  const symbols = Array.from(alphabet);
  for (const s of symbols) counts.set(s, (counts.get(s) ?? 0) + 1);
  return Math.max(...counts.values()) ** length / symbols.length ** length;
}

// The result is drawn first, uniformly, and the sum or difference is built around it, so every
// answer is equally likely whatever the operation. Products are left out: the products of small
// numbers crowd onto a few results (the old 2..99 mix answered 12 one time in 28), and
// multiplying larger ones is more than a sign-up form should ask. The second operand has two
// digits and the expression at most 7 characters, so the digits stay large in a 160×60 image;
// the `=?` that used to follow cost a fifth of their width (a page offering math captchas asks
// for the result in its label). "−" is the real sign (U+2212), which stays distinct from "-" when warped.
function mathChallenge(): Challenge {
  const result = randomInt(MIN_RESULT, MAX_RESULT + 1);
  if (randomInt(2) === 0) {
    const b = randomInt(10, Math.min(99, result - 10) + 1);
    return { text: `${result - b}+${b}`, answer: String(result) };
  }
  const b = randomInt(10, 100);
  return { text: `${result + b}\u2212${b}`, answer: String(result) };
}
