import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { it } from 'node:test';
import { pickPalette, MIN_CONTRAST, type Rgb } from '../../src/captcha/palette.ts';
import { Random } from '../../src/captcha/random.ts';
import { DEFAULT_STYLE, styleFromSecret } from '../../src/captcha/style.ts';

const luminance = (c: Rgb) =>
  c.map((v) => v / 255).map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i]!, 0);
const contrast = (a: Rgb, b: Rgb) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

it('every palette returns, with text at least 7:1 against the background, for any style and seed', { timeout: 30_000 }, () => {
  // A palette whose texture is too dark to reach 7:1 once sent an unbounded darkening loop
  // spinning forever; this walks many styles and seeds through it.
  const styles = [DEFAULT_STYLE, ...Array.from({ length: 50 }, () => styleFromSecret(randomBytes(32)))];
  for (const style of styles) {
    for (let seed = 0; seed < 2000; seed++) {
      const { bg0, bg1, fg0, fg1 } = pickPalette(new Random(seed), style);
      for (const fg of [fg0, fg1]) for (const bg of [bg0, bg1]) assert.ok(contrast(fg, bg) >= MIN_CONTRAST, `seed ${seed}`);
    }
  }
});
