// Loads the bundled fonts once and flattens glyph outlines into polygons ready to rasterize:
// Atkinson Hyperlegible for Latin letters, digits and math signs, a Noto Sans SC subset for Chinese.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type opentype from 'opentype.js';

// opentype.js is required with the first font, not at import: it costs about 10 MB of RSS, which
// a service that has not drawn a captcha yet (or only sends codes) need not pay.
let opentypeModule: typeof opentype | undefined;
const loadOpentype = () => (opentypeModule ??= createRequire(import.meta.url)('opentype.js') as typeof opentype);

/** A glyph outline as closed polygons, in em units, y pointing down, origin on the baseline. */
export interface Glyph {
  readonly char: string;
  /** x, y pairs; contour k is points [contourEnds[k-1] ?? 0, contourEnds[k]) (in point counts). */
  readonly points: Float64Array;
  readonly contourEnds: Uint32Array;
  /**
   * x, y pairs beside `points`: for each point, how it moves when the outline is offset by 1 em
   * away from the ink (a miter vector, at most 2 long). Adding d × normal thickens the strokes by
   * 2d; a negative d thins them.
   */
  readonly normals: Float64Array;
  /** Width of the glyph's stems, em. */
  readonly strokeEm: number;
  /** From the Chinese font: laid out without overlap and with less rotation. */
  readonly cjk: boolean;
  /** A math sign (+ − × ÷ = ?): laid out upright, with a gap on either side. */
  readonly sign: boolean;
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
}

const FONT_URL = new URL('../../assets/fonts/AtkinsonHyperlegible-Bold.ttf', import.meta.url);
const CJK_FONT_URL = new URL('../../assets/fonts/VerifydCaptchaSC-Bold.otf', import.meta.url);

/** Width of the font's stems in em (Atkinson Hyperlegible Bold: 158 vertical, 139 horizontal per 1000). */
export const STROKE_EM = 0.15;
/** Width of the Chinese font's stems in em (Noto Sans SC Bold: about 110 per 1000). */
export const CJK_STROKE_EM = 0.11;

// Flattening tolerance and longest edge, in em: edges stay short so that the warp bends straight stems too.
const TOLERANCE = 0.004;
const MAX_EDGE = 0.16;

let font: opentype.Font | undefined;
let cjkFont: opentype.Font | undefined;
const glyphs = new Map<string, Glyph>();

function parse(url: URL): opentype.Font {
  const file = readFileSync(url);
  return loadOpentype().parse(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength));
}

function loadFont(): opentype.Font {
  return (font ??= parse(FONT_URL));
}

function loadCjkFont(): opentype.Font {
  return (cjkFont ??= parse(CJK_FONT_URL));
}

// Chinese characters come from the subset font; Latin and signs from Atkinson, which has no CJK.
function isCjk(char: string): boolean {
  const c = char.codePointAt(0)!;
  return c >= 0x3400 && c <= 0x9fff;
}

/**
 * The flattened outline of one character, computed on first use and cached for the life of the
 * process. Throws when the font has no visible glyph for `char` (unknown characters, spaces).
 */
export function glyphFor(char: string): Glyph {
  let glyph = glyphs.get(char);
  if (glyph) return glyph;
  const cjk = isCjk(char);
  const f = cjk ? loadCjkFont() : loadFont();
  if (f.charToGlyphIndex(char) === 0) {
    throw new Error(`captcha font has no glyph for ${JSON.stringify(char)} (U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`);
  }
  glyph = flatten(char, f.charToGlyph(char).getPath(0, 0, 1).commands, cjk);
  if (glyph.points.length === 0) throw new Error(`captcha font has no visible glyph for ${JSON.stringify(char)}`);
  glyphs.set(char, glyph);
  return glyph;
}

/** Throws the same error as `glyphFor` for the first character of `text` the font cannot draw. */
export function assertDrawable(text: string): void {
  for (const char of text) glyphFor(char);
}

function flatten(char: string, commands: opentype.PathCommand[], cjk: boolean): Glyph {
  const xs: number[] = [];
  const ends: number[] = [];
  let startX = 0;
  let startY = 0;
  let x = 0;
  let y = 0;

  const lineTo = (x1: number, y1: number): void => {
    const n = Math.ceil(Math.hypot(x1 - x, y1 - y) / MAX_EDGE);
    for (let i = 1; i <= n; i++) xs.push(x + ((x1 - x) * i) / n, y + ((y1 - y) * i) / n);
    x = x1;
    y = y1;
  };
  const closeContour = (): void => {
    const begin = ends.length ? ends[ends.length - 1]! : 0;
    if (xs.length / 2 === begin) return;
    if (x !== startX || y !== startY) lineTo(startX, startY);
    xs.length -= 2; // the closing point repeats the first one
    if (xs.length / 2 - begin >= 3) ends.push(xs.length / 2);
    else xs.length = begin * 2;
  };

  for (const c of commands) {
    switch (c.type) {
      case 'M':
        closeContour();
        x = startX = c.x;
        y = startY = c.y;
        xs.push(x, y);
        break;
      case 'L':
        lineTo(c.x, c.y);
        break;
      case 'Q': {
        const d = Math.hypot(x - 2 * c.x1 + c.x, y - 2 * c.y1 + c.y);
        const n = Math.max(1, Math.ceil(Math.sqrt(d / (4 * TOLERANCE))));
        const x0 = x;
        const y0 = y;
        for (let i = 1; i <= n; i++) {
          const t = i / n;
          const u = 1 - t;
          lineTo(u * u * x0 + 2 * u * t * c.x1 + t * t * c.x, u * u * y0 + 2 * u * t * c.y1 + t * t * c.y);
        }
        break;
      }
      case 'C': {
        const d = Math.max(Math.hypot(x - 2 * c.x1 + c.x2, y - 2 * c.y1 + c.y2), Math.hypot(c.x1 - 2 * c.x2 + c.x, c.y1 - 2 * c.y2 + c.y));
        const n = Math.max(1, Math.ceil(Math.sqrt((6 * d) / (8 * TOLERANCE))));
        const x0 = x;
        const y0 = y;
        for (let i = 1; i <= n; i++) {
          const t = i / n;
          const u = 1 - t;
          const a = u * u * u;
          const b = 3 * u * u * t;
          const e = 3 * u * t * t;
          const f = t * t * t;
          lineTo(a * x0 + b * c.x1 + e * c.x2 + f * c.x, a * y0 + b * c.y1 + e * c.y2 + f * c.y);
        }
        break;
      }
      case 'Z':
        closeContour();
        break;
    }
  }
  closeContour();

  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (let i = 0; i < xs.length; i += 2) {
    xMin = Math.min(xMin, xs[i]!);
    xMax = Math.max(xMax, xs[i]!);
    yMin = Math.min(yMin, xs[i + 1]!);
    yMax = Math.max(yMax, xs[i + 1]!);
  }
  const points = Float64Array.from(xs);
  const contourEnds = Uint32Array.from(ends);
  const normals = outlineNormals(points, contourEnds);
  const sign = '+\u2212\u00d7\u00f7=?'.includes(char);
  return { char, points, contourEnds, normals, strokeEm: cjk ? CJK_STROKE_EM : STROKE_EM, cjk, sign, xMin, xMax, yMin, yMax };
}

// Miter vectors of unit offset for every point, pointing away from the ink. Every contour, outer
// or counter, has the ink on the same side of its direction of travel (the non-zero rule), so one
// formula serves both: the left-hand normal of each edge, times the fill sign.
function outlineNormals(points: Float64Array, contourEnds: Uint32Array): Float64Array {
  const normals = new Float64Array(points.length);
  const side = outlineSign(points, contourEnds);
  let start = 0;
  for (const end of contourEnds) {
    const n = end - start;
    for (let k = 0; k < n; k++) {
      const i = start + k;
      const prev = start + ((k + n - 1) % n);
      const next = start + ((k + 1) % n);
      const [ax, ay] = unitNormal(points, prev, i, side);
      const [bx, by] = unitNormal(points, i, next, side);
      let mx = ax + bx;
      let my = ay + by;
      const len = Math.hypot(mx, my);
      if (len < 1e-9) {
        mx = ax;
        my = ay;
      } else {
        // A miter of length 1 / cos(half the turn), capped so spikes stay short.
        const cos = (mx * ax + my * ay) / len;
        const scale = 1 / Math.max(0.5, cos) / len;
        mx *= scale;
        my *= scale;
      }
      normals[2 * i] = mx;
      normals[2 * i + 1] = my;
    }
    start = end;
  }
  return normals;
}

function unitNormal(points: Float64Array, from: number, to: number, side: number): [number, number] {
  const dx = points[2 * to]! - points[2 * from]!;
  const dy = points[2 * to + 1]! - points[2 * from + 1]!;
  const len = Math.hypot(dx, dy) || 1;
  return [(side * dy) / len, (-side * dx) / len];
}

// The shoelace sign of the outline's largest contour, which is an outer one.
function outlineSign(points: Float64Array, contourEnds: Uint32Array): number {
  let best = 0;
  let start = 0;
  for (const end of contourEnds) {
    let area = 0;
    for (let i = start, j = end - 1; i < end; j = i++) area += points[2 * j]! * points[2 * i + 1]! - points[2 * i]! * points[2 * j + 1]!;
    if (Math.abs(area) > Math.abs(best)) best = area;
    start = end;
  }
  return best > 0 ? 1 : -1;
}

/** +1 or -1: the sign of the signed area (shoelace, y down) of the font's filled outer contours. */
export function fillSign(): number {
  const { points, contourEnds } = glyphFor('L');
  let area = 0;
  const n = contourEnds[0]!;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    area += points[2 * j]! * points[2 * i + 1]! - points[2 * i]! * points[2 * j + 1]!;
  }
  return area > 0 ? 1 : -1;
}
