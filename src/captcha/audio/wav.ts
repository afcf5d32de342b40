// WAV in and out: reads the bundled 8-bit μ-law (G.711) digit files, writes 16-bit PCM, which
// every browser's <audio> plays (Firefox does not play μ-law WAV).

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

export interface Samples {
  rate: number;
  data: Float32Array;
}

/**
 * Decodes a mono WAV file of 8-bit μ-law (format 7) or 16-bit PCM (format 1) into floats in
 * [-1, 1]. Throws on anything else: the files are ours, so a surprise is a packaging error.
 */
export function readWav(file: Uint8Array): Samples {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const tag = (at: number) => String.fromCharCode(file[at]!, file[at + 1]!, file[at + 2]!, file[at + 3]!);
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not a WAV file');
  let format = 0;
  let channels = 0;
  let rate = 0;
  let bits = 0;
  for (let at = 12; at + 8 <= file.length; ) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      format = view.getUint16(body, true);
      channels = view.getUint16(body + 2, true);
      rate = view.getUint32(body + 4, true);
      bits = view.getUint16(body + 14, true);
    } else if (id === 'data') {
      if (channels !== 1) throw new Error(`WAV with ${channels} channels; mono expected`);
      const end = Math.min(body + size, file.length);
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
      throw new Error(`WAV format ${format} with ${bits} bits; μ-law or 16-bit PCM expected`);
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
