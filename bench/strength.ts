// npm run strength: how often stock OCR reads verifyd's captchas, next to svg-captcha's, and how
// often a client that never looks at the image passes, per kind.
//
// Blind guesses: 100,000 challenges of each kind (text, math, chinese) are drawn and the most
// frequent answer counted; one line each, `blind-guess: type=<kind> top_answer=<a> rate=<x.xxx%>
// (<count>/100000)`, printed first (no tesseract needed). Every kind must stay at or below 0.1 %.
//
// Exports 300 fresh samples with the CLI (`verifyd captcha --count 300`, JPEG as served, in the
// public style, or with --secret S [--period I] in that deployment's style), draws
// 300 svgCaptcha.create() images rasterised with sharp as the reference, and runs tesseract on
// both in 6 configurations: page segmentation 7 (one line) and 8 (one word), each on the raw
// image, on a grayscale + Otsu threshold, and on that threshold median-filtered and upscaled 2×;
// the whitelist is the generator's alphabet. A sample counts as solved when tesseract's answer,
// without spaces, equals the text ignoring case. The last line is verifyd's
// `strength: solved_by_any=<x.x%> n=300`.
//
// Then the audio captcha against pocketsphinx (bench/audio-strength.ts; --audio-count N, 0 to skip it;
// --audio-keep DIR).
// `npm run strength -- --trained [--quick]` measures a small trained neural network instead: see
// bench/trained/run.ts.

import { spawn, spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import svgCaptcha from 'svg-captcha';
import { DEFAULT_ALPHABET } from '../src/captcha/alphabet.ts';
import { measureBlindGuess } from '../src/captcha/blind-guess.ts';
import { CAPTCHA_TYPES } from '../src/captcha/challenge.ts';

// --trained runs the trained-solver harness instead (bench/trained/run.ts).
if (process.argv.includes('--trained')) {
  await import('./trained/run.ts');
  process.exit(0);
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// The value after `flag` on the command line, if it is there.
const valueOf = (flag: string): string | undefined => {
  const at = process.argv.indexOf(flag);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const COUNT = Number(valueOf('--count') ?? 300);
// --keep DIR copies the samples tesseract solved there, to look at.
const KEEP = valueOf('--keep');
// --secret S [--period I]: verifyd's samples in that deployment's style (of style period I), not
// the public one; the results file is then strength-deployment.json.
const SECRET = valueOf('--secret');
const PERIOD = valueOf('--period');
if (PERIOD !== undefined && SECRET === undefined) throw new Error('strength: --period needs --secret');
const styleArgs = [...(SECRET === undefined ? [] : ['--secret', SECRET]), ...(PERIOD === undefined ? [] : ['--period', PERIOD])];

const BLIND_DRAWS = 100_000;
const blindGuesses = CAPTCHA_TYPES.map((type) => ({ type, ...measureBlindGuess(type, BLIND_DRAWS) }));
for (const { type, answer, count, draws, rate } of blindGuesses) {
  process.stdout.write(`blind-guess: type=${type} top_answer=${answer} rate=${(rate * 100).toFixed(3)}% (${count}/${draws})\n`);
}

const probe = spawnSync('tesseract', ['--version'], { encoding: 'utf8' });
if (probe.error || probe.status !== 0) {
  process.stderr.write('strength: tesseract is not installed. Install it with: apt-get install tesseract-ocr\n');
  process.exit(2);
}
const tesseractVersion = /tesseract\s+(\S+)/i.exec(probe.stdout)?.[1] ?? 'unknown';

type Preprocess = 'raw' | 'otsu' | 'otsu-median-2x';
const CONFIGS = ([7, 8] as const).flatMap((psm) => (['raw', 'otsu', 'otsu-median-2x'] as const).map((pre) => ({ psm, pre, name: `psm${psm} ${pre}` })));

interface Sample {
  file: string;
  answer: string;
}

/** The threshold between dark and light that best separates a grayscale histogram (Otsu, 1979). */
function otsu(gray: Uint8Array): number {
  const hist = new Float64Array(256);
  for (const v of gray) hist[v]!++;
  const total = gray.length;
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * hist[i]!;
  let sumBack = 0;
  let weightBack = 0;
  let best = 0;
  let threshold = 128;
  for (let t = 0; t < 256; t++) {
    weightBack += hist[t]!;
    if (weightBack === 0) continue;
    const weightFore = total - weightBack;
    if (weightFore === 0) break;
    sumBack += t * hist[t]!;
    const meanBack = sumBack / weightBack;
    const meanFore = (sum - sumBack) / weightFore;
    const between = weightBack * weightFore * (meanBack - meanFore) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold + 1;
}

async function preprocess(input: string, dir: string, pre: Preprocess): Promise<string> {
  if (pre === 'raw') return input;
  const { data, info } = await sharp(input).flatten({ background: '#ffffff' }).greyscale().raw().toBuffer({ resolveWithObject: true });
  const t = otsu(data);
  let image = sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } }).threshold(t);
  if (pre === 'otsu-median-2x') {
    const thresholded = await image.raw().toBuffer();
    image = sharp(thresholded, { raw: { width: info.width, height: info.height, channels: 1 } })
      .median(3)
      .resize(info.width * 2, info.height * 2, { kernel: 'cubic' });
  }
  const out = join(dir, `${pre}-${input.split('/').pop()!.replace(/\.\w+$/, '')}.png`);
  await image.png().toFile(out);
  return out;
}

// One tesseract process per configuration reads a list of images (its start-up costs more than
// an image); pages come back separated by form feeds.
function tesseract(files: string[], psm: number, whitelist: string, dir: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const list = join(dir, `list-${psm}-${Math.random().toString(36).slice(2)}.txt`);
    void writeFile(list, files.join('\n') + '\n').then(() => {
      const child = spawn('tesseract', [list, 'stdout', '--psm', String(psm), '-c', `tessedit_char_whitelist=${whitelist}`, '-c', 'page_separator=\f'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d));
      child.stderr.on('data', () => {});
      child.on('error', reject);
      child.on('exit', (code) => {
        if (code !== 0) return reject(new Error(`tesseract exited with ${code}`));
        const pages = out.split('\f');
        resolve(files.map((_, i) => (pages[i] ?? '').replace(/\s+/g, '')));
      });
    });
  });
}

async function evaluate(name: string, samples: Sample[], whitelist: string, dir: string) {
  process.stderr.write(`strength: ${name}: ${samples.length} samples, 6 configurations\n`);
  const solved = new Set<number>();
  const perConfig: Record<string, number> = {};
  const inputs = new Map<Preprocess, string[]>();
  for (const pre of ['raw', 'otsu', 'otsu-median-2x'] as const) {
    inputs.set(pre, await Promise.all(samples.map((s) => preprocess(s.file, dir, pre))));
  }
  // Two configurations at a time: one per core.
  const queue = [...CONFIGS];
  const worker = async () => {
    for (let config = queue.shift(); config; config = queue.shift()) {
      const answers = await tesseract(inputs.get(config.pre)!, config.psm, whitelist, dir);
      let hits = 0;
      answers.forEach((answer, i) => {
        if (answer.toUpperCase() === samples[i]!.answer.toUpperCase()) {
          hits++;
          solved.add(i);
        }
      });
      perConfig[config.name] = hits / samples.length;
    }
  };
  await Promise.all([worker(), worker()]);
  if (KEEP) {
    await mkdir(join(KEEP, name.split(' ')[0]!), { recursive: true });
    for (const i of solved) await copyFile(samples[i]!.file, join(KEEP, name.split(' ')[0]!, `${samples[i]!.answer}_${i}.${samples[i]!.file.split('.').pop()}`));
  }
  return { name, n: samples.length, perConfig, solvedByAny: solved.size / samples.length, solved: [...solved].map((i) => samples[i]!.answer) };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const work = await mkdtemp(join(tmpdir(), 'verifyd-strength-'));
try {
  // verifyd: fresh samples through the CLI, as anyone can export them.
  const ours = join(work, 'verifyd');
  const cli = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'captcha', '--count', String(COUNT), '--out', ours, '--format', 'jpeg', ...styleArgs], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (cli.status !== 0) throw new Error(`verifyd captcha failed: ${cli.stderr}`);
  const oursSamples = (await readdir(ours)).sort().map((f) => ({ file: join(ours, f), answer: f.split('_')[0]! }));

  // The reference: svg-captcha's defaults, rasterised with sharp on white as a browser shows it.
  const theirs = join(work, 'svg-captcha');
  await mkdir(theirs);
  const theirSamples: Sample[] = [];
  for (let i = 0; i < COUNT; i++) {
    const { text, data } = svgCaptcha.create();
    const file = join(theirs, `${String(i).padStart(3, '0')}.png`);
    await sharp(Buffer.from(data)).flatten({ background: '#ffffff' }).png().toFile(file);
    theirSamples.push({ file, answer: text });
  }
  const svgAlphabet = [...new Set(svgCaptcha.options.charPreset)].join('');

  const reference = await evaluate('svg-captcha (rasterised)', theirSamples, svgAlphabet, work);
  const result = await evaluate('verifyd', oursSamples, DEFAULT_ALPHABET, work);

  process.stdout.write(`\nstrength: tesseract ${tesseractVersion}, exact match ignoring case, whitelist = each generator's alphabet\n\n`);
  const names = CONFIGS.map((c) => c.name);
  const w = Math.max(...names.map((s) => s.length), 'solved by any'.length);
  process.stdout.write(`${''.padEnd(w)}  ${'verifyd'.padStart(8)}  ${'svg-captcha'.padStart(11)}\n`);
  for (const name of names) process.stdout.write(`${name.padEnd(w)}  ${pct(result.perConfig[name]!).padStart(8)}  ${pct(reference.perConfig[name]!).padStart(11)}\n`);
  process.stdout.write(`${'solved by any'.padEnd(w)}  ${pct(result.solvedByAny).padStart(8)}  ${pct(reference.solvedByAny).padStart(11)}\n\n`);

  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  await writeFile(
    new URL(SECRET === undefined ? './results/strength.json' : './results/strength-deployment.json', import.meta.url),
    JSON.stringify({ date: new Date().toISOString(), tesseract: tesseractVersion, style: SECRET === undefined ? 'public' : { period: PERIOD === undefined ? null : Number(PERIOD) }, verifyd: result, svgCaptcha: reference, blindGuesses }, null, 2) + '\n',
  );
  process.stdout.write(`reference: svg_captcha_solved_by_any=${pct(reference.solvedByAny)} n=${reference.n}\n`);
  process.stdout.write(`strength: solved_by_any=${pct(result.solvedByAny)} n=${result.n}${SECRET === undefined ? '' : ` style=deployment${PERIOD === undefined ? '' : ` period=${PERIOD}`}`}\n`);
} finally {
  await rm(work, { recursive: true, force: true });
}

// The audio captcha: a stock speech recogniser, after the image figures.
const { runAudioStrength } = await import('./audio-strength.ts');
if (!(await runAudioStrength(process.argv))) process.exitCode = 2;
