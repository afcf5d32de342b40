// Minimal PNG writer for 8-bit RGB from RGBX pixels: unfiltered rows, deflated with node:zlib, CRC-checked chunks.
import { deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLE[n] = c;
}

/** CRC-32 (ISO-HDLC, as PNG and zlib use) of `bytes[start, end)`, as an unsigned integer. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = -1;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

let rows = Buffer.alloc(0);

/** Encodes `width` × `height` RGBX pixels (4 bytes each, the 4th ignored, row-major) as an RGB PNG file in a new Buffer. */
export function encodePng(rgbx: Uint8Array, width: number, height: number): Buffer {
  const size = (width * 3 + 1) * height;
  if (rows.length < size) rows = Buffer.alloc(size);
  let o = 0;
  for (let y = 0, i = 0; y < height; y++) {
    // Filter type 0 (none) at level 1: on these images smaller and faster than Sub or Up, and
    // higher levels buy a few percent for twice the time.
    rows[o++] = 0;
    for (let x = 0; x < width; x++, i += 4, o += 3) {
      rows[o] = rgbx[i]!;
      rows[o + 1] = rgbx[i + 1]!;
      rows[o + 2] = rgbx[i + 2]!;
    }
  }
  const idat = deflateSync(rows.subarray(0, size), { level: 1 });

  const out = Buffer.alloc(SIGNATURE.length + 25 + 12 + idat.length + 12);
  SIGNATURE.copy(out, 0);
  let at = SIGNATURE.length;
  at = chunk(out, at, 'IHDR', 13, (p) => {
    out.writeUInt32BE(width, p);
    out.writeUInt32BE(height, p + 4);
    out[p + 8] = 8; // bit depth
    out[p + 9] = 2; // colour type: RGB
    out[p + 10] = 0; // deflate
    out[p + 11] = 0; // filter method 0 (per-row filter types)
    out[p + 12] = 0; // no interlace
  });
  at = chunk(out, at, 'IDAT', idat.length, (p) => idat.copy(out, p));
  chunk(out, at, 'IEND', 0, () => {});
  return out;
}

function chunk(out: Buffer, at: number, type: string, length: number, writeData: (at: number) => void): number {
  out.writeUInt32BE(length, at);
  out.write(type, at + 4, 'latin1');
  writeData(at + 8);
  out.writeUInt32BE(crc32(out, at + 4, at + 8 + length), at + 8 + length);
  return at + 12 + length;
}
