// Renders labelled captchas for the trained-solver harness (bench/trained/solver.py): the images a
// deployment serves (JPEG, as sent), decoded to grayscale, in one file the solver reads at once.
//
//   node --import tsx bench/trained/render.ts --out PREFIX --count N --seed S
//        [--secret S | --random-secrets K] [--type text] [--fonts DIR] [--period I[,J…]]
//
// Writes PREFIX.u8 (N images of 60 × 160 bytes, row by row) and PREFIX.txt (one label a line).
// --secret draws every image in that deployment's style; --random-secrets K draws each image in
// the style of one of K secrets made from --seed (what anyone can generate from the public code);
// neither: the public default style. --fonts DIR: the deployment's own faces (--captcha-fonts);
// --period I: the style of period I of a rotating deployment (--captcha-style-period); --period
// I,J,…: the images take those periods' styles in turn. Same arguments, same files.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { DEFAULT_ALPHABET } from '../../src/captcha/alphabet.ts';
import { CJK_CHARACTERS } from '../../src/captcha/cjk-characters.ts';
import { renderCaptchaSync } from '../../src/captcha/render.ts';
import { Random } from '../../src/captcha/random.ts';
import { loadFontDir } from '../../src/captcha/font.ts';
import { styleFromSecret, type CaptchaStyle } from '../../src/captcha/style.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    count: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    secret: { type: 'string' },
    'random-secrets': { type: 'string' },
    type: { type: 'string', default: 'text' },
    fonts: { type: 'string' },
    period: { type: 'string' },
  },
  strict: true,
});
if (!values.out) throw new Error('--out PREFIX is required');
const count = Number(values.count);
const seed = Number(values.seed);
const type = values.type as 'text' | 'math' | 'chinese';
const W = 160;
const H = 60;

const rng = new Random(seed * 7919 + 17);
const fonts = values.fonts === undefined ? undefined : loadFontDir(values.fonts);
const periods = values.period === undefined ? [undefined] : values.period.split(',').map(Number);
if (periods.some((p) => p !== undefined && !Number.isSafeInteger(p))) throw new Error(`--period must be whole numbers, got ${values.period}`);
const styleOf = (secret: string): CaptchaStyle[] => periods.map((period) => styleFromSecret(secret, { fonts, period }));

// A secret made from the seed: the open-code attacker's random deployments.
const madeSecret = (k: number) => createHash('sha256').update(`attacker-${seed}-${k}`).digest('hex');
const styles: CaptchaStyle[] =
  values['random-secrets'] !== undefined
    ? Array.from({ length: Number(values['random-secrets']) }, (_, k) => styleOf(madeSecret(k))).flat()
    : values.secret !== undefined
      ? styleOf(values.secret)
      : [];

const pick = (symbols: readonly string[], n: number) => Array.from({ length: n }, () => symbols[rng.int(0, symbols.length - 1)]!).join('');
const TEXT = Array.from(DEFAULT_ALPHABET);
const CJK = Array.from(CJK_CHARACTERS);

function challenge(): string {
  if (type === 'text') return pick(TEXT, 4);
  if (type === 'chinese') return pick(CJK, 4);
  const result = rng.int(100, 1999);
  if (rng.float() < 0.5) {
    const b = rng.int(10, Math.min(99, result - 10));
    return `${result - b}+${b}`;
  }
  const b = rng.int(10, 99);
  return `${result + b}\u2212${b}`;
}

const pixels = Buffer.alloc(count * W * H);
const labels: string[] = [];
const started = Date.now();
for (let i = 0; i < count; i++) {
  const text = challenge();
  const style = styles.length ? styles[i % styles.length] : undefined;
  const jpeg = renderCaptchaSync(text, { seed: rng.next(), style });
  const gray = await sharp(jpeg).greyscale().raw().toBuffer();
  gray.copy(pixels, i * W * H);
  labels.push(text);
}
writeFileSync(`${values.out}.u8`, pixels);
writeFileSync(`${values.out}.txt`, labels.join('\n') + '\n');
process.stderr.write(`render: ${count} images in ${((Date.now() - started) / 1000).toFixed(1)} s -> ${values.out}\n`);
