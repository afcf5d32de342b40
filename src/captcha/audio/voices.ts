// The speakers of the audio captcha: which espeak-ng voices spoke the bundled digits, per language.
// scripts/render-audio-digits.ts makes assets/audio/ from this list; digits.ts reads it back.

export type AudioLanguage = 'en' | 'zh-CN';
export const AUDIO_LANGUAGES: readonly AudioLanguage[] = ['en', 'zh-CN'];

export interface Voice {
  /** Directory under assets/audio/<language>/. */
  name: string;
  /** espeak-ng voice and variant (`-v`). */
  espeak: string;
  /** Words per minute (`-s`). */
  speed: number;
  /** Pitch 0-99 (`-p`). */
  pitch: number;
}

/**
 * Four speakers per language. English uses espeak-ng's Klatt synthesiser, which a stock recogniser
 * reads best when clean (about 9 digits in 10, against 3 to 6 for the default voices in a quick
 * trial): the clean baseline of `npm run strength` must be high, so that what stops the recogniser
 * is the noise and babble, not an odd voice. Renders shift pitch and formants further per digit.
 */
export const AUDIO_VOICES: Record<AudioLanguage, readonly Voice[]> = {
  en: [
    { name: 'us-1', espeak: 'en-us+klatt', speed: 150, pitch: 40 },
    { name: 'us-4', espeak: 'en-us+klatt4', speed: 145, pitch: 65 },
    { name: 'rp-4', espeak: 'en-gb-x-rp+klatt4', speed: 150, pitch: 50 },
    { name: 'nyc-6', espeak: 'en-us-nyc+klatt6', speed: 155, pitch: 75 },
  ],
  'zh-CN': [
    { name: 'k1', espeak: 'cmn-latn-pinyin+klatt', speed: 145, pitch: 40 },
    { name: 'k4', espeak: 'cmn-latn-pinyin+klatt4', speed: 140, pitch: 65 },
    { name: 'f2', espeak: 'cmn-latn-pinyin+f2', speed: 145, pitch: 55 },
    { name: 'm3', espeak: 'cmn-latn-pinyin+m3', speed: 150, pitch: 35 },
  ],
};
