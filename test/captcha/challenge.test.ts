// The kinds of captcha: text, math and Chinese challenges, and that each can be drawn.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { DEFAULT_ALPHABET } from '../../src/captcha/alphabet.ts';
import { makeChallenge, MAX_CHINESE_LENGTH } from '../../src/captcha/challenge.ts';
import { CJK_CHARACTERS } from '../../src/captcha/cjk-characters.ts';
import { glyphFor } from '../../src/captcha/font.ts';
import { renderCaptchaSync } from '../../src/captcha/render.ts';

const evaluate = (text: string): number => {
  const match = /^(\d+)([+\u2212\u00d7])(\d+)=\?$/.exec(text);
  assert.ok(match, `a sum: ${text}`);
  const [a, b] = [Number(match[1]), Number(match[3])];
  return match[2] === '+' ? a + b : match[2] === '\u2212' ? a - b : a * b;
};

describe('makeChallenge', () => {
  it('draws a text captcha whose answer is its text, from the alphabet', () => {
    const { text, answer } = makeChallenge('text', { length: 5 });
    assert.equal(text, answer);
    assert.match(text, new RegExp(`^[${DEFAULT_ALPHABET}]{5}$`));
  });

  it('draws a math captcha whose answer is the result, a whole number from 2 to 99', () => {
    for (let i = 0; i < 500; i++) {
      const { text, answer } = makeChallenge('math');
      assert.equal(answer, String(evaluate(text)));
      assert.ok(Number(answer) >= 2 && Number(answer) <= 99, text);
    }
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

describe('fonts of the captcha kinds', () => {
  it('has a glyph for every Chinese character of the set, and for the math signs', () => {
    for (const char of CJK_CHARACTERS) assert.ok(glyphFor(char).cjk, char);
    for (const char of '0123456789+\u2212\u00d7=?') assert.ok(glyphFor(char).points.length > 0, char);
  });

  it('renders math and Chinese captchas as JPEG images of the requested size', async () => {
    for (const text of ['7+5=?', '42\u22129=?', '6\u00d78=?', '学院电话']) {
      const meta = await sharp(renderCaptchaSync(text, { seed: 1 })).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 160, 60], text);
    }
  });
});
