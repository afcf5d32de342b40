// Lays the glyphs out with per-glyph weight, rotation, scale, shear and offset, so that they touch
// or overlap; warps them with waves that change along the text; and fits them to the image.
import { glyphFor, isCjk } from './font.ts';
import type { Random } from './random.ts';
import { DEFAULT_STYLE, type CaptchaStyle } from './style.ts';

/** The text as polygons in pixel coordinates. `points` and `contourEnds` are scratch buffers, valid until the next call. */
export interface TextShape {
  points: Float64Array;
  contourEnds: Uint32Array;
  contourCount: number;
  left: number;
  top: number;
  right: number;
  bottom: number;
  /** Width of the glyphs' stems in pixels. */
  strokeWidth: number;
}

const DEG = Math.PI / 180;
// Horizontal profiles are kept in bands of BAND em between -BAND_SPAN and +BAND_SPAN around the centre line.
const BAND = 1 / 16;
const BAND_SPAN = 1;
const BANDS = Math.round((2 * BAND_SPAN) / BAND);

// Outlined glyphs (style.outline), in em for a stem of 0.15 em: the ring runs from GROW outside
// the outline to SHRINK inside it, but never deeper than DEEPEST of the stem's width, so that
// every stem keeps a hollow middle and the inner copy never turns inside out.
const OUTLINE_GROW = 0.03;
const OUTLINE_SHRINK = 0.035;
const OUTLINE_DEEPEST = 0.3;

let points = new Float64Array(4096);
let contourEnds = new Uint32Array(64);
const glyphLeft = new Float64Array(BANDS);
const glyphRight = new Float64Array(BANDS);
const textRight = new Float64Array(BANDS);

/**
 * Places `text` (every character must have a glyph; see font.ts) on a `width` × `height` canvas,
 * as large as fits inside a small margin, so no glyph is ever cut off. `style` bounds every random
 * choice.
 */
export function layoutText(text: string, width: number, height: number, rng: Random, style: CaptchaStyle = DEFAULT_STYLE): TextShape {
  // One face per glyph from the style's mix; a single face draws nothing, which keeps the public
  // style's images as they were. A Chinese character is drawn in the style's Chinese face, but a
  // Latin face is drawn for it all the same, so that the draws after it stay as they were.
  const faces = style.fonts;
  const glyphs = Array.from(text, (char) => {
    const face = faces.length > 1 ? faces[rng.int(0, faces.length - 1)]! : faces[0];
    return glyphFor(char, isCjk(char) ? style.chineseFont : face);
  });
  // Which glyphs are drawn as outlines: all or none (no random draw, so a style without outlines
  // draws exactly what it drew before they existed), or each one by chance.
  const outlined = glyphs.map((g) => !g.cjk && !g.sign && (style.outline >= 1 || (style.outline > 0 && rng.float() < style.outline)));
  let pointCount = 0;
  let contourCount = 0;
  glyphs.forEach((g, k) => {
    const copies = outlined[k] ? 2 : 1;
    pointCount += (copies * g.points.length) / 2;
    contourCount += copies * g.contourEnds.length;
  });
  if (points.length < pointCount * 2) points = new Float64Array(pointCount * 2);
  if (contourEnds.length < contourCount) contourEnds = new Uint32Array(contourCount);

  textRight.fill(-Infinity);
  let offset = 0;
  let contour = 0;
  let prevCentre = -Infinity;
  let strokeSum = 0;
  // Stroke width wave: one wavelength and phase per image, so it runs on from glyph to glyph.
  const weightK = 1 / rng.range(0.25, 0.5);
  const weightPhase = rng.float();
  let afterSign = false;
  for (const [k, g] of glyphs.entries()) {
    const scale = rng.range(style.scale[0], style.scale[1]);
    const sx = scale * rng.range(style.condense[0], style.condense[1]);
    const sy = scale;
    // Chinese characters are dense: less rotation and shear, and no overlap, keep them readable.
    // Math signs are small and mean everything: upright, and apart from their neighbours.
    const calm = g.sign ? 0.15 : g.cjk ? 0.5 : 1;
    const angle = (style.rotationBias + rng.range(-style.rotationSpread, style.rotationSpread)) * calm * DEG;
    const shear = (style.shearBias + rng.range(-style.shearSpread, style.shearSpread)) * calm;
    // Glyphs bounce off the baseline: OCR expects one line; people read around it. ±0.16 em
    // against ±0.1 cut tesseract's exact reads from 10 to 3 in 2,000 images (psm 7 and 8), for
    // glyphs 5 % smaller once the taller text is fitted to the image.
    const lift = rng.range(-0.16, 0.16) * calm;
    const strokeScale = g.strokeEm / 0.15;
    const weight = rng.range(style.weight[0], style.weight[1]) * strokeScale;
    const weightWave = style.weightWave * strokeScale;
    strokeSum += scale * (g.strokeEm + 2 * weight);
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    const cx = (g.xMin + g.xMax) / 2;
    const cy = (g.yMin + g.yMax) / 2;
    // Matrix of rotate ∘ shear ∘ scale.
    const m00 = cos * sx;
    const m01 = (cos * shear - sin) * sy;
    const m10 = sin * sx;
    const m11 = (sin * shear + cos) * sy;

    glyphLeft.fill(Infinity);
    glyphRight.fill(-Infinity);
    const src = g.points;
    const normals = g.normals;
    const first = offset;
    // An outlined glyph is a ring along its outline: the outline moved out by `grow` and, traced
    // the other way round so that it cancels, moved in by `shrink` (never past the stems' middle).
    const hollow = outlined[k]!;
    const grow = hollow ? OUTLINE_GROW * strokeScale : 0;
    const shrink = OUTLINE_SHRINK * strokeScale;
    const deepest = -OUTLINE_DEEPEST * g.strokeEm;
    const put = (i: number, d: number, at: number): void => {
      const x = src[i]! + d * normals[i]! - cx;
      const y = src[i + 1]! + d * normals[i + 1]! - cy;
      const tx = m00 * x + m01 * y;
      const ty = m10 * x + m11 * y + lift;
      points[at] = tx;
      points[at + 1] = ty;
      const band = bandOf(ty);
      if (tx < glyphLeft[band]!) glyphLeft[band] = tx;
      if (tx > glyphRight[band]!) glyphRight[band] = tx;
    };
    // Contour by contour, so that the inner copy can be written in reverse order.
    let begin = 0;
    for (const end of g.contourEnds) {
      for (let p = begin; p < end; p++) {
        const i = 2 * p;
        // The outline moves along its normals by a weight that swells and thins along the strokes.
        const d = weight + weightWave * sineOfTurns(weightK * (src[i]! + src[i + 1]!) + weightPhase);
        put(i, d + grow, first + i);
        if (hollow) put(i, Math.max(d - shrink, deepest), first + src.length + 2 * (begin + end - 1 - p));
      }
      begin = end;
    }
    offset += hollow ? 2 * src.length : src.length;

    // Slide the glyph right until it just overlaps the text so far, band by band.
    const overlap = g.sign || afterSign ? -0.07 : g.cjk ? -0.02 : rng.range(style.overlap[0], style.overlap[1]);
    afterSign = g.sign;
    let shift = -Infinity;
    let leftMost = Infinity;
    for (let b = 0; b < BANDS; b++) {
      if (glyphLeft[b]! === Infinity) continue;
      leftMost = Math.min(leftMost, glyphLeft[b]!);
      // Neighbouring bands count too, so that glyphs also touch where their edges slope.
      const right = Math.max(textRight[b]!, textRight[b - 1] ?? -Infinity, textRight[b + 1] ?? -Infinity);
      if (right !== -Infinity) shift = Math.max(shift, right - glyphLeft[b]!);
    }
    if (shift === -Infinity) shift = prevCentre === -Infinity ? 0 : Math.max(...textRight) - leftMost;
    else shift -= overlap;
    shift = Math.max(shift, prevCentre + 0.3);
    prevCentre = shift;
    for (let i = first; i < offset; i += 2) points[i]! += shift;
    for (let b = 0; b < BANDS; b++) {
      if (glyphRight[b]! !== -Infinity) textRight[b] = Math.max(textRight[b]!, glyphRight[b]! + shift);
    }
    const base = first / 2;
    for (const end of g.contourEnds) contourEnds[contour++] = base + end;
    if (hollow) for (const end of g.contourEnds) contourEnds[contour++] = base + src.length / 2 + end;
  }

  warp(points, offset, rng, style);
  return fit(offset, contourCount, strokeSum / glyphs.length, width, height, rng);
}

function bandOf(y: number): number {
  const b = Math.floor((y + BAND_SPAN) / BAND);
  return b < 0 ? 0 : b >= BANDS ? BANDS - 1 : b;
}

// Sine by table lookup with linear interpolation (error < 5e-6), in turns rather than radians:
// Math.sin for every point of every glyph costs more than the rest of the layout.
const SINE_STEPS = 1024;
const SINE = Float64Array.from({ length: SINE_STEPS + 1 }, (_, i) => Math.sin((2 * Math.PI * i) / SINE_STEPS));

function sineOfTurns(turns: number): number {
  const t = (turns - Math.floor(turns)) * SINE_STEPS;
  const i = t | 0;
  return SINE[i]! + (SINE[i + 1]! - SINE[i]!) * (t - i);
}

// A vertical wave along the text and a horizontal one across it, with random phases. Neither is
// the same from end to end: the vertical wave's amplitude moves from one random value to another
// and its wavelength drifts, so no single inverse warp straightens the whole text.
function warp(xy: Float64Array, length: number, rng: Random, style: CaptchaStyle): void {
  let x0 = Infinity;
  let x1 = -Infinity;
  for (let i = 0; i < length; i += 2) {
    const x = xy[i]!;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
  }
  const span = x1 > x0 ? x1 - x0 : 1;
  const ayStart = rng.range(style.waveAmplitude[0], style.waveAmplitude[1]);
  const ayEnd = rng.range(style.waveAmplitude[0], style.waveAmplitude[1]);
  const ky = 1 / rng.range(style.waveLength[0], style.waveLength[1]);
  const chirp = ky * rng.range(-0.35, 0.35);
  const py = rng.float();
  const ax = rng.range(0.02, 0.04);
  const kx = 1 / rng.range(0.9, 1.6);
  const px = rng.float();
  for (let i = 0; i < length; i += 2) {
    const x = xy[i]!;
    const y = xy[i + 1]!;
    const t = (x - x0) / span;
    xy[i] = x + ax * sineOfTurns(kx * (y + 0.5 * x) + px);
    xy[i + 1] = y + (ayStart + (ayEnd - ayStart) * t) * sineOfTurns((ky + chirp * t) * (x - x0) + py);
  }
}

function fit(length: number, contourCount: number, strokeEm: number, width: number, height: number, rng: Random): TextShape {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < length; i += 2) {
    const x = points[i]!;
    const y = points[i + 1]!;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  const margin = Math.max(2, Math.min(width, height) * 0.04);
  const roomX = width - 2 * margin;
  const roomY = height - 2 * margin;
  let sy = (roomY / (y1 - y0)) * rng.range(0.92, 1);
  let sx = Math.min(sy * 1.1, roomX / (x1 - x0));
  // Condense the text to fit the width, but not beyond recognition: then shrink it as a whole.
  if (sx < sy * 0.8) sy = sx / 0.8;
  const ox = margin + (roomX - sx * (x1 - x0)) * rng.float();
  const oy = margin + (roomY - sy * (y1 - y0)) * rng.float();
  for (let i = 0; i < length; i += 2) {
    points[i] = ox + sx * (points[i]! - x0);
    points[i + 1] = oy + sy * (points[i + 1]! - y0);
  }
  return {
    points,
    contourEnds,
    contourCount,
    left: ox,
    top: oy,
    right: ox + sx * (x1 - x0),
    bottom: oy + sy * (y1 - y0),
    strokeWidth: strokeEm * Math.sqrt(sx * sy),
  };
}
