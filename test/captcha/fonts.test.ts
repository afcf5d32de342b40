// Captcha faces: the bundled mix, an operator's own font directory (loaded and checked at start),
// and the deployment style drawing from them.

import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ALPHABET } from '../../src/captcha/alphabet.ts';
import { BASE_FONT, BUNDLED_FONT_FILES, type CaptchaFont, BUNDLED_FONTS, glyphFor, loadFontDir, OPERATOR_FONT_CHARS } from '../../src/captcha/font.ts';
import { renderCaptchaSync } from '../../src/captcha/render.ts';
import { DEFAULT_STYLE, styleFromSecret } from '../../src/captcha/style.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';

const SECRET = 'deployment-a-0123456789abcdef0123456789';
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'verifyd-fonts-'));
  dirs.push(dir);
  return dir;
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

// The fonts of two bundled faces copied under other names stand in for an operator's own.
const fontFile = (face: CaptchaFont) => fileURLToPath(new URL(`../../assets/fonts/${BUNDLED_FONT_FILES.get(face.name)}`, import.meta.url));
function operatorDir(): string {
  const dir = tempDir();
  copyFileSync(fontFile(BUNDLED_FONTS[0]!), join(dir, 'house-one.otf'));
  copyFileSync(fontFile(BUNDLED_FONTS[1]!), join(dir, 'house-two.otf'));
  writeFileSync(join(dir, 'README.txt'), 'not a font, and not read');
  return dir;
}

describe('bundled faces', () => {
  it('draw every character a text captcha can show, each with its own outline', () => {
    for (const face of BUNDLED_FONTS) {
      for (const char of OPERATOR_FONT_CHARS) {
        const glyph = glyphFor(char, face);
        assert.ok(glyph.points.length > 0, `${face.name} ${char}`);
        assert.notDeepEqual(glyph.points, glyphFor(char).points, `${face.name} ${char} is not the base font's`);
      }
    }
  });

  it('leave math signs to the base font', () => {
    assert.equal(glyphFor('\u2212', BUNDLED_FONTS[0]!).points, glyphFor('\u2212').points);
  });

  it('are mixed two or three at a time by each secret, and not at all by the public style', () => {
    assert.deepEqual(DEFAULT_STYLE.fonts, [BASE_FONT]);
    const mixes = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const { fonts } = styleFromSecret(`secret-${i}`);
      assert.ok(fonts.length >= 2 && fonts.length <= 3);
      assert.equal(new Set(fonts.map((f) => f.name)).size, fonts.length);
      mixes.add(fonts.map((f) => f.name).sort().join());
    }
    assert.ok(mixes.size > 20, `${mixes.size} distinct mixes`);
  });
});

describe('loadFontDir', () => {
  it("loads the operator's .ttf and .otf files and the style draws only in them", () => {
    const fonts = loadFontDir(operatorDir());
    assert.deepEqual(fonts.map((f) => f.name), ['operator:house-one.otf', 'operator:house-two.otf']);
    const style = styleFromSecret(SECRET, { fonts });
    assert.deepEqual(style.fonts.map((f) => f.name), ['operator:house-one.otf', 'operator:house-two.otf']);
    const png = renderCaptchaSync('HX4R', { seed: 9, style, format: 'png' });
    assert.ok(png.equals(renderCaptchaSync('HX4R', { seed: 9, style: styleFromSecret(SECRET, { fonts }), format: 'png' })));
    for (const char of DEFAULT_ALPHABET) assert.ok(glyphFor(char, fonts[0]!).points.length > 0);
  });

  it('fails on a directory that does not exist, naming it', () => {
    assert.throws(() => loadFontDir('/nonexistent/fonts'), /cannot read the directory \/nonexistent\/fonts: ENOENT/);
  });

  it('fails on a directory without fonts', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'x');
    assert.throws(() => loadFontDir(dir), /holds no \.ttf or \.otf file/);
  });

  it('fails on a file that is not a font, naming it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'broken.ttf'), 'this is not a font');
    assert.throws(() => loadFontDir(dir), /broken\.ttf is not a font/);
  });

  it('fails on a font that lacks a letter, naming what is missing', () => {
    const dir = tempDir();
    copyFileSync(new URL('../../assets/fonts/VerifydCaptchaSC-Bold.otf', import.meta.url), join(dir, 'chinese-only.otf'));
    assert.throws(() => loadFontDir(dir), /chinese-only\.otf has no glyph for A B C/);
  });
});

describe('--captcha-fonts', () => {
  it('loads the directory at start', () => {
    const config = loadConfig({}, ['--captcha-fonts', operatorDir()]);
    assert.equal(config.captchaFonts.length, 2);
    assert.deepEqual(loadConfig({}, []).captchaFonts, []);
  });

  it('refuses a bad directory at start, naming the flag', () => {
    assert.throws(() => loadConfig({}, ['--captcha-fonts', '/nonexistent/fonts']), (err: Error) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /^--captcha-fonts: captcha fonts: cannot read the directory \/nonexistent\/fonts/);
      return true;
    });
    assert.throws(() => loadConfig({ VERIFYD_CAPTCHA_FONTS: '/nonexistent/fonts' }, []), /^ConfigError: VERIFYD_CAPTCHA_FONTS: /);
  });
});
