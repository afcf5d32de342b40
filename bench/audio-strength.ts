// npm run strength, audio part (alone: node --import tsx bench/audio-strength.ts): how often a
// stock speech recogniser transcribes verifyd's audio captcha, and the same clips without noise
// and babble as the legibility baseline.
//
// Renders --audio-count (default 100) challenges of six random digits per language (English, then
// Mandarin) with the service's renderer (random seeds, as served), and the same challenges with
// the same speakers, speeds, pitches and gaps but no noise and no babble ("clean"). Each clip is
// upsampled 8 → 16 kHz (the acoustic model's rate) and decoded by Debian's pocketsphinx 0.8
// (pocketsphinx_batch, en-us model; for Mandarin with the pinyin digits spelled in its phones,
// below) three ways: the whole clip under a JSGF grammar that forces exactly six digits, with the
// decoder's defaults and with silence and fillers made cheap (so babble may be skipped as noise);
// and cut into its six loudest stretches, each read under a one-digit grammar (an attacker who
// knows the digits are louder than the babble). A clip counts as solved when one way's six digits
// are the answer; per-digit accuracy counts digits right in their position, best way. Also times
// the renderer per clip. Prints, last:
//   audio-snr: language=… each digit over babble and noise: median …, 5th percentile …, lowest …
//   audio-render: en=<ms> ms zh-CN=<ms> ms of CPU per clip
//   audio-clean-baseline: language=… solved_by_any=<x%> digits=<y%> n=100
//   audio-strength: language=… solved_by_any=<x%> digits=<y%> n=100
// and writes bench/results/audio-strength.json. --audio-keep DIR keeps the clips to listen to.

import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeAudioCaptcha, renderAudioCaptcha, type AudioRenderOptions } from '../src/captcha/audio/render.ts';
import type { AudioLanguage } from '../src/captcha/audio/voices.ts';
import { readWav, writeWav } from '../src/captcha/audio/wav.ts';

const MODEL = '/usr/share/pocketsphinx/model/en-us';

/**
 * The digits' words as the decoder hears them, per language, and the dictionary that spells them.
 * Debian has no Mandarin model for pocketsphinx, so Mandarin is decoded with the US English model
 * and the pinyin digits spelled in its phones (several spellings where English has no such sound),
 * as an attacker with only this recogniser would; the clean clips show how well that reads them.
 */
interface Lexicon {
  words: string[];
  /** A pocketsphinx dictionary (word, phones), or null for the model's own. */
  dict: string | null;
}
const LEXICONS: Record<AudioLanguage, Lexicon> = {
  en: { words: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'], dict: null },
  'zh-CN': {
    words: ['ling', 'yi', 'er', 'san', 'si', 'wu', 'liu', 'qi', 'ba', 'jiu'],
    dict: [
      'ling L IH NG',
      'ling(2) L IY NG',
      'yi IY',
      'yi(2) Y IY',
      'er ER',
      'er(2) AA R',
      'san S AA N',
      'san(2) S AE N',
      'si S IH',
      'si(2) S AH',
      'si(3) S Z',
      'wu W UW',
      'wu(2) UW',
      'liu L IY OW',
      'liu(2) L Y UW',
      'qi CH IY',
      'ba B AA',
      'jiu JH IY OW',
      'jiu(2) JH Y UW',
    ].join('\n') + '\n',
  },
};
const grammar = ({ words }: Lexicon) => `#JSGF V1.0;\ngrammar digits;\npublic <digits> = <d> <d> <d> <d> <d> <d>;\n<d> = ${words.join(' | ')};\n`;
const oneDigit = ({ words }: Lexicon) => `#JSGF V1.0;\ngrammar digit;\npublic <d> = ${words.join(' | ')};\n`;
const CONFIGS = [
  { name: 'default', args: [] },
  // Silence and filler words made cheap, so the decoder may pass over babble as noise.
  { name: 'fillers', args: ['-cmn', 'batch', '-remove_silence', 'no', '-silprob', '0.1', '-fillprob', '0.01'] },
];

export interface AudioStrength {
  n: number;
  /** Share of clips some configuration transcribed exactly. */
  solvedByAny: number;
  /** Share of digits right in their position, best configuration. */
  digitAccuracy: number;
  perConfig: Record<string, { solved: number; digits: number }>;
}

/** 8 → 16 kHz: zeros between samples, then a windowed-sinc low-pass at 4 kHz (63 taps). */
function upsample2(x: Float32Array): Float32Array {
  const taps = 63;
  const h = Float32Array.from({ length: taps }, (_, i) => {
    const t = i - (taps - 1) / 2;
    const sinc = t === 0 ? 1 : Math.sin((Math.PI * t) / 2) / ((Math.PI * t) / 2);
    return sinc * (0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (taps - 1)));
  });
  const y = new Float32Array(x.length * 2);
  for (let n = 0; n < y.length; n++) {
    let sum = 0;
    for (let k = 0; k < taps; k++) {
      const m = n - k + (taps - 1) / 2;
      if (m >= 0 && m < y.length && m % 2 === 0) sum += h[k]! * x[m / 2]!;
    }
    y[n] = sum;
  }
  return y;
}

// The configurations scored: the two whole-clip ones, and an attacker that cuts the clip first.
const CONFIG_NAMES = [...CONFIGS.map((c) => c.name), 'segments'];

function decode(dir: string, lexicon: Lexicon, names: string[], config: { name: string; args: string[] }, grammar = 'digits.jsgf'): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const ctl = join(dir, `ctl-${config.name}-${names[0]!.split('-')[0]}`);
    const hyp = `${ctl}.hyp`;
    void writeFile(ctl, names.join('\n') + '\n').then(() => {
      const child = spawn(
        'pocketsphinx_batch',
        ['-adcin', 'yes', '-cepdir', dir, '-cepext', '.wav', '-ctl', ctl, '-hyp', hyp, '-hmm', join(MODEL, 'en-us'), '-dict', lexicon.dict === null ? join(MODEL, 'cmudict-en-us.dict') : join(dir, 'digits.dict'), '-jsgf', join(dir, grammar), '-dither', 'yes', '-logfn', '/dev/null', ...config.args],
        { stdio: 'ignore' },
      );
      child.on('error', reject);
      child.on('exit', async (code) => {
        if (code !== 0) return reject(new Error(`pocketsphinx_batch exited with ${code}`));
        const lines = (await readFile(hyp, 'utf8')).split('\n').filter(Boolean);
        const out = new Map<string, string>();
        for (const line of lines) {
          const match = /^(.*)\((\S+) [^)]*\)\s*$/.exec(line);
          if (!match) continue;
          out.set(match[2]!, match[1]!.trim().split(/\s+/).filter(Boolean).map((w) => String(lexicon.words.indexOf(w.replace(/\(\d+\)$/, '')))).join(''));
        }
        resolve(out);
      });
    });
  });
}

/**
 * The six loudest stretches of a clip, in time order: what an attacker who knows the digits are
 * louder than the babble would cut out. Frame energy (25 ms every 10 ms, smoothed over 50 ms);
 * the loudest frame not yet taken grows while it stays within 12 dB of its peak (at most 0.9 s),
 * and 0.15 s around each stretch is left out of the next search.
 */
function loudestSix(data: Float32Array, rate: number): [number, number][] {
  const hop = rate / 100;
  const frame = Math.round(rate * 0.025);
  const energy: number[] = [];
  for (let at = 0; at + frame <= data.length; at += hop) {
    let sum = 0;
    for (let i = at; i < at + frame; i++) sum += data[i]! ** 2;
    energy.push(sum);
  }
  const smooth = energy.map((_, f) => {
    let sum = 0;
    for (let k = Math.max(0, f - 2); k <= Math.min(energy.length - 1, f + 2); k++) sum += energy[k]!;
    return sum;
  });
  const taken = new Array<boolean>(smooth.length).fill(false);
  const spans: [number, number][] = [];
  for (let n = 0; n < 6; n++) {
    let peak = -1;
    for (let f = 0; f < smooth.length; f++) if (!taken[f] && (peak < 0 || smooth[f]! > smooth[peak]!)) peak = f;
    if (peak < 0) break;
    let [from, to] = [peak, peak];
    const floor = smooth[peak]! / 16; // -12 dB
    while (from > 0 && !taken[from - 1] && smooth[from - 1]! > floor && to - from < 90) from--;
    while (to < smooth.length - 1 && !taken[to + 1] && smooth[to + 1]! > floor && to - from < 90) to++;
    for (let f = Math.max(0, from - 15); f <= Math.min(smooth.length - 1, to + 15); f++) taken[f] = true;
    spans.push([Math.max(0, from * hop - rate * 0.05), Math.min(data.length, to * hop + frame + rate * 0.05)]);
  }
  return spans.sort((a, b) => a[0] - b[0]);
}

/** Cuts each clip into its six loudest stretches and has each read as one digit. */
async function decodeSegments(dir: string, lexicon: Lexicon, clips: Map<string, Float32Array>): Promise<Map<string, string>> {
  const segmentNames: string[] = [];
  const parts = new Map<string, string[]>();
  for (const [name, data] of clips) {
    const spans = loudestSix(data, 8000);
    const names = spans.map((_, k) => `${name}-seg${k}`);
    segmentNames.push(...names);
    parts.set(name, names);
    for (const [k, [from, to]] of spans.entries()) await writeFile(join(dir, `${names[k]}.wav`), writeWav({ rate: 16000, data: upsample2(data.subarray(from, to)) }));
  }
  const heard = await decode(dir, lexicon, segmentNames, { name: 'segments', args: [] }, 'one.jsgf');
  return new Map([...parts].map(([name, names]) => [name, names.map((n) => heard.get(n)?.[0] ?? '0').join('')]));
}

function score(answers: string[], hypotheses: Map<string, string>[], names: string[]): AudioStrength {
  const perConfig: AudioStrength['perConfig'] = {};
  const solved = new Set<number>();
  CONFIG_NAMES.forEach((config, c) => {
    let exact = 0;
    let digits = 0;
    answers.forEach((answer, i) => {
      const heard = hypotheses[c]!.get(names[i]!) ?? '';
      if (heard === answer) {
        exact++;
        solved.add(i);
      }
      for (let d = 0; d < answer.length; d++) if (heard[d] === answer[d]) digits++;
    });
    perConfig[config] = { solved: exact / answers.length, digits: digits / (answers.length * 6) };
  });
  return { n: answers.length, solvedByAny: solved.size / answers.length, digitAccuracy: Math.max(...Object.values(perConfig).map((p) => p.digits)), perConfig };
}

/** Runs the measurement; returns null (after saying why) when pocketsphinx is not installed. */
export async function measureAudioStrength({
  count = 100,
  keep,
  served = {},
  language = 'en',
}: { count?: number; keep?: string | undefined; served?: AudioRenderOptions; language?: AudioLanguage } = {}) {
  const lexicon = LEXICONS[language];
  const probe = spawnSync('pocketsphinx_batch', [], { encoding: 'utf8' });
  if (probe.error) {
    process.stderr.write('strength: pocketsphinx is not installed. Install it with: apt-get install pocketsphinx pocketsphinx-en-us\n');
    return null;
  }
  const dir = await mkdtemp(join(tmpdir(), 'verifyd-audio-strength-'));
  try {
    await writeFile(join(dir, 'digits.jsgf'), grammar(lexicon));
    await writeFile(join(dir, 'one.jsgf'), oneDigit(lexicon));
    if (lexicon.dict !== null) await writeFile(join(dir, 'digits.dict'), lexicon.dict);
    const samples = new Map<string, Float32Array>();
    const answers: string[] = [];
    const snrs: number[] = [];
    const noisy: string[] = [];
    const clean: string[] = [];
    const timings: Record<string, number> = {};
    // CPU time, not wall time: the figure should not move with what else the machine runs.
    for (const language of ['en', 'zh-CN'] as const) {
      renderAudioCaptcha('012345', { language, seed: randomBytes(16) });
      const started = process.cpuUsage();
      for (let i = 0; i < 50; i++) renderAudioCaptcha('012345', { language, seed: randomBytes(16) });
      const used = process.cpuUsage(started);
      timings[language] = (used.user + used.system) / 1000 / 50;
    }
    for (let i = 0; i < count; i++) {
      const answer = Array.from({ length: 6 }, () => String(randomInt(10))).join('');
      const seed = randomBytes(16);
      answers.push(answer);
      snrs.push(...digitSnrs(answer, seed, served, language));
      for (const [list, kind, options] of [
        [noisy, 'noisy', served],
        [clean, 'clean', { noise: 0, babble: 0 }],
      ] as [string[], string, AudioRenderOptions][]) {
        const name = `${kind}-${String(i).padStart(3, '0')}`;
        const wav = renderAudioCaptcha(answer, { language, seed, ...options });
        const { data } = readWav(wav);
        samples.set(name, data);
        await writeFile(join(dir, `${name}.wav`), writeWav({ rate: 16000, data: upsample2(data) }));
        if (keep) {
          await mkdir(keep, { recursive: true });
          await writeFile(join(keep, `${name}_${answer}.wav`), wav);
        }
        list.push(name);
      }
    }
    // One decoder per core: the configurations of one set side by side.
    const [noisyHyps, cleanHyps] = [[], []] as Map<string, string>[][];
    for (const [names, into] of [
      [noisy, noisyHyps],
      [clean, cleanHyps],
    ] as const) {
      into!.push(...(await Promise.all(CONFIGS.map((config) => decode(dir, lexicon, names, config)))));
      into!.push(await decodeSegments(dir, lexicon, new Map(names.map((name) => [name, samples.get(name)!]))));
    }
    const strength = score(answers, noisyHyps!, noisy);
    const baseline = score(answers, cleanHyps!, clean);
    const version = /pocketsphinx\s+(\S+)/.exec(spawnSync('dpkg-query', ['-W', 'pocketsphinx'], { encoding: 'utf8' }).stdout ?? '')?.[1] ?? 'unknown';
    snrs.sort((a, b) => a - b);
    const snr = { median: snrs[Math.floor(snrs.length / 2)]!, p5: snrs[Math.floor(snrs.length * 0.05)]!, min: snrs[0]! };
    const model = language === 'en' ? 'en-us' : 'en-us model, pinyin digits spelled in its phones';
    return { language, recogniser: `pocketsphinx ${version} ${model}, JSGF six digits`, renderMs: timings, strength, baseline, snr };
  } finally {
    if (keep) await cp(join(dir, 'digits.jsgf'), join(keep, 'digits.jsgf')).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

/** Each digit's level over what else plays while it is spoken (babble, noise), in dB. */
function digitSnrs(answer: string, seed: Uint8Array, served: AudioRenderOptions, language: AudioLanguage): number[] {
  const { speech, interference, spans } = composeAudioCaptcha(answer, { language, seed, ...served });
  return spans.map(([from, to]) => {
    let s = 0;
    let n = 0;
    for (let i = from; i < to; i++) {
      s += speech[i]! ** 2;
      n += interference[i]! ** 2;
    }
    return 10 * Math.log10(s / n);
  });
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The audio part of `npm run strength` (also runnable alone): measures, prints, writes the JSON; false without pocketsphinx. */
export async function runAudioStrength(argv: string[]): Promise<boolean> {
  const countArg = argv.indexOf('--audio-count');
  const keepArg = argv.indexOf('--audio-keep');
  const count = countArg > 0 ? Number(argv[countArg + 1]) : 100;
  if (!Number.isSafeInteger(count) || count < 0) throw new Error(`audio strength: --audio-count must be a whole number, got ${argv[countArg + 1]}`);
  // --audio-count 0: the image figures only.
  if (count === 0) return true;
  const results = [];
  for (const language of ['en', 'zh-CN'] as const) {
    const keep = keepArg > 0 ? join(argv[keepArg + 1]!, language) : undefined;
    const result = await measureAudioStrength({ count, keep, language });
    if (result === null) return false;
    results.push(result);
  }
  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  await writeFile(new URL('./results/audio-strength.json', import.meta.url), JSON.stringify({ date: new Date().toISOString(), languages: results }, null, 2) + '\n');
  const db = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)} dB`;
  for (const { language, strength, baseline, recogniser, snr } of results) {
    process.stdout.write(`\naudio (${language}): ${recogniser}; per configuration (exact / digits):\n`);
    for (const name of Object.keys(strength.perConfig)) {
      process.stdout.write(`  ${name.padEnd(10)} served ${pct(strength.perConfig[name]!.solved)} / ${pct(strength.perConfig[name]!.digits)}   clean ${pct(baseline.perConfig[name]!.solved)} / ${pct(baseline.perConfig[name]!.digits)}\n`);
    }
    process.stdout.write(`audio-snr: language=${language} each digit over babble and noise: median ${db(snr.median)}, 5th percentile ${db(snr.p5)}, lowest ${db(snr.min)}\n`);
  }
  const { renderMs } = results[0]!;
  process.stdout.write(`audio-render: en=${renderMs.en!.toFixed(1)} ms zh-CN=${renderMs['zh-CN']!.toFixed(1)} ms of CPU per clip\n`);
  for (const { language, strength, baseline } of results) {
    process.stdout.write(`audio-clean-baseline: language=${language} solved_by_any=${pct(baseline.solvedByAny)} digits=${pct(baseline.digitAccuracy)} n=${baseline.n}\n`);
    process.stdout.write(`audio-strength: language=${language} solved_by_any=${pct(strength.solvedByAny)} digits=${pct(strength.digitAccuracy)} n=${strength.n}\n`);
  }
  return true;
}

if (import.meta.url === `file://${process.argv[1]}` && !(await runAudioStrength(process.argv))) process.exit(2);
