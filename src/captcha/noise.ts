// Noise drawn over and under the text: thick curves like the glyphs' strokes, and a light background texture.
import type { TextShape } from './distort.ts';
import { blend } from './paint.ts';
import type { Random } from './random.ts';
import type { Rasterizer } from './rasterize.ts';
import type { CaptchaStyle } from './style.ts';

const SAMPLES = 20;
const stroke = new Float64Array(SAMPLES * 4);
// Texture curves are thin and light: a few straight pieces each will do.
const TEXTURE_SAMPLES = 10;
const polyline = new Float64Array(2 * TEXTURE_SAMPLES + 2);
const wave = new Float64Array(SAMPLES * 2);

/**
 * Draws `style.cuts` curves nearly as thick as the glyph stems across the text, into the text's own layer
 * so they share its colour. They wind against the glyphs, so where a curve crosses ink it cuts a
 * gap instead of adding a stroke: letters keep their shape (a line added to P makes an R, a gap
 * does not), yet curve and glyph strokes stay alike. `fill` is the winding sign of the glyphs.
 */
export function drawNoiseCurves(raster: Rasterizer, rng: Random, text: TextShape, fill: number, style: CaptchaStyle): void {
  const { top, bottom } = text;
  const w = raster.width;
  const th = bottom - top;
  const count = rng.int(style.cuts[0], style.cuts[1]);
  for (let k = 0; k < count; k++) {
    // Each curve slants across its own share of the width, from the top of the text to its
    // bottom or back: a glyph cut once on the slant stays readable; cut twice, or along the
    // middle of the text, it often does not. A third curve made too many glyphs unreadable.
    const share = (w + 8) / count;
    const centre = -4 + share * (k + 0.5 + rng.range(-0.1, 0.1));
    const half = share * rng.range(0.4, 0.5);
    const xa = centre - half;
    const xd = centre + half;
    const down = rng.sign();
    const ya = top + th * (0.5 - down * rng.range(0.25, 0.45));
    const yd = top + th * (0.5 + down * rng.range(0.25, 0.45));
    const yb = ya + (yd - ya) / 3 + th * rng.range(-0.08, 0.08);
    const yc = ya + ((yd - ya) * 2) / 3 + th * rng.range(-0.08, 0.08);
    const halfWidth = (text.strokeWidth * rng.range(style.cutWidth[0], style.cutWidth[1])) / 2;
    strokeCubic(raster, xa, ya, xa + (xd - xa) / 3, yb, xa + ((xd - xa) * 2) / 3, yc, xd, yd, halfWidth, -fill);
  }
}

/**
 * Draws `style.threads` long thin curves in the ink's own colour and layer through the text, from
 * one end to the other. About a fifth of a stem wide, they leave every glyph's shape plain to a
 * person, yet they join the glyphs into one shape for anything that segments by colour, and they
 * survive thresholding. The median filters that would remove them also erode the cuts into glyphs.
 */
export function drawThreads(raster: Rasterizer, rng: Random, text: TextShape, fill: number, style: CaptchaStyle): void {
  const { left, right, top, bottom } = text;
  const th = bottom - top;
  const count = rng.int(style.threads[0], style.threads[1]);
  const halfWidth = Math.max(0.6, text.strokeWidth * 0.1);
  for (let k = 0; k < count; k++) {
    // A wave about as long as two glyphs and a quarter of the text high: it crosses the stems
    // at a slant instead of running along the middle, where it would read as a crossbar.
    const x0 = left - rng.range(0, 6);
    const x1 = right + rng.range(0, 6);
    const amplitude = th * rng.range(0.18, 0.3);
    const centre = top + th * rng.range(0.35, 0.65);
    const k2 = (2 * Math.PI) / (th * rng.range(1.2, 2));
    const phase = rng.range(0, 2 * Math.PI);
    for (let i = 0; i < SAMPLES; i++) {
      const x = x0 + ((x1 - x0) * i) / (SAMPLES - 1);
      wave[2 * i] = x;
      wave[2 * i + 1] = centre + amplitude * Math.sin(k2 * (x - x0) + phase);
    }
    strokePolyline(raster, wave, halfWidth, fill);
  }
}

/**
 * Draws `style.texture` thin curves of `colour` (a packed pixel) anywhere on the canvas: the texture
 * of the background. They are plain anti-aliased lines drawn straight into the pixels, much cheaper
 * than a rasterized layer.
 */
export function drawTexture(out: Int32Array, width: number, height: number, rng: Random, colour: number, style: CaptchaStyle): void {
  const count = rng.int(style.texture[0], style.texture[1]);
  const strength = Math.round(rng.range(0.45, 0.6) * 256);
  for (let k = 0; k < count; k++) {
    const x0 = rng.range(-0.1, 0.3) * width;
    const y0 = rng.range(0, height);
    const x1 = rng.range(0, width);
    const y1 = rng.range(-0.5, 1.5) * height;
    const x2 = rng.range(0, width);
    const y2 = rng.range(-0.5, 1.5) * height;
    const x3 = rng.range(0.7, 1.1) * width;
    const y3 = rng.range(0, height);
    for (let i = 0; i <= TEXTURE_SAMPLES; i++) {
      const t = i / TEXTURE_SAMPLES;
      const u = 1 - t;
      polyline[2 * i] = u * u * u * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t * t * t * x3;
      polyline[2 * i + 1] = u * u * u * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t * t * t * y3;
    }
    thinLines(out, width, height, TEXTURE_SAMPLES, colour, strength);
  }
}

// Draws the `count` segments of `polyline` as Xiaolin Wu lines: along the major axis, each step
// shares `strength` (of 256) between the two pixels nearest the line. Steps are half-open, so
// joined segments do not draw their joint twice.
function thinLines(out: Int32Array, width: number, height: number, count: number, colour: number, strength: number): void {
  for (let k = 0; k < count; k++) {
    const x0 = polyline[2 * k]!;
    const y0 = polyline[2 * k + 1]!;
    const x1 = polyline[2 * k + 2]!;
    const y1 = polyline[2 * k + 3]!;
    const steep = Math.abs(y1 - y0) > Math.abs(x1 - x0);
    let a0 = steep ? y0 : x0;
    let b0 = steep ? x0 : y0;
    let a1 = steep ? y1 : x1;
    let b1 = steep ? x1 : y1;
    if (a0 > a1) {
      const a = a0;
      const b = b0;
      a0 = a1;
      b0 = b1;
      a1 = a;
      b1 = b;
    }
    const slope = a1 === a0 ? 0 : (b1 - b0) / (a1 - a0);
    // Pixel index steps along the major axis and across it.
    const major = steep ? width : 1;
    const minor = steep ? 1 : width;
    const minorSize = steep ? width : height;
    const end = Math.min(steep ? height : width, Math.ceil(a1));
    for (let a = Math.max(0, Math.ceil(a0)); a < end; a++) {
      const b = b0 + slope * (a - a0);
      const bi = Math.floor(b);
      const far = ((b - bi) * strength) | 0;
      const i = a * major + bi * minor;
      if (bi >= 0 && bi < minorSize) out[i] = blend(out[i]!, colour, strength - far);
      if (bi + 1 >= 0 && bi + 1 < minorSize) out[i + minor] = blend(out[i + minor]!, colour, far);
    }
  }
}

// Outlines the cubic Bézier p0..p3 as a closed polygon of the given half width (butt ends) and fills it.
function strokeCubic(
  raster: Rasterizer,
  x0: number, y0: number, x1: number, y1: number, x2: number, y2: number, x3: number, y3: number,
  halfWidth: number, fill: number,
): void {
  const last = 2 * SAMPLES - 1;
  let area = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const t = i / (SAMPLES - 1);
    const u = 1 - t;
    const px = u * u * u * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t * t * t * x3;
    const py = u * u * u * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t * t * t * y3;
    // Derivative of the cubic, for the normal.
    const dx = 3 * (u * u * (x1 - x0) + 2 * u * t * (x2 - x1) + t * t * (x3 - x2));
    const dy = 3 * (u * u * (y1 - y0) + 2 * u * t * (y2 - y1) + t * t * (y3 - y2));
    const len = Math.sqrt(dx * dx + dy * dy) || 1;
    const nx = (-dy / len) * halfWidth;
    const ny = (dx / len) * halfWidth;
    stroke[2 * i] = px + nx;
    stroke[2 * i + 1] = py + ny;
    stroke[2 * (last - i)] = px - nx;
    stroke[2 * (last - i) + 1] = py - ny;
  }
  for (let i = 0, j = last; i <= last; j = i++) {
    area += stroke[2 * j]! * stroke[2 * i + 1]! - stroke[2 * i]! * stroke[2 * j + 1]!;
  }
  raster.polygon(stroke, 0, last + 1, (area > 0 ? 1 : -1) !== fill);
}

// Outlines the SAMPLES points of `line` as a closed polygon of the given half width and fills it.
function strokePolyline(raster: Rasterizer, line: Float64Array, halfWidth: number, fill: number): void {
  const last = 2 * SAMPLES - 1;
  let area = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const a = i > 0 ? i - 1 : i;
    const b = i < SAMPLES - 1 ? i + 1 : i;
    const dx = line[2 * b]! - line[2 * a]!;
    const dy = line[2 * b + 1]! - line[2 * a + 1]!;
    const len = Math.sqrt(dx * dx + dy * dy) || 1;
    const nx = (-dy / len) * halfWidth;
    const ny = (dx / len) * halfWidth;
    stroke[2 * i] = line[2 * i]! + nx;
    stroke[2 * i + 1] = line[2 * i + 1]! + ny;
    stroke[2 * (last - i)] = line[2 * i]! - nx;
    stroke[2 * (last - i) + 1] = line[2 * i + 1]! - ny;
  }
  for (let i = 0, j = last; i <= last; j = i++) {
    area += stroke[2 * j]! * stroke[2 * i + 1]! - stroke[2 * i]! * stroke[2 * j + 1]!;
  }
  raster.polygon(stroke, 0, last + 1, (area > 0 ? 1 : -1) !== fill);
}
