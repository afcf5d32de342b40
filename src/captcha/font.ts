// Loads glyph outlines once and flattens them into polygons ready to rasterize: Atkinson
// Hyperlegible for Latin letters, digits and math signs, a Noto Sans SC subset for Chinese, and the
// Latin faces a deployment style mixes in (bundled, or the operator's own from --captcha-fonts).
// The bundled faces' outlines come precompiled (outlines.ts); only an operator's fonts are parsed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type opentype from 'opentype.js';
import { readOutlines, type FaceOutlines, type PathCommand } from './outlines.ts';

// opentype.js, an optional peer dependency, reads an operator's own fonts, and is required with
// the first of them: it costs about 10 MB of RSS, and 3.6 MB on disk to those who install it.
let opentypeModule: typeof opentype | undefined;
function loadOpentype(): typeof opentype {
  try {
    return (opentypeModule ??= createRequire(import.meta.url)('opentype.js') as typeof opentype);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || !String((err as Error).message).includes("'opentype.js'")) throw err;
    throw new Error('captcha fonts: reading your own fonts needs the optional package opentype.js, which is not installed here: npm install opentype.js');
  }
}

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

/**
 * A Latin face a style can draw glyphs in. Glyphs it lacks (math signs, say) come from the base
 * font. `strokeEm` is measured from its outlines when it is first loaded.
 */
export interface CaptchaFont {
  /** `bundled:<name>` or `operator:<file name>`; distinct names cache distinct glyphs. */
  readonly name: string;
  /**
   * An operator face's font file. Bundled faces have none: their outlines ship precompiled.
   * Plain data, so a style can be posted to a render worker.
   */
  readonly source?: string;
}

/** The base face: every glyph no other face draws. */
export const BASE_FONT: CaptchaFont = Object.freeze({ name: 'bundled:atkinson-hyperlegible-bold' });

const LATIN_FILES = ['ArchivoBlack', 'Bitter-Bold', 'ComicNeue-Bold', 'Oswald-Bold', 'SpaceMono-Bold'];

/**
 * The faces shipped with the package that a deployment style mixes in (SIL OFL 1.1; see
 * assets/fonts/README.md), subset to A–Z and 0–9. Anyone has these: they widen what one deployment
 * looks like, but only an operator's own fonts are out of an open-code attacker's reach.
 */
export const BUNDLED_FONTS: readonly CaptchaFont[] = Object.freeze(LATIN_FILES.map((file) => Object.freeze({ name: `bundled:${file.toLowerCase()}` })));

/** The Chinese faces: a Hei (sans) and a Song (serif) design, the first drawing unless a style names the other. */
export const CJK_FONTS: readonly [CaptchaFont, CaptchaFont] = Object.freeze([
  Object.freeze({ name: 'bundled:noto-sans-sc-bold' }),
  Object.freeze({ name: 'bundled:noto-serif-sc-black' }),
]);

/**
 * The font file in assets/fonts/ each bundled face is compiled from, by name: the build's input
 * (scripts/font-outlines.ts), which writes their outlines to OUTLINES_FILES. Not in the package.
 */
export const BUNDLED_FONT_FILES: ReadonlyMap<string, string> = new Map([
  [BASE_FONT.name, 'AtkinsonHyperlegible-Bold.ttf'],
  ...LATIN_FILES.map((file, i) => [BUNDLED_FONTS[i]!.name, `VerifydCaptcha-${file}.otf`] as [string, string]),
  [CJK_FONTS[0].name, 'VerifydCaptchaSC-Bold.otf'],
  [CJK_FONTS[1].name, 'VerifydCaptchaSerifSC-Black.otf'],
]);

/**
 * The bundled faces' outlines, as the build writes them (see outlines.ts): the Latin faces in one
 * file, the Chinese ones in another, read with the first glyph of each, so that a deployment
 * without Chinese captchas never decompresses theirs (0.97 of the 1.09 MB; 6–7 ms).
 */
export const OUTLINES_FILES = {
  latin: fileURLToPath(new URL('../../assets/fonts/outlines.bin.br', import.meta.url)),
  cjk: fileURLToPath(new URL('../../assets/fonts/outlines-cjk.bin.br', import.meta.url)),
} as const;

/** Which of OUTLINES_FILES holds the bundled face `name`. */
export function outlinesFileOf(name: string): keyof typeof OUTLINES_FILES {
  return CJK_FONTS.some((f) => f.name === name) ? 'cjk' : 'latin';
}

/** The characters an operator's font must draw: what a text captcha can show. */
export const OPERATOR_FONT_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const FONT_FILE = /\.(ttf|otf)$/i;

/**
 * The operator's fonts: every .ttf and .otf file in `dir`, each parsed and checked now, so a bad
 * directory fails the start rather than the first captcha. Throws an Error naming the directory or
 * the file and what is wrong with it: missing, unreadable, not a font, none inside, or lacking a
 * glyph of A–Z or 0–9.
 */
export function loadFontDir(dir: string): CaptchaFont[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => FONT_FILE.test(f)).sort();
  } catch (err) {
    throw new Error(`captcha fonts: cannot read the directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (files.length === 0) throw new Error(`captcha fonts: ${dir} holds no .ttf or .otf file`);
  loadOpentype();
  return files.map((file) => {
    const face: CaptchaFont = Object.freeze({ name: `operator:${file}`, source: join(dir, file) });
    let f: FaceOutlines;
    try {
      f = outlinesOf(face);
    } catch (err) {
      throw new Error(`captcha fonts: ${join(dir, file)} is not a font opentype.js can read (${(err as Error).message})`);
    }
    const missing = Array.from(OPERATOR_FONT_CHARS).filter((c) => !f.has(c) || f.path(c).length === 0);
    if (missing.length) throw new Error(`captcha fonts: ${join(dir, file)} has no glyph for ${missing.join(' ')}; a captcha font needs A-Z and 0-9`);
    return face;
  });
}

/** Width of the font's stems in em (Atkinson Hyperlegible Bold: 158 vertical, 139 horizontal per 1000). */
export const STROKE_EM = 0.15;
/**
 * Width of the Chinese faces' stems in em, in CJK_FONTS' order: Noto Sans SC Bold's about 110 per
 * 1000; Noto Serif SC Black's thin horizontals ask for less thinning (twice area over perimeter,
 * the glyphs' mean stem: 0.094 and 0.076 em).
 */
export const CJK_STROKE_EM: readonly [number, number] = [0.11, 0.085];

// Flattening tolerance and longest edge, in em: edges stay short so that the warp bends straight stems too.
const TOLERANCE = 0.004;
const MAX_EDGE = 0.16;

const bundled: { -readonly [file in keyof typeof OUTLINES_FILES]?: Map<string, FaceOutlines> } = {};
const operatorFaces = new Map<string, FaceOutlines>();
const glyphs = new Map<string, Glyph>();

// A bundled face from its precompiled file (read with the file's first glyph); an operator's parsed
// from its font file, once.
function outlinesOf(face: CaptchaFont): FaceOutlines {
  if (face.name.startsWith('bundled:')) {
    const file = outlinesFileOf(face.name);
    const outlines = (bundled[file] ??= readOutlines(readFileSync(OUTLINES_FILES[file]))).get(face.name);
    if (!outlines) throw new Error(`no bundled captcha face is named ${face.name}`);
    return outlines;
  }
  let outlines = operatorFaces.get(face.name);
  if (!outlines) operatorFaces.set(face.name, (outlines = parse(face)));
  return outlines;
}

function parse({ name, source }: CaptchaFont): FaceOutlines {
  if (source === undefined) throw new Error(`captcha font ${name} names no font file`);
  const file = readFileSync(source);
  const font = loadOpentype().parse(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength));
  return { has: (char) => font.charToGlyphIndex(char) !== 0, path: (char) => font.charToGlyph(char).getPath(0, 0, 1).commands };
}

/** Whether `char` is drawn from a Chinese face (CJK_FONTS); Latin and signs come from Atkinson, which has no CJK. */
export function isCjk(char: string): boolean {
  const c = char.codePointAt(0)!;
  return c >= 0x3400 && c <= 0x9fff;
}

/**
 * The flattened outline of one character in `face` (the base font when it has no glyph for it; for
 * a Chinese character, `face` when it is one of CJK_FONTS, else the first of them), computed on
 * first use and cached for the life of the process. Throws when the base font has no visible glyph
 * for `char` either (unknown characters, spaces).
 */
export function glyphFor(char: string, face: CaptchaFont = BASE_FONT): Glyph {
  const cjk = isCjk(char);
  // By name, not identity: a style posted to a render worker arrives as a copy.
  const chinese = cjk ? Math.max(0, CJK_FONTS.findIndex((f) => f.name === face.name)) : -1;
  if (cjk) face = CJK_FONTS[chinese]!;
  const base = face.name === BASE_FONT.name;
  const key = base ? char : `${face.name}\u0000${char}`;
  let glyph = glyphs.get(key);
  if (glyph) return glyph;
  if (!cjk && !base) {
    const f = outlinesOf(face);
    const commands = f.has(char) ? f.path(char) : [];
    glyph = commands.length ? flatten(char, commands, 'other') : glyphFor(char);
    glyphs.set(key, glyph);
    return glyph;
  }
  const f = outlinesOf(cjk ? face : BASE_FONT);
  if (!f.has(char)) {
    throw new Error(`captcha font has no glyph for ${JSON.stringify(char)} (U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`);
  }
  glyph = flatten(char, f.path(char), cjk ? 'cjk' : 'base', CJK_STROKE_EM[chinese]);
  if (glyph.points.length === 0) throw new Error(`captcha font has no visible glyph for ${JSON.stringify(char)}`);
  glyphs.set(key, glyph);
  return glyph;
}

/** Throws the same error as `glyphFor` for the first character of `text` the font cannot draw. */
export function assertDrawable(text: string): void {
  for (const char of text) glyphFor(char);
}

/**
 * The glyph of `char` drawn by `commands` (a path as opentype.js's glyph.getPath(0, 0, 1) gives
 * it) from the base face, a Chinese one (stems `cjkStrokeEm` wide) or another Latin face (whose
 * outlines are turned to the base face's winding): flattened to polygons, with their offset
 * normals and stem width.
 */
export function flatten(char: string, commands: readonly PathCommand[], from: 'base' | 'cjk' | 'other', cjkStrokeEm = CJK_STROKE_EM[0]): Glyph {
  const cjk = from === 'cjk';
  const other = from === 'other';
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
  // TrueType and CFF outlines wind in opposite directions; the text layer fills with the non-zero
  // rule, so every glyph is turned to the base font's direction or overlapping glyphs would cancel.
  if (other && outlineSign(points, contourEnds) !== baseSign()) reverseContours(points, contourEnds);
  const normals = outlineNormals(points, contourEnds);
  const sign = '+\u2212\u00d7\u00f7=?'.includes(char);
  const strokeEm = cjk ? cjkStrokeEm : other ? measuredStroke(points, contourEnds, yMin, yMax) : STROKE_EM;
  return { char, points, contourEnds, normals, strokeEm, cjk, sign, xMin, xMax, yMin, yMax };
}

let baseWinding = 0;
const baseSign = () => (baseWinding ||= outlineSign(glyphFor('L').points, glyphFor('L').contourEnds));

function reverseContours(points: Float64Array, contourEnds: Uint32Array): void {
  let start = 0;
  for (const end of contourEnds) {
    for (let i = start, j = end - 1; i < j; i++, j--) {
      const x = points[2 * i]!;
      const y = points[2 * i + 1]!;
      points[2 * i] = points[2 * j]!;
      points[2 * i + 1] = points[2 * j + 1]!;
      points[2 * j] = x;
      points[2 * j + 1] = y;
    }
    start = end;
  }
}

// A glyph's stem width: inked area over outline length is half the mean
// stroke width for thin shapes. Clamped to the range the layout was tuned for.
function measuredStroke(points: Float64Array, contourEnds: Uint32Array, yMin: number, yMax: number): number {
  let area = 0;
  let perimeter = 0;
  let start = 0;
  for (const end of contourEnds) {
    let a = 0;
    for (let i = start, j = end - 1; i < end; j = i++) {
      a += points[2 * j]! * points[2 * i + 1]! - points[2 * i]! * points[2 * j + 1]!;
      perimeter += Math.hypot(points[2 * i]! - points[2 * j]!, points[2 * i + 1]! - points[2 * j + 1]!);
    }
    area += a / 2;
    start = end;
  }
  const stroke = perimeter > 0 ? (2 * Math.abs(area)) / perimeter : STROKE_EM;
  return Math.min(0.2, Math.max(0.07, Number.isFinite(stroke) && yMax > yMin ? stroke : STROKE_EM));
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
