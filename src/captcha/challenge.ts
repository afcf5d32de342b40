// The kinds of captcha: what is drawn and what the answer is. `text` draws its answer; `math`
// draws a sum whose result is the answer; `chinese` draws common Chinese characters.
import { randomInt } from 'node:crypto';
import { DEFAULT_ALPHABET, randomText } from './alphabet.ts';
import { CJK_CHARACTERS } from './cjk-characters.ts';

export type CaptchaType = 'text' | 'math' | 'chinese';
export const CAPTCHA_TYPES: readonly CaptchaType[] = ['text', 'math', 'chinese'];

export interface Challenge {
  /** What the image shows. */
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
  }
}

// A sum, a difference or a product of small numbers; the result is 2..99 and never negative.
// "−" and "×" are the real signs (U+2212, U+00D7), which stay distinct from "-" and "x" when warped.
function mathChallenge(): Challenge {
  const op = randomInt(3);
  let a: number;
  let b: number;
  let result: number;
  let sign: string;
  if (op === 0) {
    a = randomInt(1, 50);
    b = randomInt(1, 10);
    result = a + b;
    sign = '+';
  } else if (op === 1) {
    a = randomInt(11, 60);
    b = randomInt(1, 10);
    result = a - b;
    sign = '\u2212';
  } else {
    a = randomInt(2, 10);
    b = randomInt(2, 10);
    result = a * b;
    sign = '\u00d7';
  }
  return { text: `${a}${sign}${b}=?`, answer: String(result) };
}
