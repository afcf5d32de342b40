// The kinds of captcha: text, math and Chinese challenges, and that each can be drawn.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { DEFAULT_ALPHABET } from '../../src/captcha/alphabet.ts';
import { measureBlindGuess } from '../../src/captcha/blind-guess.ts';
import { blindGuessRate, CAPTCHA_TYPES, makeChallenge, MAX_BLIND_GUESS_RATE, MAX_CHINESE_LENGTH } from '../../src/captcha/challenge.ts';
import { CJK_CHARACTERS } from '../../src/captcha/cjk-characters.ts';
import { glyphFor } from '../../src/captcha/font.ts';
import { renderCaptchaSync } from '../../src/captcha/render.ts';

const evaluate = (text: string): number => {
  const match = /^(\d+)([+\u2212])(\d\d)$/.exec(text);
  assert.ok(match, `a sum or a difference with a two-digit second operand: ${text}`);
  const [a, b] = [Number(match[1]), Number(match[3])];
  return match[2] === '+' ? a + b : a - b;
};

describe('makeChallenge', () => {
  it('draws a text captcha whose answer is its text, from the alphabet', () => {
    const { text, answer } = makeChallenge('text', { length: 5 });
    assert.equal(text, answer);
    assert.match(text, new RegExp(`^[${DEFAULT_ALPHABET}]{5}$`));
  });

  it('draws a math captcha whose answer is the result, a whole number from 100 to 1999, in at most 7 characters', () => {
    const signs = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const { text, answer } = makeChallenge('math');
      assert.equal(answer, String(evaluate(text)));
      assert.ok(Number(answer) >= 100 && Number(answer) <= 1999, text);
      assert.ok(text.length <= 7, text);
      assert.ok(!/^0/.test(text), text);
      signs.add(text.includes('+') ? '+' : '\u2212');
    }
    assert.equal(signs.size, 2);
  });

  it('draws a Chinese captcha of at most four characters from the bundled set', () => {
    for (const length of [3, 4, 6]) {
      const { text, answer } = makeChallenge('chinese', { length });
      assert.equal(text, answer);
      assert.equal(Array.from(text).length, Math.min(length, MAX_CHINESE_LENGTH));
      for (const char of text) assert.ok(CJK_CHARACTERS.includes(char), char);
    }
  });
});

describe('blind guesses', () => {
  // 100,000 draws per kind: at the limit of 1 in 1,000 the top answer would come up about 100
  // times, so a kind that fails is seen failing, and a uniform 1 in 1,900 (math) stays far below.
  for (const type of CAPTCHA_TYPES) {
    it(`the most frequent ${type} answer comes up at most once in 1,000 draws`, () => {
      const { answer, count, draws, rate } = measureBlindGuess(type, 100_000);
      assert.ok(rate <= MAX_BLIND_GUESS_RATE, `${type}: "${answer}" came up ${count} times in ${draws}`);
      assert.ok(blindGuessRate(type) <= MAX_BLIND_GUESS_RATE);
    });
  }

  it('computes the exact rate of each kind', () => {
    assert.equal(blindGuessRate('text'), 1 / 20 ** 4);
    assert.equal(blindGuessRate('text', { length: 3, alphabet: 'AB' }), 1 / 8);
    assert.equal(blindGuessRate('text', { length: 2, alphabet: 'AAB' }), 4 / 9);
    assert.equal(blindGuessRate('chinese', { length: 8 }), 1 / Array.from(CJK_CHARACTERS).length ** 4);
    assert.equal(blindGuessRate('math'), 1 / 1900);
  });
});

describe('fonts of the captcha kinds', () => {
  it('has a glyph for every Chinese character of the set, and for the math signs', () => {
    for (const char of CJK_CHARACTERS) assert.ok(glyphFor(char).cjk, char);
    for (const char of '0123456789+\u2212\u00d7=?') assert.ok(glyphFor(char).points.length > 0, char);
  });

  it('renders math and Chinese captchas as JPEG images of the requested size', async () => {
    for (const text of ['1847+96', '2034\u221235', '学院电话']) {
      const meta = await sharp(renderCaptchaSync(text, { seed: 1 })).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 160, 60], text);
    }
  });
});
