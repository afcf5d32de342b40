// Paints RGBX pixels (one little-endian int32 each, X = 0): the gradient background, thin lines, and the text layer.
import type { Palette, Rgb } from './palette.ts';
import { ONE, type Rasterizer } from './rasterize.ts';

// Coverage below this (in ONE units, 1/256) leaves a pixel as it is: skipping it is faster.
const FAINT = ONE >> 8;
const RB = 0xff00ff;
const G = 0x00ff00;

let inkColours = new Int32Array(0);

if (new Uint8Array(new Int32Array([1]).buffer)[0] !== 1) throw new Error('the captcha renderer needs a little-endian platform');

/** Fills `width` × `height` pixels with the palette's background, running from bg0 on the left to bg1. */
export function paintBackground(out: Int32Array, width: number, height: number, { bg0, bg1 }: Palette): void {
  gradient(out, width, bg0, bg1);
  for (let rows = 1; rows < height; rows *= 2) out.copyWithin(rows * width, 0, Math.min(rows, height - rows) * width);
}

/**
 * Blends the text layer's coverage over the pixels in `out`, in a colour running from fg0 on the
 * left to fg1. Reads and clears the layer's cells and marks, which leaves it empty for the next
 * image.
 */
export function paintInk(out: Int32Array, text: Rasterizer, { fg0, fg1 }: Palette): void {
  const { width, height, stride, words, cells, marks } = text;
  if (inkColours.length < width) inkColours = new Int32Array(width);
  const colours = inkColours;
  gradient(colours, width, fg0, fg1);
  // Walk the written cells of each row in order; between two of them coverage does not change,
  // so whole runs are skipped (empty) or filled (full) without summing cell by cell.
  for (let y = 0; y < height; y++) {
    const line = y * stride;
    const row = y * width;
    let sum = 0;
    let x = 0;
    for (let w = 0; w < words; w++) {
      let bits = marks[y * words + w]!;
      marks[y * words + w] = 0;
      while (bits !== 0) {
        const col = (w << 5) + 31 - Math.clz32(bits & -bits);
        bits &= bits - 1;
        const c = sum < 0 ? -sum : sum;
        if (c >= FAINT) {
          const end = col < width ? col : width;
          if (c > ONE - FAINT) for (; x < end; x++) out[row + x] = colours[x]!;
          else for (const a = c >> 8; x < end; x++) out[row + x] = blend(out[row + x]!, colours[x]!, a);
        }
        sum += cells[line + col]!;
        cells[line + col] = 0;
        x = col;
      }
    }
  }
  text.cleared();
}

/** Packs an RGB colour (0–255 channels) into a pixel. */
export function pack([r, g, b]: Rgb): number {
  return Math.round(r) | (Math.round(g) << 8) | (Math.round(b) << 16);
}

/**
 * `over` on top of `under` with `weight` in 0..256 (0: under, 256: over), both packed pixels.
 * Two channels per multiply: red and blue share one, green has its own. Products stay below 2^32,
 * so Math.imul's wrap-around and `>>> 8` give the exact result. X stays 0, which keeps every
 * pixel a small integer for V8 (no boxing when a call is not inlined).
 */
export function blend(under: number, over: number, weight: number): number {
  const keep = 256 - weight;
  const rb = ((Math.imul(under & RB, keep) + Math.imul(over & RB, weight)) >>> 8) & RB;
  const g = ((Math.imul(under & G, keep) + Math.imul(over & G, weight)) >>> 8) & G;
  return rb | g;
}

function gradient(out: Int32Array, width: number, from: Rgb, to: Rgb): void {
  const step = width > 1 ? 1 / (width - 1) : 0;
  for (let x = 0; x < width; x++) {
    const t = x * step;
    const r = (from[0] + (to[0] - from[0]) * t + 0.5) | 0;
    const g = (from[1] + (to[1] - from[1]) * t + 0.5) | 0;
    const b = (from[2] + (to[2] - from[2]) * t + 0.5) | 0;
    out[x] = r | (g << 8) | (b << 16);
  }
}
