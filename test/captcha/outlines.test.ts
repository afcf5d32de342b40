// The bundled faces' precompiled outlines (assets/fonts/outlines*.bin.br, written by the build and
// shipped instead of the fonts) draw every glyph exactly as the fonts read with opentype.js do:
// every face, every character it maps, byte for byte.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import opentype from 'opentype.js';
import { BASE_FONT, BUNDLED_FONT_FILES, BUNDLED_FONTS, CJK_FONTS, CJK_STROKE_EM, flatten, glyphFor, OUTLINES_FILES, outlinesFileOf, type Glyph } from '../../src/captcha/font.ts';
import { readOutlines } from '../../src/captcha/outlines.ts';

const files = { latin: readOutlines(readFileSync(OUTLINES_FILES.latin)), cjk: readOutlines(readFileSync(OUTLINES_FILES.cjk)) };

function fontOf(file: string): opentype.Font {
  const bytes = readFileSync(new URL(`../../assets/fonts/${file}`, import.meta.url));
  return opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

// What the font maps: its cmap's code points, as opentype.js resolves them.
function mappedChars(font: opentype.Font): string[] {
  const cmap = (font.tables as unknown as { cmap: { glyphIndexMap: Record<string, number> } }).cmap.glyphIndexMap;
  return Object.keys(cmap)
    .map((c) => String.fromCodePoint(Number(c)))
    .filter((char) => font.charToGlyphIndex(char) !== 0);
}

// Every number of the glyph as bytes, so that 0 and -0 differ too.
const bytesOf = ({ points, contourEnds, normals, ...rest }: Glyph) => ({
  points: Buffer.from(points.buffer, points.byteOffset, points.byteLength),
  contourEnds: Buffer.from(contourEnds.buffer, contourEnds.byteOffset, contourEnds.byteLength),
  normals: Buffer.from(normals.buffer, normals.byteOffset, normals.byteLength),
  ...rest,
});

describe('the precompiled outlines of the bundled faces', () => {
  assert.equal(files.latin.size + files.cjk.size, BUNDLED_FONT_FILES.size);
  for (const [name, file] of BUNDLED_FONT_FILES) {
    const font = fontOf(file);
    const face = files[outlinesFileOf(name)].get(name)!;
    const chars = mappedChars(font);

    it(`${file}: map exactly the characters the font maps, each to opentype.js's path`, () => {
      assert.ok(face, name);
      for (let c = 0; c <= 0xffff; c++) {
        if (c >= 0xd800 && c <= 0xdfff) continue;
        const char = String.fromCodePoint(c);
        assert.equal(face.has(char), font.charToGlyphIndex(char) !== 0, `U+${c.toString(16)}`);
      }
      for (const char of chars) {
        const expected = font.charToGlyph(char).getPath(0, 0, 1).commands;
        const actual = face.path(char);
        assert.equal(actual.length, expected.length, char);
        actual.forEach((command, i) => {
          const want = expected[i] as unknown as Record<string, unknown>;
          for (const [key, value] of Object.entries(command)) assert.ok(Object.is(value, want[key]), `${char} command ${i} ${key}: ${String(value)} vs ${String(want[key])}`);
          assert.deepEqual(Object.keys(command).sort(), Object.keys(want).sort(), `${char} command ${i}`);
        });
      }
    });

    it(`${file}: draw every glyph as flattening opentype.js's path does (points, contours, normals, stem width)`, () => {
      const latin = BUNDLED_FONTS.find((f) => f.name === name);
      const chinese = CJK_FONTS.find((f) => f.name === name);
      const from = name === BASE_FONT.name ? 'base' : latin ? 'other' : 'cjk';
      for (const char of chars) {
        const commands = font.charToGlyph(char).getPath(0, 0, 1).commands;
        if (commands.length === 0) {
          // A space: the base face refuses it, another face leaves it to the base face.
          if (latin) assert.equal(glyphFor(char, latin), glyphFor(char));
          else assert.throws(() => glyphFor(char), /no visible glyph/);
          continue;
        }
        const glyph = glyphFor(char, latin ?? chinese);
        const cjkStrokeEm = chinese ? CJK_STROKE_EM[CJK_FONTS.indexOf(chinese)] : undefined;
        assert.deepStrictEqual(bytesOf(glyph), bytesOf(flatten(char, commands, from, cjkStrokeEm)), `${file} ${char}`);
      }
    });
  }
});
