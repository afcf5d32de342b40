// Picks the random colours of one captcha: a light tinted background and a dark text with strong contrast.
import type { Random } from './random.ts';
import type { CaptchaStyle } from './style.ts';

/** RGB triples, 0–255. The background runs from bg0 to bg1, the text from fg0 to fg1, left to right. */
export interface Palette {
  bg0: Rgb;
  bg1: Rgb;
  texture: Rgb;
  fg0: Rgb;
  fg1: Rgb;
}
export type Rgb = [number, number, number];

/** The minimum WCAG contrast ratio between any text colour and any background colour. */
export const MIN_CONTRAST = 7;

/**
 * Draws a palette whose every text colour has at least MIN_CONTRAST against every background
 * colour, with hues from the style's colour families.
 */
export function pickPalette(rng: Random, { backgroundHue, inkHue }: CaptchaStyle): Palette {
  const hue = backgroundHue[0] + rng.range(-backgroundHue[1], backgroundHue[1]);
  const bg0 = hsl(hue, rng.range(0.3, 0.7), rng.range(0.87, 0.95));
  const bg1 = hsl(hue + rng.range(-50, 50), rng.range(0.3, 0.7), rng.range(0.87, 0.95));
  // The texture is drawn at up to 60 % strength, so its mix with the background stays light.
  const texture = hsl(rng.range(0, 360), rng.range(0.3, 0.6), rng.range(0.6, 0.72));
  const lightest = Math.min(luminance(bg0), luminance(bg1), luminance(mix(bg0, texture, 0.6)), luminance(mix(bg1, texture, 0.6)));
  const textHue = inkHue[0] + rng.range(-inkHue[1], inkHue[1]);
  let fg0 = hsl(textHue, rng.range(0.4, 0.85), rng.range(0.12, 0.32));
  let fg1 = hsl(textHue + rng.range(-70, 70), rng.range(0.4, 0.85), rng.range(0.12, 0.32));
  return { bg0, bg1, texture, fg0: darkenUntilContrast(fg0, lightest), fg1: darkenUntilContrast(fg1, lightest) };
}

// Bounded: a background darker than luminance 0.3 cannot reach 7:1 even against black, and an
// unbounded loop would then spin forever; 24 steps of 20 % leave under 1 % of the colour.
function darkenUntilContrast(colour: Rgb, lightest: number): Rgb {
  let c = colour;
  for (let step = 0; step < 24 && contrast(lightest, luminance(c)) < MIN_CONTRAST; step++) c = mix(c, [0, 0, 0], 0.2);
  return c;
}

function hsl(h: number, s: number, l: number): Rgb {
  const a = s * Math.min(l, 1 - l);
  return [hslChannel(0, h, l, a), hslChannel(8, h, l, a), hslChannel(4, h, l, a)];
}

function hslChannel(n: number, h: number, l: number, a: number): number {
  const k = (((n + h / 30) % 12) + 12) % 12;
  return 255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1)));
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

function luminance([r, g, b]: Rgb): number {
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

function linear(channel: number): number {
  const v = channel / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}

function contrast(lighter: number, darker: number): number {
  return (lighter + 0.05) / (darker + 0.05);
}
