// Builds assets/fonts/VerifydCaptchaSC-Bold.otf, the Chinese captcha's font: a subset of Noto Sans SC
// Bold (SIL OFL 1.1) holding only the characters of src/captcha/cjk-characters.ts.
//
//   npm pack @expo-google-fonts/noto-sans-sc@0.4.3 --pack-destination /tmp/noto
//   tar xzf /tmp/noto/*.tgz -C /tmp/noto package/700Bold/NotoSansSC_700Bold.ttf
//   node --import tsx scripts/subset-cjk-font.ts /tmp/noto/package/700Bold/NotoSansSC_700Bold.ttf
//
// The OFL reserves the name "Source" and asks modified versions to rename: hence the new family name.
// Budget: 500 KB (checked below); the build fails beyond it.
import { readFileSync, writeFileSync } from 'node:fs';
import opentype from 'opentype.js';
import { CJK_CHARACTERS } from '../src/captcha/cjk-characters.ts';

const BUDGET = 500 * 1024;
const source = process.argv[2];
if (!source) throw new Error('usage: subset-cjk-font.ts <NotoSansSC_700Bold.ttf>');
const out = new URL('../assets/fonts/VerifydCaptchaSC-Bold.otf', import.meta.url);

const file = readFileSync(source);
const font = opentype.parse(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength));
const glyphs = [font.glyphs.get(0)];
for (const char of CJK_CHARACTERS) {
  const index = font.charToGlyphIndex(char);
  if (index === 0) throw new Error(`Noto Sans SC has no glyph for ${char}`);
  const g = font.glyphs.get(index);
  glyphs.push(new opentype.Glyph({ name: `uni${char.codePointAt(0)!.toString(16).toUpperCase()}`, unicode: char.codePointAt(0)!, advanceWidth: g.advanceWidth ?? font.unitsPerEm, path: g.path }));
}
const subset = new opentype.Font({
  familyName: 'Verifyd Captcha SC',
  styleName: 'Bold',
  unitsPerEm: font.unitsPerEm,
  ascender: font.ascender,
  descender: font.descender,
  copyright: 'Copyright 2014-2021 Adobe (http://www.adobe.com/). Subset of Noto Sans SC Bold for verifyd captchas.',
  licenseURL: 'https://scripts.sil.org/OFL',
  license: 'This Font Software is licensed under the SIL Open Font License, Version 1.1.',
  glyphs,
});
const bytes = Buffer.from(subset.toArrayBuffer());
if (bytes.length > BUDGET) throw new Error(`subset is ${bytes.length} bytes, over the ${BUDGET}-byte budget`);
writeFileSync(out, bytes);
console.log(`wrote ${out.pathname}: ${glyphs.length - 1} characters, ${bytes.length} bytes`);
