// The bundled spoken digits (assets/audio/), read once per language on first use and kept.
import { readFileSync } from 'node:fs';
import { readWav } from './wav.ts';
import { AUDIO_VOICES, type AudioLanguage } from './voices.ts';

/** The rate of every bundled recording and of every rendered clip. */
export const SAMPLE_RATE = 8000;

const ASSETS = new URL('../../../assets/audio/', import.meta.url);

/** `clips[voice][digit]`: each speaker's ten digits, as floats at SAMPLE_RATE. */
export type DigitClips = readonly (readonly Float32Array[])[];

const loaded = new Map<AudioLanguage, DigitClips>();

/**
 * The digits of `language` by each of its voices. Reads 40 small files the first time (about
 * 2 ms), then answers from memory. Throws when a file is missing or not at SAMPLE_RATE: the
 * package was built wrong.
 */
export function digitClips(language: AudioLanguage): DigitClips {
  let clips = loaded.get(language);
  if (clips === undefined) {
    clips = AUDIO_VOICES[language].map((voice) =>
      Array.from({ length: 10 }, (_, digit) => {
        const { rate, data } = readWav(readFileSync(new URL(`${language}/${voice.name}/${digit}.wav`, ASSETS)));
        if (rate !== SAMPLE_RATE) throw new Error(`assets/audio/${language}/${voice.name}/${digit}.wav is at ${rate} Hz, not ${SAMPLE_RATE}`);
        return data;
      }),
    );
    loaded.set(language, clips);
  }
  return clips;
}
