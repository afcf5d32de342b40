// Draws one captcha into RGBX pixels: background and texture, distorted text, noise curves.
import { layoutText } from './distort.ts';
import { fillSign } from './font.ts';
import { drawNoiseCurves, drawTexture, drawThreads } from './noise.ts';
import { pack, paintBackground, paintInk } from './paint.ts';
import { pickPalette } from './palette.ts';
import type { Random } from './random.ts';
import { Rasterizer } from './rasterize.ts';
import type { CaptchaStyle } from './style.ts';

const textLayer = new Rasterizer();
let pixels = new Int32Array(0);
let pixelBytes = Buffer.alloc(0);
let fill = 0;

/**
 * Draws `text` on a `width` × `height` canvas with randomness from `rng`, and returns its pixels
 * as RGBX rows (4 bytes per pixel, the 4th always 0). The result is a scratch buffer,
 * overwritten by the next call: encode or copy it before drawing again. Every character must
 * have a glyph (see font.ts). `style` bounds the random choices (see style.ts).
 */
export function drawCaptcha(text: string, width: number, height: number, rng: Random, style: CaptchaStyle): Buffer {
  const size = width * height;
  if (pixels.length < size) {
    pixels = new Int32Array(size);
    pixelBytes = Buffer.from(pixels.buffer);
  }
  if (fill === 0) fill = fillSign();

  const palette = pickPalette(rng, style);
  paintBackground(pixels, width, height, palette);
  drawTexture(pixels, width, height, rng, pack(palette.texture), style);

  textLayer.reset(width, height);
  const shape = layoutText(text, width, height, rng, style);
  let start = 0;
  for (let k = 0; k < shape.contourCount; k++) {
    const end = shape.contourEnds[k]!;
    textLayer.polygon(shape.points, start, end);
    start = end;
  }
  drawNoiseCurves(textLayer, rng, shape, fill, style);
  drawThreads(textLayer, rng, shape, fill, style);
  paintInk(pixels, textLayer, palette);
  return pixelBytes.subarray(0, size * 4);
}
