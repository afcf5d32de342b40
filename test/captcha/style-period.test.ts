// Style rotation: a deployment's style is drawn from its secret and the period index, so images
// labelled in one period show a different style in the next.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderCaptchaSync } from '../../src/captcha/render.ts';
import { CJK_FONTS, glyphFor } from '../../src/captcha/font.ts';
import { DEFAULT_STYLE, deploymentStyle, styleFromSecret, styleIndex } from '../../src/captcha/style.ts';
import { loadConfig } from '../../src/config.ts';

const SECRET = 'deployment-a-0123456789abcdef0123456789';
const DAY = 86_400_000;
const WEEK = 7 * DAY;

describe('style periods', () => {
  it('draw the same style for the same secret and period', () => {
    assert.deepEqual(styleFromSecret(SECRET, { period: 7 }), styleFromSecret(SECRET, { period: 7 }));
  });

  it('draw a new style in every period, unlike the style of a secret without periods', () => {
    const styles = [undefined, 7, 8, 9].map((period) => JSON.stringify(styleFromSecret(SECRET, { period })));
    assert.equal(new Set(styles).size, 4);
    const a = renderCaptchaSync('HX4R', { seed: 3, style: styleFromSecret(SECRET, { period: 7 }), format: 'png' });
    assert.ok(!a.equals(renderCaptchaSync('HX4R', { seed: 3, style: styleFromSecret(SECRET, { period: 8 }), format: 'png' })));
  });

  it('alternate faces, stroke family and Chinese face, so that no period shares any with the one before', () => {
    for (let s = 0; s < 50; s++) {
      const secret = `${SECRET}-${s}`;
      for (let period = 2900; period < 2904; period++) {
        const last = styleFromSecret(secret, { period });
        const next = styleFromSecret(secret, { period: period + 1 });
        const shared = last.fonts.filter((f) => next.fonts.some((g) => g.name === f.name));
        assert.deepEqual(shared, [], `secret ${s}, periods ${period} and ${period + 1} share a face`);
        assert.ok(last.fonts.length >= 2 && next.fonts.length >= 2);
        assert.equal(last.outline + next.outline, 1, 'one period filled, the next outlined');
        assert.notEqual(last.chineseFont.name, next.chineseFont.name, 'one period Hei, the next Song');
      }
    }
  });

  it('draw Chinese captchas of consecutive periods in the two Chinese faces, the public style in the Hei one', () => {
    assert.equal(DEFAULT_STYLE.chineseFont.name, CJK_FONTS[0].name);
    const [p, q] = [7, 8].map((period) => styleFromSecret(SECRET, { period }));
    assert.deepEqual(new Set([p!.chineseFont.name, q!.chineseFont.name]), new Set(CJK_FONTS.map((f) => f.name)));
    // Only the face differs here: the same style with the other Chinese face draws another image.
    const other = { ...p!, chineseFont: CJK_FONTS.find((f) => f.name !== p!.chineseFont.name)! };
    const text = '世东丝临';
    assert.ok(!renderCaptchaSync(text, { seed: 5, style: p, format: 'png' }).equals(renderCaptchaSync(text, { seed: 5, style: other, format: 'png' })));
    // The face is named, not referenced: a copy of the style (as a render worker receives it) draws the same.
    const copy = structuredClone(p!);
    assert.ok(renderCaptchaSync(text, { seed: 5, style: p, format: 'png' }).equals(renderCaptchaSync(text, { seed: 5, style: copy, format: 'png' })));
    assert.notDeepEqual(glyphFor('世', CJK_FONTS[0]).points, glyphFor('世', CJK_FONTS[1]).points);
  });

  it('keep an operator\'s own fonts in every period, and still alternate the stroke family', () => {
    const own = [{ name: 'operator:a.ttf', source: '/fonts/a.ttf' }, { name: 'operator:b.ttf', source: '/fonts/b.ttf' }];
    const [p, q] = [7, 8].map((period) => styleFromSecret(SECRET, { fonts: own, period }));
    assert.deepEqual(p!.fonts, own);
    assert.deepEqual(q!.fonts, own);
    assert.notEqual(p!.outline, q!.outline);
  });

  it('change at the period boundary and hold within it', () => {
    const styleAt = deploymentStyle(SECRET, { periodMs: WEEK });
    const start = 2900 * WEEK;
    assert.equal(styleIndex(start, WEEK), 2900);
    assert.deepEqual(styleAt(start), styleAt(start + WEEK - 1));
    assert.deepEqual(styleAt(start), styleFromSecret(SECRET, { period: 2900 }));
    assert.notDeepEqual(styleAt(start), styleAt(start + WEEK));
  });

  it('never change without a period', () => {
    const styleAt = deploymentStyle(SECRET);
    assert.deepEqual(styleAt(0), styleAt(10 * WEEK));
    assert.deepEqual(styleAt(0), styleFromSecret(SECRET));
  });

  it('are set with --captcha-style-period in hours or days, 0 for never', () => {
    assert.equal(loadConfig({}, ['--captcha-style-period', '7d']).captchaStylePeriod, WEEK);
    assert.equal(loadConfig({ VERIFYD_CAPTCHA_STYLE_PERIOD: '12h' }, []).captchaStylePeriod, DAY / 2);
    assert.equal(loadConfig({}, []).captchaStylePeriod, 0);
    for (const bad of ['7', '30m', '0h', '400d', 'weekly']) {
      assert.throws(() => loadConfig({}, ['--captcha-style-period', bad]), /--captcha-style-period must be 0 \(never\) or a period from 1h to 366d/, bad);
    }
  });
});
