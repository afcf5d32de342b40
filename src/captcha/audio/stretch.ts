// Speed and pitch of a recording, changed independently: resampling moves both, then WSOLA
// (waveform-similarity overlap-add) restores or changes the duration without touching the pitch.

/**
 * Reads `x` `factor` times faster by linear interpolation: pitch up and duration down by `factor`
 * (above 1), or the reverse (below 1).
 */
export function resample(x: Float32Array, factor: number): Float32Array {
  const length = Math.max(1, Math.floor((x.length - 1) / factor));
  const y = new Float32Array(length);
  for (let n = 0; n < length; n++) {
    const at = n * factor;
    const i = Math.floor(at);
    const frac = at - i;
    y[n] = x[i]! * (1 - frac) + (x[i + 1] ?? 0) * frac;
  }
  return y;
}

const FRAME = 256; // 32 ms at 8 kHz: a few pitch periods
const HOP = FRAME / 2;
const SEARCH = 64; // how far from its nominal place a frame may be taken to line up with the last one
const WINDOW = Float32Array.from({ length: FRAME }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / FRAME));

/**
 * Plays `x` at `tempo` times its speed (above 1: shorter) at the same pitch. Each output frame
 * is taken near its nominal place in the input where it best continues the previous frame
 * (highest cross-correlation), so pitch periods line up and the overlap-add does not warble.
 */
export function timeStretch(x: Float32Array, tempo: number): Float32Array {
  if (Math.abs(tempo - 1) < 1e-3 || x.length < FRAME * 2) return x.slice();
  const outLength = Math.floor(x.length / tempo);
  const y = new Float32Array(outLength + FRAME);
  let previous = 0; // where the last frame was taken from
  for (let out = 0; out < outLength; out += HOP) {
    const nominal = Math.round(out * tempo);
    let from = Math.min(nominal, x.length - FRAME);
    if (out > 0) {
      // The natural continuation of the previous frame starts HOP after it.
      const target = previous + HOP;
      const lo = Math.max(0, nominal - SEARCH);
      const hi = Math.min(x.length - FRAME, nominal + SEARCH);
      // Coarse (every other offset, every other sample), then the neighbours of the best: a
      // quarter of the work of the full search, and the same offset for voiced speech, whose
      // period is 20 samples or more at 8 kHz.
      from = bestOffset(x, target, lo, hi, 2);
      from = bestOffset(x, target, Math.max(lo, from - 1), Math.min(hi, from + 1), 1);
    }
    if (from < 0) break;
    for (let i = 0; i < FRAME; i++) y[out + i]! += x[from + i]! * WINDOW[i]!;
    previous = from;
  }
  return y.subarray(0, outLength);
}

// The offset in lo..hi (every `step`) whose next HOP samples correlate best with those at `target`.
function bestOffset(x: Float32Array, target: number, lo: number, hi: number, step: number): number {
  let best = -Infinity;
  let at = lo;
  for (let candidate = lo; candidate <= hi; candidate += step) {
    let score = 0;
    for (let i = 0; i < HOP; i += step) score += x[candidate + i]! * (x[target + i] ?? 0);
    if (score > best) {
      best = score;
      at = candidate;
    }
  }
  return at;
}
