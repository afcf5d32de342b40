// Public door of the audio captcha: digits and a seed in, a WAV clip out. Each digit is spoken by
// its own speaker at its own speed, pitch and gain, after a gap of its own, over background noise
// and a babble of reversed speech, so that neither a speech recogniser nor a silence detector
// finds the digits where a listener does.
import { Random } from '../random.ts';
import { digitClips, SAMPLE_RATE } from './digits.ts';
import { resample, timeStretch } from './stretch.ts';
import type { AudioLanguage } from './voices.ts';
import { writeWav } from './wav.ts';

export const AUDIO_MEDIA_TYPE = 'audio/wav';

export interface AudioRenderOptions {
  language?: AudioLanguage; // default 'en'
  /** The clip's randomness: 16+ bytes (e.g. an HMAC of the challenge) or a number; default: fresh from node:crypto. */
  seed?: Uint8Array | number;
  /** Background noise level, 0 (none) to 2; default 1. */
  noise?: number;
  /** Reversed-speech babble level, 0 (none) to 2; default 1. */
  babble?: number;
}

export const MAX_AUDIO_DIGITS = 12;

// Levels are amplitudes relative to a digit as recorded (peaks at -1 dBFS), tuned with
// `npm run strength` (stock recogniser below 5 % of clips) against the clean baseline.
const DIGIT_GAIN_DB = [-6, 0] as const;
const PITCH = [0.9, 1.12] as const; // resampling factor: the speaker's voice higher or lower
const SPEED = [0.85, 1.15] as const; // tempo: faster or slower, independent of pitch
const GAP_SECONDS = [0.25, 0.6] as const;
const DECOY_GAP_SECONDS = [0.2, 0.45] as const; // after a decoy, before the next digit
const BABBLE_GAIN_DB = [-19, -11] as const;
const BABBLE_SPACING_SECONDS = [0.2, 0.45] as const;
const NOISE_RMS = 0.01;
const DECOYS = 4; // of the 7 places before, between and after six digits
const FLOOR = 0.002;

const dbToGain = (db: number) => 10 ** (db / 20);

/** A clip before mixing: the spoken digits, everything else, and where each digit is. */
export interface ComposedClip {
  speech: Float32Array;
  /** Babble, noise and the noise floor, as long as `speech`. */
  interference: Float32Array;
  /** Start and end sample of each digit. */
  spans: [number, number][];
}

/**
 * Renders `digits` (1 to MAX_AUDIO_DIGITS of 0-9) as a spoken 8 kHz mono 16-bit WAV clip.
 * Deterministic for a given seed: the same digits, options and seed give identical bytes.
 * Throws a RangeError for anything but digits.
 */
export function renderAudioCaptcha(digits: string, options: AudioRenderOptions = {}): Buffer {
  const { speech, interference } = composeAudioCaptcha(digits, options);
  const mix = new Float32Array(speech.length);
  let peak = 0;
  for (let i = 0; i < mix.length; i++) {
    mix[i] = speech[i]! + interference[i]!;
    peak = Math.max(peak, Math.abs(mix[i]!));
  }
  const scale = peak > 0 ? 0.95 / peak : 1;
  for (let i = 0; i < mix.length; i++) mix[i]! *= scale;
  return writeWav({ rate: SAMPLE_RATE, data: mix });
}

/** The parts renderAudioCaptcha mixes, kept apart so `npm run strength` can measure the SNR. */
export function composeAudioCaptcha(digits: string, { language = 'en', seed, noise = 1, babble = 1 }: AudioRenderOptions = {}): ComposedClip {
  if (!new RegExp(`^[0-9]{1,${MAX_AUDIO_DIGITS}}$`).test(digits)) throw new RangeError(`an audio captcha speaks 1 to ${MAX_AUDIO_DIGITS} digits, got ${JSON.stringify(digits)}`);
  if (!(noise >= 0 && noise <= 2) || !(babble >= 0 && babble <= 2)) throw new RangeError('audio noise and babble levels must be in 0..2');
  const rng = seed instanceof Uint8Array ? Random.fromBytes(seed) : new Random(seed);
  const clips = digitClips(language);
  const seconds = (range: readonly [number, number]) => Math.round(rng.range(range[0], range[1]) * SAMPLE_RATE);

  // Each digit: a speaker other than the last one's, its own pitch, speed and gain.
  const spoken: { at: number; samples: Float32Array }[] = [];
  // Decoys: reversed digits as loud as the digits, alone in some of the gaps, so that the loudest
  // stretches of a clip are not the digits (cutting out the six loudest and reading each was the
  // best stock attack before them: 57 % of digits). Reversed speech is no English or Mandarin word
  // to a listener; to a recogniser held to digits it is one.
  const decoySlots = new Set<number>();
  // Drawn and timed even without babble (then silent), so a clean clip differs from the served
  // one by its interference only: the legibility baseline of `npm run strength`.
  while (decoySlots.size < Math.min(DECOYS, digits.length + 1)) decoySlots.add(rng.int(0, digits.length));
  const decoys: { at: number; samples: Float32Array }[] = [];
  const decoy = (at: number) => {
    const samples = timeStretch(resample(clips[rng.int(0, clips.length - 1)]![rng.int(0, 9)]!, rng.range(PITCH[0], PITCH[1])), rng.range(SPEED[0], SPEED[1])).reverse();
    const gain = Math.min(1, babble) * dbToGain(rng.range(DIGIT_GAIN_DB[0], DIGIT_GAIN_DB[1]));
    for (let i = 0; i < samples.length; i++) samples[i]! *= gain;
    decoys.push({ at, samples });
    return samples.length + seconds(DECOY_GAP_SECONDS);
  };

  let cursor = seconds([0.4, 0.8]);
  let lastVoice = -1;
  for (const [position, char] of Array.from(digits).entries()) {
    if (decoySlots.has(position)) cursor += decoy(cursor);
    let voice = rng.int(0, clips.length - 1);
    if (voice === lastVoice) voice = (voice + 1 + rng.int(0, clips.length - 2)) % clips.length;
    lastVoice = voice;
    const pitch = rng.range(PITCH[0], PITCH[1]);
    const speed = rng.range(SPEED[0], SPEED[1]);
    const gain = dbToGain(rng.range(DIGIT_GAIN_DB[0], DIGIT_GAIN_DB[1]));
    const samples = timeStretch(resample(clips[voice]![Number(char)]!, pitch), speed / pitch);
    for (let i = 0; i < samples.length; i++) samples[i]! *= gain;
    spoken.push({ at: cursor, samples });
    cursor += samples.length + seconds(GAP_SECONDS);
  }
  if (decoySlots.has(digits.length)) cursor += decoy(cursor);
  const length = cursor + seconds([0.2, 0.5]);
  const speech = new Float32Array(length);
  for (const { at, samples } of spoken) add(speech, samples, at);
  const interference = new Float32Array(length);
  for (const { at, samples } of decoys) add(interference, samples, at);

  // Babble: reversed digits of random speakers, overlapping, from start to end, gaps included, so
  // the loud parts of the clip are not only where the digits are.
  if (babble > 0) {
    for (let at = seconds([0, 0.2]); at < length; at += seconds(BABBLE_SPACING_SECONDS)) {
      const source = clips[rng.int(0, clips.length - 1)]![rng.int(0, 9)]!;
      const reversed = resample(source, rng.range(PITCH[0], PITCH[1])).reverse();
      const gain = babble * dbToGain(rng.range(BABBLE_GAIN_DB[0], BABBLE_GAIN_DB[1]));
      for (let i = 0; i < reversed.length; i++) reversed[i]! *= gain;
      add(interference, reversed, at);
    }
  }

  // A faint noise floor even in a clean clip: digital silence is no recording's, and a gap of exact
  // zeros tells a machine where the digits are.
  for (let i = 0; i < length; i++) interference[i]! += FLOOR * rng.range(-1, 1);

  // Noise: white and brown mixed, its level drifting slowly.
  if (noise > 0) {
    let brown = 0;
    let level = 1;
    for (let i = 0; i < length; i++) {
      if (i % 400 === 0) level = Math.min(1.6, Math.max(0.5, level + rng.range(-0.15, 0.15)));
      const white = rng.range(-1, 1);
      brown = 0.97 * brown + 0.03 * white;
      interference[i]! += noise * NOISE_RMS * level * (0.8 * white + 6 * brown);
    }
  }
  return { speech, interference, spans: spoken.map(({ at, samples }) => [at, at + samples.length]) };
}

function add(into: Float32Array, samples: Float32Array, at: number): void {
  const end = Math.min(into.length, at + samples.length);
  for (let i = at; i < end; i++) into[i]! += samples[i - at]!;
}
