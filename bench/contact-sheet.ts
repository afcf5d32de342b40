// Writes docs/captcha-samples.png: 24 captchas as a visitor sees them, each under its answer.
//   node --import tsx bench/contact-sheet.ts [out.png]
// Rows: text captchas in the public style (two rows), in two deployment styles (one row each),
// math, Chinese. Shown at twice their size; the labels need a CJK font installed to render.

import sharp, { type OverlayOptions } from 'sharp';
import { makeChallenge, type CaptchaType } from '../src/captcha/challenge.ts';
import { renderCaptchaSync } from '../src/captcha/render.ts';
import { DEFAULT_STYLE, styleFromSecret, type CaptchaStyle } from '../src/captcha/style.ts';

const out = process.argv[2] ?? new URL('../docs/captcha-samples.png', import.meta.url).pathname;
const ROWS: { label: string; type: CaptchaType; style: CaptchaStyle }[] = [
  { label: 'text, public style', type: 'text', style: DEFAULT_STYLE },
  { label: 'text, public style', type: 'text', style: DEFAULT_STYLE },
  { label: 'text, deployment A', type: 'text', style: styleFromSecret('deployment A: an example secret of 32+ characters') },
  { label: 'text, deployment B', type: 'text', style: styleFromSecret('deployment B: an example secret of 32+ characters') },
  { label: 'math', type: 'math', style: DEFAULT_STYLE },
  { label: 'chinese', type: 'chinese', style: DEFAULT_STYLE },
];
const COLS = 4;
const W = 160;
const H = 60;
const SCALE = 2;
const PAD = 10;
const LABEL = 22;
const tileW = W * SCALE;
const tileH = H * SCALE + LABEL;

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const tiles: OverlayOptions[] = [];
for (const [r, row] of ROWS.entries()) {
  for (let c = 0; c < COLS; c++) {
    const { text, answer } = makeChallenge(row.type);
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
