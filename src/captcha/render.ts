// Public door of the captcha renderer: text and options in, encoded image bytes out.
import { drawCaptcha } from './draw.ts';
import { encodeJpeg, encodePng, encodeWebp } from './encode.ts';
import { assertDrawable } from './font.ts';
import { Random } from './random.ts';
import { DEFAULT_STYLE, type CaptchaStyle } from './style.ts';

export type ImageFormat = 'jpeg' | 'png' | 'webp';

export interface RenderOptions {
  width?: number; // default 160, integer in [MIN_WIDTH, MAX_WIDTH]
  height?: number; // default 60, integer in [MIN_HEIGHT, MAX_HEIGHT]
  format?: ImageFormat; // default 'jpeg'
  quality?: number; // default 75, integer 1..100 (jpeg and webp)
  seed?: number; // default: drawn from node:crypto
  scale?: 1 | 2; // default 1; 2 draws the same captcha at twice the width and height, for 2× screens
  style?: CaptchaStyle; // default DEFAULT_STYLE; a deployment's comes from styleFromSecret(secret)
}

/** The media type to send with each format. */
export const MEDIA_TYPES: Record<ImageFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
};

export const MIN_WIDTH = 40;
export const MAX_WIDTH = 1000;
export const MIN_HEIGHT = 20;
export const MAX_HEIGHT = 500;
export const MAX_TEXT_LENGTH = 32;

/**
 * Renders `text` as a captcha image. Deterministic for a given seed (same text+options+seed →
 * identical bytes); without a seed a fresh random one is drawn. Throws a RangeError for bad
 * options and an Error naming the character when the font cannot draw one of `text`.
 */
export async function renderCaptcha(text: string, opts: RenderOptions = {}): Promise<Buffer> {
  if (opts.format !== 'webp') return renderCaptchaSync(text, { ...opts, format: opts.format ?? 'jpeg' });
  const { quality = 75, seed, style = DEFAULT_STYLE } = opts;
  const { width, height } = scaled(opts);
  check(text, width, height, quality);
  return encodeWebp(drawCaptcha(text, width, height, new Random(seed), style), width, height, quality);
}

/** Synchronous variant for jpeg and png (no thread-pool hop); throws for webp. */
export function renderCaptchaSync(
  text: string,
  opts: RenderOptions & { format?: 'jpeg' | 'png' } = {},
): Buffer {
  const { format = 'jpeg', quality = 75, seed, style = DEFAULT_STYLE } = opts;
  const { width, height } = scaled(opts);
  if (format !== 'jpeg' && format !== 'png') throw new RangeError(`renderCaptchaSync renders jpeg or png, not ${String(format)}`);
  check(text, width, height, quality);
  const rgb = drawCaptcha(text, width, height, new Random(seed), style);
  return format === 'jpeg' ? encodeJpeg(rgb, width, height, quality) : encodePng(rgb, width, height);
}

// The drawing is laid out relative to the image's size, so the same seed at twice the pixels is
// the same captcha, sharp on a 2× screen; 1× screens keep the small bytes.
function scaled({ width = 160, height = 60, scale = 1 }: RenderOptions): { width: number; height: number } {
  if (scale !== 1 && scale !== 2) throw new RangeError(`captcha scale must be 1 or 2, got ${String(scale)}`);
  return { width: width * scale, height: height * scale };
}

function check(text: string, width: number, height: number, quality: number): void {
  if (!Number.isInteger(width) || width < MIN_WIDTH || width > MAX_WIDTH) {
    throw new RangeError(`captcha width must be an integer in ${MIN_WIDTH}..${MAX_WIDTH}, got ${width}`);
  }
  if (!Number.isInteger(height) || height < MIN_HEIGHT || height > MAX_HEIGHT) {
    throw new RangeError(`captcha height must be an integer in ${MIN_HEIGHT}..${MAX_HEIGHT}, got ${height}`);
  }
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new RangeError(`captcha quality must be an integer in 1..100, got ${quality}`);
  }
  const length = Array.from(text).length;
  if (length < 1 || length > MAX_TEXT_LENGTH) {
    throw new RangeError(`captcha text must have 1..${MAX_TEXT_LENGTH} characters, got ${length}`);
  }
  assertDrawable(text);
}
