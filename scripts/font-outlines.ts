// Compiles the glyph outlines of the bundled faces (the fonts in assets/fonts/, read with
// opentype.js, a devDependency here) into assets/fonts/outlines.bin.br (the Latin faces) and
// outlines-cjk.bin.br (the Chinese ones), which the package ships instead of the fonts, in the format src/captcha/outlines.ts reads: every character each font
// maps to a glyph, with its path as opentype.js's glyph.getPath(0, 0, 1) gives it, before
// scaling. Drawing in a bundled face then needs no font parser at run time (opentype.js is 3.6 MB
// on disk and about 10 MB of memory once loaded); only an operator's own fonts (--captcha-fonts)
// do. `npm run build` runs this; a file is rewritten only when its bytes change, and then by a
// rename, so a running process never reads it half written.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';
import opentype from 'opentype.js';
import { BUNDLED_FONT_FILES, OUTLINES_FILES, outlinesFileOf } from '../src/captcha/font.ts';
import { OUTLINES_MAGIC, type PathCommand } from '../src/captcha/outlines.ts';
import { writeIfChanged } from './write-if-changed.ts';

for (const [group, path] of Object.entries(OUTLINES_FILES) as [keyof typeof OUTLINES_FILES, string][]) {
  const faces = [...BUNDLED_FONT_FILES].filter(([name]) => outlinesFileOf(name) === group);
  const compressed = brotliCompressSync(Buffer.concat(compile(faces)), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  const shown = `assets/fonts/${basename(path)}`;
  if (writeIfChanged(path, compressed)) {
    process.stdout.write(`font-outlines: ${faces.length} faces written to ${shown} (${compressed.length} bytes)\n`);
  } else {
    process.stdout.write(`font-outlines: ${faces.length} faces already in ${shown}\n`);
  }
}

// One outlines file's bytes, before compression, for `faces` ([name, font file]).
function compile(faces: [string, string][]): Buffer[] {
  const chunks: Buffer[] = [Buffer.from(OUTLINES_MAGIC, 'latin1'), u8(faces.length)];
  for (const [name, file] of faces) {
    const bytes = readFileSync(fileURLToPath(new URL(`../assets/fonts/${file}`, import.meta.url)));
    const font = opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const mapped = (font.tables as unknown as { cmap: { glyphIndexMap: Record<string, number> } }).cmap.glyphIndexMap;
    const chars = Object.keys(mapped)
      .map(Number)
      .sort((a, b) => a - b)
      .map((c) => String.fromCodePoint(c))
      .filter((char) => font.charToGlyphIndex(char) !== 0);
    // getPath scales by 1 / (the path's unitsPerEm || 1000); the reader applies the face's.
    const unitsPerEm = font.unitsPerEm;
    const nameBytes = Buffer.from(name, 'utf8');
    chunks.push(u8(nameBytes.length), nameBytes, u16(unitsPerEm), u16(chars.length));
    for (const char of chars) {
      const glyph = font.charToGlyph(char);
      const { path } = glyph;
      if ((path.unitsPerEm || 1000) !== unitsPerEm) throw new Error(`font-outlines: ${file} ${char}: units per em ${path.unitsPerEm}, not ${unitsPerEm}`);
      // getPath(0, 0, 1) keeps a Z only in a stroked path, which a glyph's is not: the file has
      // the commands it gives, with the numbers before its scaling.
      const commands = (path.commands as PathCommand[]).filter((c) => c.type !== 'Z');
      const scaled = glyph.getPath(0, 0, 1).commands;
      if (scaled.map((c) => c.type).join('') !== commands.map((c) => c.type).join('')) throw new Error(`font-outlines: ${file} ${char}: getPath gives other commands than the glyph has`);
      const numbers = commands.flatMap(coordinates).map((v) => {
        if (!Number.isInteger(v * 2) || Math.abs(v * 2) > 0x7fff) throw new Error(`font-outlines: ${file} ${char}: ${v} is not a half unit an int16 holds`);
        return v * 2;
      });
      if (commands.length > 0xffff || numbers.length > 0xffff) throw new Error(`font-outlines: ${file} ${char}: too many commands`);
      chunks.push(u32(char.codePointAt(0)!), u16(commands.length), u16(numbers.length), Buffer.from(commands.map((c) => c.type).join(''), 'latin1'));
      const packed = Buffer.alloc(2 * numbers.length);
      numbers.forEach((v, i) => packed.writeInt16LE(v, 2 * i));
      chunks.push(packed);
    }
  }
  return chunks;
}

// The numbers of a command in the order the reader takes them.
function coordinates(c: PathCommand): number[] {
  switch (c.type) {
    case 'M':
    case 'L':
      return [c.x, c.y];
    case 'Q':
      return [c.x1, c.y1, c.x, c.y];
    case 'C':
      return [c.x1, c.y1, c.x2, c.y2, c.x, c.y];
    default:
      throw new Error(`font-outlines: unknown command ${JSON.stringify(c)}`);
  }
}

function u8(n: number): Buffer {
  return Buffer.from([n]);
}
function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}
