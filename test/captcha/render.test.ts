// Rendering captchas through the public door: formats, sizes, determinism, bad input.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { layoutText } from '../../src/captcha/distort.ts';
import { crc32 } from '../../src/captcha/png.ts';
import { ONE, Rasterizer } from '../../src/captcha/rasterize.ts';
import { Random } from '../../src/captcha/random.ts';
import { MEDIA_TYPES, renderCaptcha, renderCaptchaSync, type ImageFormat } from '../../src/captcha/render.ts';
import { DEFAULT_STYLE } from '../../src/captcha/style.ts';

const FORMATS: ImageFormat[] = ['jpeg', 'png', 'webp'];

// Width and height from the first baseline (SOF0) frame header.
function jpegSize(jpeg: Buffer): { width: number; height: number } {
  let at = 2;
  while (at < jpeg.length) {
    assert.equal(jpeg[at], 0xff, 'a JPEG marker');
    const marker = jpeg[at + 1]!;
    if (marker === 0xc0) return { height: jpeg.readUInt16BE(at + 5), width: jpeg.readUInt16BE(at + 7) };
    at += 2 + jpeg.readUInt16BE(at + 2);
  }
  throw new Error('no SOF0 marker');
}

describe('renderCaptcha', () => {
  it('renders a JPEG by default: FF D8, 160 × 60', async () => {
    const jpeg = await renderCaptcha('AXE4');
    assert.deepEqual([jpeg[0], jpeg[1]], [0xff, 0xd8]);
    assert.deepEqual([jpeg.at(-2), jpeg.at(-1)], [0xff, 0xd9]);
    assert.deepEqual(jpegSize(jpeg), { width: 160, height: 60 });
    const meta = await sharp(jpeg).metadata();
    assert.deepEqual([meta.format, meta.channels], ['jpeg', 3]);
  });

  it('renders a PNG with a valid signature, IHDR and chunk CRCs', async () => {
    const png = await renderCaptcha('MWKH', { format: 'png', width: 170, height: 64 });
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const types: string[] = [];
    for (let at = 8; at < png.length; ) {
      const length = png.readUInt32BE(at);
      const type = png.toString('latin1', at + 4, at + 8);
      types.push(type);
      assert.equal(png.readUInt32BE(at + 8 + length), crc32(png, at + 4, at + 8 + length), `CRC of ${type}`);
      if (type === 'IHDR') {
        assert.deepEqual([png.readUInt32BE(at + 8), png.readUInt32BE(at + 12)], [170, 64]);
        assert.deepEqual([...png.subarray(at + 16, at + 21)], [8, 2, 0, 0, 0]); // 8-bit RGB, no interlace
      }
      at += 12 + length;
    }
    assert.deepEqual(types, ['IHDR', 'IDAT', 'IEND']);
    const { info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height, info.channels], [170, 64, 3]);
  });

  it('renders a WebP that decodes to the requested size', async () => {
    const webp = await renderCaptcha('PR9C', { format: 'webp', width: 200, height: 80 });
    assert.equal(webp.toString('latin1', 8, 12), 'WEBP');
    const meta = await sharp(webp).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height, meta.hasAlpha], ['webp', 200, 80, false]);
  });

  it('shows the same picture in every format', async () => {
    const reference = await sharp(await renderCaptcha('AXE4', { format: 'png', seed: 3 })).raw().toBuffer();
    for (const format of ['jpeg', 'webp'] as const) {
      const pixels = await sharp(await renderCaptcha('AXE4', { format, seed: 3, quality: 95 })).raw().toBuffer();
      assert.equal(pixels.length, reference.length);
      let difference = 0;
      for (let i = 0; i < pixels.length; i++) difference += Math.abs(pixels[i]! - reference[i]!);
      assert.ok(difference / pixels.length < 4, `${format}: mean difference ${difference / pixels.length}`);
    }
  });

  it('the same seed renders identical bytes, in every format', async () => {
    for (const format of FORMATS) {
      const a = await renderCaptcha('J3LT', { format, seed: 42 });
      const b = await renderCaptcha('J3LT', { format, seed: 42 });
      assert.ok(a.equals(b), format);
    }
  });

  it('different seeds, different texts and no seed at all render different images', async () => {
    const a = renderCaptchaSync('YUND', { seed: 1 });
    assert.ok(!a.equals(renderCaptchaSync('YUND', { seed: 2 })));
    assert.ok(!a.equals(renderCaptchaSync('YUNE', { seed: 1 })));
    assert.ok(!renderCaptchaSync('YUND').equals(renderCaptchaSync('YUND')));
  });

  it('renders do not share state: each result is its own, whatever ran in between', async () => {
    const first = renderCaptchaSync('HEAT', { seed: 7, format: 'png' });
    const pending = renderCaptcha('HEAT', { seed: 7, format: 'webp' });
    const between = renderCaptchaSync('MWKH', { seed: 8, width: 300, height: 120 });
    const again = renderCaptchaSync('HEAT', { seed: 7, format: 'png' });
    assert.ok(first.equals(again));
    assert.ok(!between.equals(renderCaptchaSync('MWKH', { seed: 9, width: 300, height: 120 })));
    assert.ok((await pending).equals(await renderCaptcha('HEAT', { seed: 7, format: 'webp' })));
  });

  it('works at any size in the supported range', async () => {
    for (const [width, height] of [[40, 20], [60, 30], [120, 40], [160, 60], [250, 60], [400, 200], [90, 160], [1000, 500]] as const) {
      const jpeg = renderCaptchaSync('C4MX', { width, height, seed: width + height });
      assert.deepEqual(jpegSize(jpeg), { width, height });
      const { info } = await sharp(renderCaptchaSync('C4MX', { width, height, format: 'png' })).raw().toBuffer({ resolveWithObject: true });
      assert.deepEqual([info.width, info.height], [width, height]);
    }
  });

  it('keeps every glyph inside the image, clear of the edges', () => {
    for (const [width, height] of [[160, 60], [60, 30], [400, 60], [80, 200]] as const) {
      for (let seed = 0; seed < 100; seed++) {
        const shape = layoutText('WMKH', width, height, new Random(seed));
        const points = shape.points.subarray(0, 2 * shape.contourEnds[shape.contourCount - 1]!);
        for (let i = 0; i < points.length; i += 2) {
          assert.ok(points[i]! >= 1 && points[i]! <= width - 1, `x ${points[i]} in ${width}`);
          assert.ok(points[i + 1]! >= 1 && points[i + 1]! <= height - 1, `y ${points[i + 1]} in ${height}`);
        }
      }
    }
  });

  it('draws outlined glyphs as rings: hollow inside, never inside out', () => {
    // Signed coverage of the text layer per pixel (±1: ink, in the glyphs' winding).
    const coverage = (outline: number, seed: number) => {
      const layer = new Rasterizer();
      layer.reset(160, 60);
      const shape = layoutText('HWKM', 160, 60, new Random(seed), { ...DEFAULT_STYLE, outline });
      let start = 0;
      for (let k = 0; k < shape.contourCount; k++) {
        layer.polygon(shape.points, start, shape.contourEnds[k]!);
        start = shape.contourEnds[k]!;
      }
      const signed: number[] = [];
      for (let y = 0; y < 60; y++) {
        let sum = 0;
        for (let x = 0; x < 160; x++) signed.push((sum += layer.cells[y * layer.stride + x]!) / ONE);
      }
      layer.resolve(new Float32Array(160 * 60));
      return signed;
    };
    for (let seed = 0; seed < 20; seed++) {
      // In the direction of the filled glyphs' ink: 1 is ink, below 0 an outline turned inside out.
      const raw = coverage(0, seed);
      const direction = Math.sign(raw.reduce((a, v) => a + v, 0));
      const filled = raw.map((v) => v * direction);
      const outlined = coverage(1, seed).map((v) => v * direction);
      const ink = (c: number[]) => c.reduce((a, v) => a + Math.min(1, Math.max(0, v)), 0);
      assert.ok(Math.min(...outlined) > -0.02, `seed ${seed}: the inner copy of an outline turned inside out`);
      // Where a filled glyph is solid ink (inside its stems), an outlined one leaves holes.
      const holes = filled.filter((v, i) => v >= 0.999 && outlined[i]! < 0.01).length;
      assert.ok(holes > 0.1 * ink(filled), `seed ${seed}: ${holes} hollow pixels`);
      assert.ok(ink(outlined) > 0.5 * ink(filled), `seed ${seed}: the rings carry ink`);
    }
  });

  it('rejects characters the font cannot draw, naming them', () => {
    assert.throws(() => renderCaptchaSync('AB漢C'), /no glyph for "漢" \(U\+6F22\)/);
    assert.throws(() => renderCaptchaSync('A😀'), /no glyph for "😀"/);
    assert.throws(() => renderCaptchaSync('AB C'), /no visible glyph for " "/);
  });

  it('rejects bad options and empty text with a RangeError', async () => {
    for (const opts of [{ width: 39 }, { width: 1001 }, { height: 19 }, { height: 60.5 }, { quality: 0 }, { quality: 101 }, { seed: Number.NaN }]) {
      assert.throws(() => renderCaptchaSync('AXE4', opts), RangeError, JSON.stringify(opts));
    }
    assert.throws(() => renderCaptchaSync(''), RangeError);
    await assert.rejects(renderCaptcha('AXE4', { format: 'webp', width: 5 }), RangeError);
    assert.throws(() => renderCaptchaSync('AXE4', { format: 'webp' as 'png' }), /jpeg or png/);
  });

  it('names a media type for every format', () => {
    assert.deepEqual(MEDIA_TYPES, { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' });
  });
});

describe('crc32', () => {
  it('matches the standard check value', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  });
});
