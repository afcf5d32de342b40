// Reads the glyph outlines of the bundled faces, which the build compiles from their fonts
// (scripts/font-outlines.ts) into one file the package ships instead of the fonts, so drawing in a
// bundled face needs no font parser. The file is Brotli-compressed; inside, little-endian:
//
//   "VDO1"
//   u8 face count, then per face:
//     u8 name length, the name (UTF-8), u16 units per em, u16 glyph count, then per glyph:
//       u32 code point, u16 command count, u16 number count,
//       the commands' letters (ASCII: M L Q C, as opentype.js names them; its getPath gives a
//       glyph no Z, each M starting a new contour),
//       the numbers as int16: each coordinate in font units, times 2 (TrueType's implied
//       on-curve points fall on half units), x then y for each point of each command.
//
// Every character the font maps to a glyph is there, empty outlines (a space) included.
import { brotliDecompressSync } from 'node:zlib';

/** One command of a glyph's path, as opentype.js's `glyph.getPath(0, 0, 1)` gives it: em units, y down. */
export type PathCommand =
  | { type: 'M' | 'L'; x: number; y: number }
  | { type: 'Q'; x1: number; y1: number; x: number; y: number }
  | { type: 'C'; x1: number; y1: number; x2: number; y2: number; x: number; y: number }
  | { type: 'Z' };

/** The outlines of one face. */
export interface FaceOutlines {
  /** Whether the face maps `char` (one code point) to a glyph, empty or not. */
  has(char: string): boolean;
  /** The path of `char`'s glyph (empty when the face has none), identical to opentype.js's. */
  path(char: string): PathCommand[];
}

/** The first four bytes of the file, once decompressed: the format and its version. */
export const OUTLINES_MAGIC = 'VDO1';

/** The faces of a compressed outlines file, by name. Throws on a file in another format. */
export function readOutlines(compressed: Buffer): Map<string, FaceOutlines> {
  const bytes = brotliDecompressSync(compressed);
  if (bytes.toString('latin1', 0, 4) !== OUTLINES_MAGIC) throw new Error('not a verifyd outlines file');
  const faces = new Map<string, FaceOutlines>();
  let at = 4;
  const faceCount = bytes.readUInt8(at++);
  for (let f = 0; f < faceCount; f++) {
    const nameLength = bytes.readUInt8(at++);
    const name = bytes.toString('utf8', at, (at += nameLength));
    const unitsPerEm = bytes.readUInt16LE(at);
    const glyphCount = bytes.readUInt16LE(at + 2);
    at += 4;
    // Where each glyph's commands start; its path is decoded when asked for (glyphFor caches it).
    const glyphs = new Map<number, { at: number; commands: number }>();
    for (let g = 0; g < glyphCount; g++) {
      const codePoint = bytes.readUInt32LE(at);
      const commands = bytes.readUInt16LE(at + 4);
      const numbers = bytes.readUInt16LE(at + 6);
      glyphs.set(codePoint, { at: at + 8, commands });
      at += 8 + commands + 2 * numbers;
    }
    faces.set(name, {
      has: (char) => glyphs.has(char.codePointAt(0)!),
      path: (char) => {
        const glyph = glyphs.get(char.codePointAt(0)!);
        return glyph ? decodePath(bytes, glyph.at, glyph.commands, unitsPerEm) : [];
      },
    });
  }
  if (at !== bytes.length) throw new Error('not a verifyd outlines file');
  return faces;
}

// The arithmetic of opentype.js's Glyph.getPath(x = 0, y = 0, fontSize = 1): `x + v * scale` and
// `y + -v * scale` with scale = 1 / unitsPerEm * fontSize, so every coordinate is the same double.
function decodePath(bytes: Buffer, start: number, count: number, unitsPerEm: number): PathCommand[] {
  const scale = (1 / unitsPerEm) * 1;
  let at = start + count;
  const x = () => 0 + (bytes.readInt16LE((at += 2) - 2) / 2) * scale;
  const y = () => 0 + -(bytes.readInt16LE((at += 2) - 2) / 2) * scale;
  const path: PathCommand[] = [];
  for (let i = 0; i < count; i++) {
    const type = String.fromCharCode(bytes[start + i]!);
    switch (type) {
      case 'M':
      case 'L':
        path.push({ type, x: x(), y: y() });
        break;
      case 'Q':
        path.push({ type, x1: x(), y1: y(), x: x(), y: y() });
        break;
      case 'C':
        path.push({ type, x1: x(), y1: y(), x2: x(), y2: y(), x: x(), y: y() });
        break;
      default:
        throw new Error(`not a verifyd outlines file (command ${JSON.stringify(type)})`);
    }
  }
  return path;
}
