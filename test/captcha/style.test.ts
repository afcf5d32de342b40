// Deployment styles: drawn from the server secret, stable, different between secrets, and bounded.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderCaptchaSync } from '../../src/captcha/render.ts';
import { DEFAULT_STYLE, styleFromSecret } from '../../src/captcha/style.ts';

const SECRET_A = 'deployment-a-0123456789abcdef0123456789';
const SECRET_B = 'deployment-b-0123456789abcdef0123456789';

describe('styleFromSecret', () => {
  it('gives the same style for the same secret, as a string or as bytes', () => {
    assert.deepEqual(styleFromSecret(SECRET_A), styleFromSecret(SECRET_A));
    assert.deepEqual(styleFromSecret(Buffer.from(SECRET_A)), styleFromSecret(SECRET_A));
  });

  it('gives different styles for different secrets', () => {
    assert.notDeepEqual(styleFromSecret(SECRET_A), styleFromSecret(SECRET_B));
  });

  it('keeps every range ordered and inside the bounds that stay legible', () => {
    for (let i = 0; i < 200; i++) {
      const style = styleFromSecret(`secret-${i}`);
      for (const [key, value] of Object.entries(style)) {
        if (Array.isArray(value) && !key.endsWith('Hue')) assert.ok(value[0]! <= value[1]!, `${key} ordered`);
      }
      assert.ok(style.scale[0] >= 0.86 && style.scale[1] <= 1.12);
      assert.ok(Math.abs(style.rotationBias) <= 6 && style.rotationSpread <= 22);
      assert.ok(style.overlap[0] >= 0 && style.overlap[1] <= 0.09); // glyphs share strokes, still recognisable: docs/captcha-samples.png
      assert.ok(style.weight[0] >= -0.035 && style.weight[1] <= 0.012);
      assert.ok(style.cuts[1] <= 2 && style.threads[1] <= 3);
    }
  });

  it('renders a seed the same way every time within one style, and differently in another', () => {
    const a = styleFromSecret(SECRET_A);
    const first = renderCaptchaSync('HX4R', { seed: 5, style: a, format: 'png' });
    assert.ok(first.equals(renderCaptchaSync('HX4R', { seed: 5, style: styleFromSecret(SECRET_A), format: 'png' })));
    assert.ok(!first.equals(renderCaptchaSync('HX4R', { seed: 5, style: styleFromSecret(SECRET_B), format: 'png' })));
    assert.ok(!first.equals(renderCaptchaSync('HX4R', { seed: 5, style: DEFAULT_STYLE, format: 'png' })));
  });
});
