// Writes docs/captcha-samples.png: 40 captchas as a visitor sees them, each under its answer.
//   node --import tsx bench/contact-sheet.ts [out.png]
// Rows: text captchas in the public style, in two deployment styles (bundled faces), in deployment
// two of A's style periods in a row (--captcha-style-period; one filled, one outlined), in deployment A with its own fonts (Debian's
// DejaVu Serif Bold, Liberation Sans Bold and Liberation Sans Narrow Bold, standing in for an
// operator's --captcha-fonts), math, Chinese in the public style and in two of A's periods in a
// row (one in the Hei face, one in the Song face). Shown at twice their size; the labels need a
// CJK font installed to render.
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_ALPHABET } from '../src/captcha/alphabet.ts';
import { loadFontDir } from '../src/captcha/font.ts';
import { Random } from '../src/captcha/random.ts';

import sharp, { type OverlayOptions } from 'sharp';
import { makeChallenge, type CaptchaType } from '../src/captcha/challenge.ts';
import { renderCaptchaSync } from '../src/captcha/render.ts';
import { DEFAULT_STYLE, styleFromSecret, type CaptchaStyle } from '../src/captcha/style.ts';

const out = process.argv[2] ?? new URL('../docs/captcha-samples.png', import.meta.url).pathname;
const A = 'deployment A: an example secret of 32+ characters';
const ownFonts = mkdtempSync(join(tmpdir(), 'verifyd-sheet-fonts-'));
for (const f of ['dejavu/DejaVuSerif-Bold.ttf', 'liberation/LiberationSans-Bold.ttf', 'liberation/LiberationSansNarrow-Bold.ttf']) {
  const path = `/usr/share/fonts/truetype/${f}`;
  if (!existsSync(path)) throw new Error(`${path} is missing: apt-get install fonts-dejavu-core fonts-liberation`);
  copyFileSync(path, join(ownFonts, f.split('/')[1]!));
}
const ROWS: { label: string; type: CaptchaType; style: CaptchaStyle }[] = [
  { label: 'text, public style', type: 'text', style: DEFAULT_STYLE },
  { label: 'text, deployment A', type: 'text', style: styleFromSecret(A) },
  { label: 'text, deployment B', type: 'text', style: styleFromSecret('deployment B: an example secret of 32+ characters') },
  { label: 'text, A, a style period', type: 'text', style: styleFromSecret(A, { period: 2900 }) },
  { label: 'text, A, the next period', type: 'text', style: styleFromSecret(A, { period: 2901 }) },
  { label: 'text, A, own fonts', type: 'text', style: styleFromSecret(A, { fonts: loadFontDir(ownFonts) }) },
  { label: 'math', type: 'math', style: DEFAULT_STYLE },
  { label: 'chinese, public style', type: 'chinese', style: DEFAULT_STYLE },
  { label: 'chinese, A, a style period', type: 'chinese', style: styleFromSecret(A, { period: 2900 }) },
  { label: 'chinese, A, the next period', type: 'chinese', style: styleFromSecret(A, { period: 2901 }) },
];
const COLS = 4;
const W = 160;
const H = 60;
const SCALE = 2;
const PAD = 10;
const LABEL = 22;
const tileW = W * SCALE;
const tileH = H * SCALE + LABEL;

const fixedText = (n: number) => {
  const rng = new Random(n + 1);
  const text = Array.from({ length: 4 }, () => DEFAULT_ALPHABET[rng.int(0, DEFAULT_ALPHABET.length - 1)]!).join('');
  return { text, answer: text };
};
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const tiles: OverlayOptions[] = [];
for (const [r, row] of ROWS.entries()) {
  for (let c = 0; c < COLS; c++) {
    // Text rows show the same answers on every run, so sheets of two renderers compare side by side.
    const { text, answer } = row.type === 'text' ? fixedText(4 * r + c) : makeChallenge(row.type);
    const png = renderCaptchaSync(text, { format: 'png', seed: 1000 * r + c + 1, style: row.style });
    const left = PAD + c * (tileW + PAD);
    const top = PAD + r * (tileH + PAD);
    const label = `<svg width="${tileW}" height="${LABEL}"><text x="2" y="16" font-size="15" font-family="DejaVu Sans, WenQuanYi Micro Hei, sans-serif" fill="#222">${escape(answer)}  <tspan fill="#888">${escape(row.label)}</tspan></text></svg>`;
    tiles.push({ input: Buffer.from(label), left, top });
    tiles.push({ input: await sharp(png).resize(tileW, H * SCALE, { kernel: 'lanczos3' }).toBuffer(), left, top: top + LABEL });
  }
}
await sharp({ create: { width: PAD + COLS * (tileW + PAD), height: PAD + ROWS.length * (tileH + PAD), channels: 3, background: '#ffffff' } })
  .composite(tiles)
  .png({ compressionLevel: 9, palette: true, colours: 256 })
  .toFile(out);
process.stdout.write(`wrote ${out}\n`);
