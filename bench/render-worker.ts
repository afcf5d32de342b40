// A piscina task for the bench: renders `count` JPEG captchas with renderCaptchaSync and returns
// them, as a rendering pool in front of an HTTP server would.
import { randomText } from '../src/captcha/alphabet.ts';
import { renderCaptchaSync } from '../src/captcha/render.ts';

export default function render({ count }: { count: number }): Uint8Array[] {
  const images: Uint8Array[] = [];
  for (let i = 0; i < count; i++) images.push(renderCaptchaSync(randomText(4)));
  return images;
}
