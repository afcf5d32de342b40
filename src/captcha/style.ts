// The style of a deployment: the ranges each image's random parameters are drawn from. A style
// derived from the server secret makes every deployment's captchas a little different, so a
// solver trained on another deployment's images, or on the public defaults, transfers poorly.
import { createHmac } from 'node:crypto';
import { BASE_FONT, BUNDLED_FONTS, CJK_FONTS, type CaptchaFont } from './font.ts';
import { Random } from './random.ts';

/** Ranges are [min, max]; lengths are in em (the font size before the text is fitted to the image). */
export interface CaptchaStyle {
  /** Glyph size, relative to the font. */
  readonly scale: readonly [number, number];
  /** Horizontal squeeze of each glyph. */
  readonly condense: readonly [number, number];
  /** Mean rotation of the glyphs, degrees (a slant of the whole text), and the spread around it. */
  readonly rotationBias: number;
  readonly rotationSpread: number;
  /** Mean shear and the spread around it. */
  readonly shearBias: number;
  readonly shearSpread: number;
  /** How far each glyph runs into the one before it. */
  readonly overlap: readonly [number, number];
  /** Outline offset of each glyph: below 0 thins its strokes, above 0 thickens them. */
  readonly weight: readonly [number, number];
  /** Amplitude of a wave of stroke width along the outlines. */
  readonly weightWave: number;
  /** Vertical wave along the text: amplitude at either end, and wavelength. */
  readonly waveAmplitude: readonly [number, number];
  readonly waveLength: readonly [number, number];
  /** Cutting curves across the text: how many, and how wide against the stems. */
  readonly cuts: readonly [number, number];
  readonly cutWidth: readonly [number, number];
  /** Thin curves in the ink's colour through the whole text. */
  readonly threads: readonly [number, number];
  /** Thin background lines. */
  readonly texture: readonly [number, number];
  /** Hue centre and spread, degrees, of the background and of the ink (360 spread: any hue). */
  readonly backgroundHue: readonly [number, number];
  readonly inkHue: readonly [number, number];
  /** The Latin faces each glyph is drawn in, one picked per glyph (Chinese characters take `chineseFont`). */
  readonly fonts: readonly CaptchaFont[];
  /** The face Chinese characters are drawn in: one of CJK_FONTS. */
  readonly chineseFont: CaptchaFont;
  /**
   * The share of Latin glyphs drawn as outlines (a ring along the outline, hollow inside) rather
   * than filled: 0 (all filled), 1 (all outlined) or between (each glyph by chance).
   */
  readonly outline: number;
}

/** The public style: what the renderer draws when no deployment style is given. */
export const DEFAULT_STYLE: CaptchaStyle = Object.freeze({
  scale: [0.9, 1.08],
  condense: [0.88, 1.06],
  rotationBias: 0,
  rotationSpread: 20,
  shearBias: 0,
  shearSpread: 0.12,
  overlap: [0, 0.035],
  weight: [-0.018, 0.004],
  weightWave: 0.008,
  waveAmplitude: [0.04, 0.08],
  waveLength: [1.3, 2.4],
  cuts: [1, 1],
  cutWidth: [0.4, 0.55],
  threads: [2, 2],
  texture: [3, 5],
  backgroundHue: [180, 360],
  inkHue: [180, 360],
  fonts: [BASE_FONT],
  outline: 0,
  chineseFont: CJK_FONTS[0],
} as const);

const STYLE_LABEL = 'verifyd/captcha-style/v1';

export interface StyleOptions {
  /** The operator's own faces (loadFontDir): when given, the style draws only in these. */
  fonts?: readonly CaptchaFont[];
  /** Which style period this is (styleIndex); each index draws a new style. Default: none, one style for ever. */
  period?: number;
}

/**
 * The deployment style of `secret`: an HMAC of the secret seeds every range, each drawn inside
 * bounds chosen so that any style stays legible (see docs/captcha-samples.png), a mix of two or
 * three of the bundled faces (or the operator's `fonts`), filled or outlined glyphs, and a Hei or a
 * Song face for Chinese. With a `period`, the faces are one of two halves of the bundled ones, the
 * stroke family one of the two and the Chinese face one of the two, each taking turns from one
 * period to the next. The same secret (and period) always gives the same style; the secret cannot
 * be recovered from it.
 */
export function styleFromSecret(secret: Buffer | string, { fonts, period }: StyleOptions = {}): CaptchaStyle {
  const label = period === undefined ? STYLE_LABEL : `${STYLE_LABEL}/period/${period}`;
  const rng = Random.fromBytes(createHmac('sha256', secret).update(label).digest());
  // What stays the same across the periods of one secret: which faces go to even periods and
  // which to odd ones, which periods draw outlined glyphs, and which draw Chinese in the Song face.
  // Each period differs from the one before in all three, so a model trained on one period's
  // labelled images meets letter shapes and a stroke family it never saw in the next. (Chinese
  // characters are never outlined, too dense to stay legible as rings: their face alternates.)
  const lasting = Random.fromBytes(createHmac('sha256', secret).update(`${STYLE_LABEL}/periods`).digest());
  const faceHalves = halves(lasting, [BASE_FONT, ...BUNDLED_FONTS]);
  const outlineParity = lasting.int(0, 1);
  const chineseParity = lasting.int(0, 1);
  const parity = period === undefined ? 0 : ((period % 2) + 2) % 2;
  const span = (lo: number, hi: number, minWidth: number, maxWidth: number): [number, number] => {
    const width = rng.range(minWidth, maxWidth);
    const start = rng.range(lo, hi - width);
    return [start, start + width];
  };
  const weightCentre = rng.range(-0.022, 0);
  return Object.freeze({
    scale: span(0.86, 1.12, 0.1, 0.2),
    condense: span(0.84, 1.08, 0.1, 0.18),
    rotationBias: rng.range(-6, 6),
    rotationSpread: rng.range(14, 22),
    shearBias: rng.range(-0.12, 0.12),
    shearSpread: rng.range(0.06, 0.12),
    overlap: span(0.01, 0.09, 0.04, 0.06),
    weight: [weightCentre - 0.012, weightCentre + 0.012],
    weightWave: rng.range(0.004, 0.014),
    waveAmplitude: span(0.02, 0.11, 0.03, 0.05),
    waveLength: span(1.1, 2.8, 0.6, 1),
    cuts: [1, 1],
    cutWidth: span(0.35, 0.65, 0.1, 0.15),
    threads: rng.float() < 0.5 ? ([2, 2] as const) : ([2, 3] as const),
    texture: rng.float() < 0.5 ? ([2, 4] as const) : ([3, 6] as const),
    backgroundHue: [rng.range(0, 360), rng.range(60, 200)],
    inkHue: [rng.range(0, 360), rng.range(60, 200)],
    fonts: fonts?.length ? [...fonts] : period === undefined ? pickFaces(rng, [BASE_FONT, ...BUNDLED_FONTS], rng.int(2, 3)) : faceHalves[parity]!,
    outline: period === undefined ? rng.int(0, 1) : parity ^ outlineParity,
    chineseFont: CJK_FONTS[period === undefined ? rng.int(0, 1) : parity ^ chineseParity]!,
  } as const);
}

// `faces` shuffled with `rng` and cut in two halves.
function halves(rng: Random, faces: readonly CaptchaFont[]): [CaptchaFont[], CaptchaFont[]] {
  const shuffled = pickFaces(rng, faces, faces.length);
  const cut = Math.floor(shuffled.length / 2);
  return [shuffled.slice(0, cut), shuffled.slice(cut)];
}

// `count` distinct faces of `faces`, drawn with `rng`.
function pickFaces(rng: Random, faces: readonly CaptchaFont[], count: number): CaptchaFont[] {
  const left = [...faces];
  const picked: CaptchaFont[] = [];
  while (picked.length < count && left.length) picked.push(left.splice(rng.int(0, left.length - 1), 1)[0]!);
  return picked;
}

/** The index of the style period holding `now` (ms since the epoch) for periods of `periodMs`. */
export function styleIndex(now: number, periodMs: number): number {
  return Math.floor(now / periodMs);
}

/**
 * The style a deployment draws in at `now`: styleFromSecret, renewed every `periodMs` (0: never).
 * Returns a function of the time that caches the current period's style.
 */
export function deploymentStyle(secret: Buffer | string, { fonts, periodMs = 0 }: { fonts?: readonly CaptchaFont[]; periodMs?: number } = {}): (now?: number) => CaptchaStyle {
  if (periodMs <= 0) {
    const style = styleFromSecret(secret, { fonts });
    return () => style;
  }
  let cached: { period: number; style: CaptchaStyle } | undefined;
  return (now = Date.now()) => {
    const period = styleIndex(now, periodMs);
    if (cached?.period !== period) cached = { period, style: styleFromSecret(secret, { fonts, period }) };
    return cached.style;
  };
}
