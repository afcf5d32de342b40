// The audio captcha's renderer through its public door: WAV out, determinism, both languages,
// bad input; and the time stretch keeping pitch while changing duration.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { digitClips, SAMPLE_RATE } from '../../src/captcha/audio/digits.ts';
import { composeAudioCaptcha, renderAudioCaptcha } from '../../src/captcha/audio/render.ts';
import { timeStretch } from '../../src/captcha/audio/stretch.ts';
import { AUDIO_LANGUAGES, AUDIO_VOICES } from '../../src/captcha/audio/voices.ts';
import { readWav } from '../../src/captcha/audio/wav.ts';

const seed = Buffer.alloc(16, 7);

describe('renderAudioCaptcha', () => {
  it('renders a mono 16-bit PCM WAV at 8 kHz, a few seconds long', () => {
    const wav = renderAudioCaptcha('123456', { seed });
    assert.equal(wav.toString('latin1', 0, 4), 'RIFF');
    assert.equal(wav.toString('latin1', 8, 12), 'WAVE');
    assert.equal(wav.readUInt16LE(20), 1, 'PCM');
    assert.equal(wav.readUInt16LE(22), 1, 'mono');
    assert.equal(wav.readUInt32LE(24), SAMPLE_RATE);
    assert.equal(wav.readUInt16LE(34), 16);
    const { data } = readWav(wav);
    assert.ok(data.length / SAMPLE_RATE > 3 && data.length / SAMPLE_RATE < 12, `${data.length / SAMPLE_RATE} s`);
  });

  it('gives identical bytes for the same digits and seed, and other bytes for another seed', () => {
    assert.deepEqual(renderAudioCaptcha('904172', { seed, language: 'zh-CN' }), renderAudioCaptcha('904172', { seed, language: 'zh-CN' }));
    assert.notDeepEqual(renderAudioCaptcha('904172', { seed }), renderAudioCaptcha('904172', { seed: Buffer.alloc(16, 8) }));
    assert.notDeepEqual(renderAudioCaptcha('904172', { seed }), renderAudioCaptcha('904173', { seed }));
  });

  it('speaks each digit louder than what plays over it, on average', () => {
    const { speech, interference, spans } = composeAudioCaptcha('555555', { seed });
    assert.equal(spans.length, 6);
    let s = 0;
    let n = 0;
    for (const [from, to] of spans) for (let i = from; i < to; i++) [s, n] = [s + speech[i]! ** 2, n + interference[i]! ** 2];
    assert.ok(10 * Math.log10(s / n) > 3, `SNR ${10 * Math.log10(s / n)} dB`);
  });

  it('leaves out babble and noise when asked, for the legibility baseline', () => {
    const { interference } = composeAudioCaptcha('123', { seed, noise: 0, babble: 0 });
    assert.ok(interference.every((x) => Math.abs(x) < 0.01));
  });

  it('refuses anything but 1 to 12 digits', () => {
    for (const digits of ['', '12a', '１２３', '1234567890123']) assert.throws(() => renderAudioCaptcha(digits), RangeError, digits);
  });
});

describe('the bundled digits', () => {
  it('has ten digits at 8 kHz for every voice of every language', () => {
    for (const language of AUDIO_LANGUAGES) {
      const clips = digitClips(language);
      assert.equal(clips.length, AUDIO_VOICES[language].length);
      for (const voice of clips) {
        assert.equal(voice.length, 10);
        for (const digit of voice) assert.ok(digit.length > 0.15 * SAMPLE_RATE && digit.length < 1.2 * SAMPLE_RATE, `${digit.length} samples`);
      }
    }
  });
});

describe('timeStretch', () => {
  it('shortens a tone by the tempo and keeps its period', () => {
    const period = 40; // 200 Hz at 8 kHz
    const tone = Float32Array.from({ length: 8000 }, (_, i) => Math.sin((2 * Math.PI * i) / period));
    const fast = timeStretch(tone, 1.25);
    assert.equal(fast.length, 6400);
    // The lag of the highest autocorrelation between 20 and 80 samples, away from the edges.
    const middle = fast.subarray(1000, 5000);
    let best = 0;
    let lag = 0;
    for (let l = 20; l <= 80; l++) {
      let sum = 0;
      for (let i = 0; i + l < middle.length; i++) sum += middle[i]! * middle[i + l]!;
      if (sum > best) [best, lag] = [sum, l];
    }
    assert.equal(lag, period);
  });
});
