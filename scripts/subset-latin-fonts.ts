// Builds the Latin faces a deployment style mixes in, assets/fonts/VerifydCaptcha-<Name>.otf: each
// a subset of an SIL OFL 1.1 font holding only A-Z and 0-9, the characters a text captcha draws.
//
//   for p in archivo-black bitter comic-neue oswald space-mono; do npm pack @expo-google-fonts/$p --pack-destination /tmp/f; done
//   (untar each; the 700Bold faces, and Archivo Black's 400Regular, its only weight)
//   node --import tsx scripts/subset-latin-fonts.ts /tmp/f/.../ArchivoBlack_400Regular.ttf:ArchivoBlack \
//     .../Bitter_700Bold.ttf:Bitter-Bold .../ComicNeue_700Bold.ttf:ComicNeue-Bold \
//     .../Oswald_700Bold.ttf:Oswald-Bold .../SpaceMono_700Bold.ttf:SpaceMono-Bold
//
// The OFL asks modified versions not to use a Reserved Font Name: every subset is renamed
// "Verifyd Captcha <Name>". Budget: 16 KB a face (checked below).
import { readFileSync, writeFileSync } from 'node:fs';
import opentype from 'opentype.js';
import { OPERATOR_FONT_CHARS } from '../src/captcha/font.ts';

const BUDGET = 16 * 1024;
const args = process.argv.slice(2);
if (args.length === 0) throw new Error('usage: subset-latin-fonts.ts <font.ttf>:<Name> ...');
for (const arg of args) {
  const [source, name] = arg.split(/:(?=[^:]+$)/) as [string, string];
  const file = readFileSync(source);
  const font = opentype.parse(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength));
  const glyphs = [new opentype.Glyph({ name: '.notdef', advanceWidth: font.unitsPerEm / 2, path: new opentype.Path() })];
  for (const char of OPERATOR_FONT_CHARS) {
    const index = font.charToGlyphIndex(char);
    if (index === 0) throw new Error(`${source} has no glyph for ${char}`);
    const g = font.glyphs.get(index);
    glyphs.push(new opentype.Glyph({ name: char, unicode: char.codePointAt(0)!, advanceWidth: g.advanceWidth ?? font.unitsPerEm, path: g.path }));
  }
  const subset = new opentype.Font({
    familyName: `Verifyd Captcha ${name.replace(/-/g, ' ')}`,
    styleName: 'Regular',
    unitsPerEm: font.unitsPerEm,
    ascender: font.ascender,
    descender: font.descender,
    copyright: `${font.getEnglishName('copyright') ?? ''} Subset (A-Z, 0-9) for verifyd captchas.`.trim(),
    licenseURL: 'https://openfontlicense.org',
    license: 'This Font Software is licensed under the SIL Open Font License, Version 1.1.',
    glyphs,
  });
  const bytes = Buffer.from(subset.toArrayBuffer());
  if (bytes.length > BUDGET) throw new Error(`${name}: subset is ${bytes.length} bytes, over the ${BUDGET}-byte budget`);
  const out = new URL(`../assets/fonts/VerifydCaptcha-${name}.otf`, import.meta.url);
  writeFileSync(out, bytes);
  console.log(`wrote ${out.pathname}: ${glyphs.length - 1} characters, ${bytes.length} bytes (${font.getEnglishName('copyright')})`);
}
