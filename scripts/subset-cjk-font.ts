// Builds the Chinese captcha's two faces in assets/fonts/: subsets of Noto Sans SC Bold
// (VerifydCaptchaSC-Bold.otf) and Noto Serif SC Black (VerifydCaptchaSerifSC-Black.otf), both
// SIL OFL 1.1, holding only the characters of src/captcha/cjk-characters.ts. Two faces, so that
// style periods can alternate between a Hei and a Song design (see src/captcha/style.ts).
//
//   npm pack @expo-google-fonts/noto-sans-sc@0.4.3 @expo-google-fonts/noto-serif-sc@0.4.3 --pack-destination /tmp/noto
//   for f in /tmp/noto/*.tgz; do tar xzf $f -C /tmp/noto --wildcards 'package/700Bold/*.ttf' 'package/900Black/*.ttf'; done
//   node --import tsx scripts/subset-cjk-font.ts sans /tmp/noto/package/700Bold/NotoSansSC_700Bold.ttf
//   node --import tsx scripts/subset-cjk-font.ts serif /tmp/noto/package/900Black/NotoSerifSC_900Black.ttf
//
// The OFL reserves the name "Source" and asks modified versions to rename: hence the new family names.
// Budget: 500 KB a face (checked below); the build fails beyond it.
import { readFileSync, writeFileSync } from 'node:fs';
import opentype from 'opentype.js';
import { CJK_CHARACTERS } from '../src/captcha/cjk-characters.ts';

const FACES = {
  sans: { file: 'VerifydCaptchaSC-Bold.otf', family: 'Verifyd Captcha SC', style: 'Bold', from: 'Noto Sans SC Bold', years: '2014-2021' },
  serif: { file: 'VerifydCaptchaSerifSC-Black.otf', family: 'Verifyd Captcha Serif SC', style: 'Black', from: 'Noto Serif SC Black', years: '2017-2024' },
} as const;
const BUDGET = 500 * 1024;
const [which, source] = process.argv.slice(2) as [keyof typeof FACES, string | undefined];
const face = FACES[which];
if (!face || !source) throw new Error('usage: subset-cjk-font.ts sans|serif <source .ttf>');
const out = new URL(`../assets/fonts/${face.file}`, import.meta.url);

const file = readFileSync(source);
const font = opentype.parse(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength));
const glyphs = [font.glyphs.get(0)];
for (const char of CJK_CHARACTERS) {
  const index = font.charToGlyphIndex(char);
  if (index === 0) throw new Error(`${face.from} has no glyph for ${char}`);
  const g = font.glyphs.get(index);
  glyphs.push(new opentype.Glyph({ name: `uni${char.codePointAt(0)!.toString(16).toUpperCase()}`, unicode: char.codePointAt(0)!, advanceWidth: g.advanceWidth ?? font.unitsPerEm, path: g.path }));
}
const subset = new opentype.Font({
  familyName: face.family,
  styleName: face.style,
  unitsPerEm: font.unitsPerEm,
  ascender: font.ascender,
  descender: font.descender,
  copyright: `Copyright ${face.years} Adobe (http://www.adobe.com/). Subset of ${face.from} for verifyd captchas.`,
  licenseURL: 'https://scripts.sil.org/OFL',
  license: 'This Font Software is licensed under the SIL Open Font License, Version 1.1.',
  glyphs,
});
const bytes = Buffer.from(subset.toArrayBuffer());
if (bytes.length > BUDGET) throw new Error(`subset is ${bytes.length} bytes, over the ${BUDGET}-byte budget`);
writeFileSync(out, bytes);
console.log(`wrote ${out.pathname}: ${glyphs.length - 1} characters, ${bytes.length} bytes`);
