// WAV in and out: reads the bundled 4-bit IMA ADPCM digit files (and μ-law or 16-bit PCM ones),
// writes 16-bit PCM, which every browser's <audio> plays (Firefox plays neither ADPCM nor μ-law).

const MULAW_TABLE = (() => {
  const table = new Float32Array(256);
  for (let i = 0; i < 256; i++) {
    const u = ~i & 0xff;
    const sign = u & 0x80;
    const exponent = (u >> 4) & 0x07;
    const mantissa = u & 0x0f;
    const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
    table[i] = (sign ? -magnitude : magnitude) / 32768;
  }
  return table;
})();

// IMA ADPCM (the Interactive Multimedia Association's 4-bit code, WAV format 0x11).
const IMA_STEPS = [
  7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 21, 23, 25, 28, 31, 34, 37, 41, 45, 50, 55, 60, 66, 73, 80, 88, 97, 107, 118, 130, 143, 157, 173, 190, 209, 230,
  253, 279, 307, 337, 371, 408, 449, 494, 544, 598, 658, 724, 796, 876, 963, 1060, 1166, 1282, 1411, 1552, 1707, 1878, 2066, 2272, 2499, 2749, 3024, 3327,
  3660, 4026, 4428, 4871, 5358, 5894, 6484, 7132, 7845, 8630, 9493, 10442, 11487, 12635, 13899, 15289, 16818, 18500, 20350, 22385, 24623, 27086, 29794, 32767,
];
const IMA_INDEX = [-1, -1, -1, -1, 2, 4, 6, 8];

/** Decodes mono IMA ADPCM blocks: each a 4-byte header (first sample, step index), then nibbles, low first. */
function decodeImaAdpcm(bytes: Uint8Array, blockAlign: number, total: number): Float32Array {
  const out = new Float32Array(total);
  let n = 0;
  for (let block = 0; block + 4 <= bytes.length && n < total; block += blockAlign) {
    let predictor = (bytes[block]! | (bytes[block + 1]! << 8)) << 16 >> 16;
    let index = Math.min(88, bytes[block + 2]!);
    out[n++] = predictor / 32768;
    const end = Math.min(block + blockAlign, bytes.length);
    for (let at = block + 4; at < end && n < total; at++) {
      for (const nibble of [bytes[at]! & 0x0f, bytes[at]! >> 4]) {
        if (n >= total) break;
        const step = IMA_STEPS[index]!;
        let diff = step >> 3;
        if (nibble & 4) diff += step;
        if (nibble & 2) diff += step >> 1;
        if (nibble & 1) diff += step >> 2;
        predictor = Math.max(-32768, Math.min(32767, nibble & 8 ? predictor - diff : predictor + diff));
        index = Math.max(0, Math.min(88, index + IMA_INDEX[nibble & 7]!));
        out[n++] = predictor / 32768;
      }
    }
  }
  return n === total ? out : out.subarray(0, n);
}

export interface Samples {
  rate: number;
  data: Float32Array;
}

/**
 * Decodes a mono WAV file of 4-bit IMA ADPCM (format 0x11), 8-bit μ-law (format 7) or 16-bit PCM
 * (format 1) into floats in [-1, 1]. Throws on anything else: the files are ours, so a surprise
 * is a packaging error.
 */
export function readWav(file: Uint8Array): Samples {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const tag = (at: number) => String.fromCharCode(file[at]!, file[at + 1]!, file[at + 2]!, file[at + 3]!);
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not a WAV file');
  let format = 0;
  let channels = 0;
  let rate = 0;
  let bits = 0;
  let blockAlign = 0;
  let frames = -1; // the fact chunk's sample count: the last ADPCM block is padded
  for (let at = 12; at + 8 <= file.length; ) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      format = view.getUint16(body, true);
      channels = view.getUint16(body + 2, true);
      rate = view.getUint32(body + 4, true);
      blockAlign = view.getUint16(body + 12, true);
      bits = view.getUint16(body + 14, true);
    } else if (id === 'fact') {
      frames = view.getUint32(body, true);
    } else if (id === 'data') {
      if (channels !== 1) throw new Error(`WAV with ${channels} channels; mono expected`);
      const end = Math.min(body + size, file.length);
      if (format === 0x11 && bits === 4) {
        const blocks = Math.ceil((end - body) / blockAlign);
        const total = frames >= 0 ? frames : blocks * (2 * (blockAlign - 4) + 1);
        return { rate, data: decodeImaAdpcm(file.subarray(body, end), blockAlign, total) };
      }
      if (format === 7 && bits === 8) {
        const data = new Float32Array(end - body);
        for (let i = 0; i < data.length; i++) data[i] = MULAW_TABLE[file[body + i]!]!;
        return { rate, data };
      }
      if (format === 1 && bits === 16) {
        const data = new Float32Array((end - body) >> 1);
        for (let i = 0; i < data.length; i++) data[i] = view.getInt16(body + 2 * i, true) / 32768;
        return { rate, data };
      }
      throw new Error(`WAV format ${format} with ${bits} bits; IMA ADPCM, μ-law or 16-bit PCM expected`);
    }
    at = body + size + (size & 1);
  }
  throw new Error('WAV file without a data chunk');
}

/** Encodes floats (clipped to [-1, 1]) as a mono 16-bit PCM WAV file. */
export function writeWav({ rate, data }: Samples): Buffer {
  const out = Buffer.alloc(44 + data.length * 2);
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(36 + data.length * 2, 4);
  out.write('WAVEfmt ', 8, 'latin1');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(rate, 24);
  out.writeUInt32LE(rate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'latin1');
  out.writeUInt32LE(data.length * 2, 40);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let i = 0; i < data.length; i++) {
    const s = Math.max(-1, Math.min(1, data[i]!));
    view.setInt16(44 + 2 * i, Math.round(s * 32767), true);
  }
  return out;
}
