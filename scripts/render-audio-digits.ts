// Builds assets/audio/: the spoken digits 0-9 of the audio captcha, in English and Mandarin, each
// by several espeak-ng voices, as 8 kHz mono μ-law WAV files trimmed of silence. Run at
// development time only (espeak-ng and sox are never needed at request time or on users' machines):
//
//   apt-get install espeak-ng sox
//   node --import tsx scripts/render-audio-digits.ts
//
// Budget: 400 KB for the whole directory (checked below); the package weight is measured.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AUDIO_LANGUAGES, AUDIO_VOICES } from '../src/captcha/audio/voices.ts';

const BUDGET = 400 * 1024;
const OUT = fileURLToPath(new URL('../assets/audio/', import.meta.url));

// What espeak-ng is given for each digit. Mandarin goes through the pinyin voice: Debian's
// espeak-ng has no dictionary entries for the characters 零…九, and tone numbers pin the tones.
const WORDS: Record<(typeof AUDIO_LANGUAGES)[number], readonly string[]> = {
  en: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'],
  'zh-CN': ['ling2', 'yi1', 'er4', 'san1', 'si4', 'wu3', 'liu4', 'qi1', 'ba1', 'jiu3'],
};

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) throw new Error(`${command} is not installed: apt-get install espeak-ng sox`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
}

const work = mkdtempSync(join(tmpdir(), 'verifyd-digits-'));
try {
  rmSync(OUT, { recursive: true, force: true });
  for (const language of AUDIO_LANGUAGES) {
    for (const voice of AUDIO_VOICES[language]) {
      const dir = join(OUT, language, voice.name);
      mkdirSync(dir, { recursive: true });
      WORDS[language].forEach((word, digit) => {
        const raw = join(work, `${language}-${voice.name}-${digit}.wav`);
        run('espeak-ng', ['-v', voice.espeak, '-s', String(voice.speed), '-p', String(voice.pitch), '-w', raw, word]);
        // Trim leading and trailing silence (reverse, trim, reverse), band-limit to 8 kHz, peak at -1 dBFS.
        run('sox', [raw, '-r', '8000', '-c', '1', '-e', 'u-law', '-b', '8', join(dir, `${digit}.wav`), 'silence', '1', '0.01', '1%', 'reverse', 'silence', '1', '0.01', '1%', 'reverse', 'norm', '-1']);
      });
    }
  }
  // A licence note travels with the recordings.
  writeFileSync(join(OUT, 'README.md'), readme());
} finally {
  rmSync(work, { recursive: true, force: true });
}

const size = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => sum + (entry.isDirectory() ? size(join(dir, entry.name)) : statSync(join(dir, entry.name)).size), 0);
const total = size(OUT);
process.stdout.write(`assets/audio: ${Math.round(total / 1024)} KB (budget ${BUDGET / 1024} KB)\n`);
if (total > BUDGET) throw new Error(`assets/audio is ${total} bytes, over its budget of ${BUDGET}`);

function readmeVoices(): string {
  return AUDIO_LANGUAGES.map((language) => `- ${language}: ${AUDIO_VOICES[language].map((v) => `\`${v.name}\` (espeak-ng \`-v ${v.espeak} -s ${v.speed} -p ${v.pitch}\`)`).join(', ')}`).join('\n');
}

function readme(): string {
  return `# Spoken digits of the audio captcha

The digits 0-9, one file per digit (\`<language>/<voice>/<digit>.wav\`), 8 kHz mono μ-law WAV,
trimmed of silence and peak-normalised. \`src/captcha/audio/\` reads them at start and mixes six of
them, each changed in speed, pitch and gain, with noise and reversed-speech babble, per challenge.

Made with the speech synthesiser espeak-ng (Debian package \`espeak-ng\`) and sox by
\`scripts/render-audio-digits.ts\`; nothing here was recorded from a person. espeak-ng itself is
GPL-3.0-or-later, but what it speaks is generated output, not a copy of the program, and carries no
licence of its own. These recordings are dedicated to the public domain under CC0 1.0
(https://creativecommons.org/publicdomain/zero/1.0/); take them for anything.

Voices (name: espeak-ng voice, words per minute, pitch):
${readmeVoices()}

Mandarin is spoken from tone-numbered pinyin (ling2 yi1 er4 san1 si4 wu3 liu4 qi1 ba1 jiu3) by the
\`cmn-latn-pinyin\` voice: Debian's espeak-ng has no dictionary entries for the characters 零…九.
`;
}
