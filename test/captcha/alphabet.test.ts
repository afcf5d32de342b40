// The captcha alphabet, random answers and the normal form of answers.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_ALPHABET, normaliseAnswer, randomText } from '../../src/captcha/alphabet.ts';
import { glyphFor } from '../../src/captcha/font.ts';

describe('DEFAULT_ALPHABET', () => {
  it('has at least 20 distinct upper-case symbols', () => {
    const symbols = Array.from(DEFAULT_ALPHABET);
    assert.ok(symbols.length >= 20);
    assert.equal(new Set(symbols).size, symbols.length);
    assert.equal(DEFAULT_ALPHABET, DEFAULT_ALPHABET.toUpperCase());
  });

  it('leaves out every look-alike it excludes', () => {
    for (const excluded of '0OQ1I2Z5S6G8BFV7') assert.ok(!DEFAULT_ALPHABET.includes(excluded), `${excluded} is excluded`);
  });

  it('has a visible glyph for every symbol in the bundled font', () => {
    for (const symbol of DEFAULT_ALPHABET) assert.ok(glyphFor(symbol).points.length > 0);
  });
});

describe('randomText', () => {
  it('uses only the alphabet and has the requested length', () => {
    for (const length of [1, 4, 6, 12]) {
      const text = randomText(length);
      assert.equal(text.length, length);
      for (const symbol of text) assert.ok(DEFAULT_ALPHABET.includes(symbol), `${symbol} is in the alphabet`);
    }
  });

  it('draws from a custom alphabet', () => {
    assert.match(randomText(50, 'AB'), /^[AB]{50}$/);
  });

  it('draws every symbol, roughly evenly', () => {
    const counts = new Map<string, number>();
    for (const symbol of randomText(20_000)) counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
    assert.equal(counts.size, DEFAULT_ALPHABET.length);
    const expected = 20_000 / DEFAULT_ALPHABET.length;
    for (const [symbol, count] of counts) assert.ok(Math.abs(count - expected) < expected * 0.25, `${symbol}: ${count}`);
  });

  it('rejects a length below one and an alphabet of one symbol', () => {
    assert.throws(() => randomText(0), RangeError);
    assert.throws(() => randomText(2.5), RangeError);
    assert.throws(() => randomText(4, 'A'), RangeError);
  });
});

describe('normaliseAnswer', () => {
  it('trims and upper-cases', () => {
    assert.equal(normaliseAnswer('  ab3x\t\n'), 'AB3X');
  });

  it('applies NFKC first, so full-width input matches', () => {
    assert.equal(normaliseAnswer('ＡＢ３ｘ'), 'AB3X');
  });

  it('changes nothing else: no look-alike mapping, inner spaces kept', () => {
    assert.equal(normaliseAnswer('o0 1l'), 'O0 1L');
  });
});
