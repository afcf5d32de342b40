// Attack: an attacker labels a deployment's captchas and trains a solver on them. With
// --captcha-style-period the service draws every image in the style of the current period, so the
// labels of the last period describe a style no longer served (bench/trained measures how much
// that costs the solver). Checked through the service: each image served is exactly the rendering
// of its answer in the style of the period it was served in, Chinese ones in the other Chinese face.

import assert from 'node:assert/strict';
import { after, describe, it, mock } from 'node:test';
import { renderCaptcha } from '../../src/captcha/render.ts';
import { styleFromSecret, styleIndex } from '../../src/captcha/style.ts';
import { SECRET, testService } from '../helpers/service.ts';

const DAY = 86_400_000;

describe('labelled images of the last style period', () => {
  mock.timers.enable({ apis: ['Date'], now: 2900 * 7 * DAY + 1000 });
  after(() => mock.timers.reset());

  it('show a style the service no longer draws once the period has turned', async () => {
    const svc = await testService({ VERIFYD_SECRET: SECRET, VERIFYD_CAPTCHA_STYLE_PERIOD: '7d' });
    try {
      const served = async () => {
        const { id, image } = await svc.verifier.issueCaptcha({ format: 'png' });
        return { image, answer: svc.answers.get(id)!, seed: svc.seeds.get(id)!, period: styleIndex(Date.now(), 7 * DAY) };
      };
      const last = await served();
      mock.timers.tick(7 * DAY);
      const now = await served();
      assert.equal(now.period, last.period + 1);
      for (const { image, answer, seed, period } of [last, now]) {
        const inPeriod = await renderCaptcha(answer, { format: 'png', seed, style: styleFromSecret(SECRET, { period }) });
        assert.ok(image.equals(inPeriod), `served in the style of period ${period}`);
      }
      // The image served now, drawn in the last period's style, is another image.
      const inLastStyle = await renderCaptcha(now.answer, { format: 'png', seed: now.seed, style: styleFromSecret(SECRET, { period: last.period }) });
      assert.ok(!now.image.equals(inLastStyle));
    } finally {
      await svc.close();
    }
  });

  it('show Chinese characters in the other Chinese face once the period has turned', async () => {
    const svc = await testService({ VERIFYD_SECRET: SECRET, VERIFYD_CAPTCHA_STYLE_PERIOD: '7d', VERIFYD_CAPTCHA_TYPES: 'text,chinese' });
    try {
      const last = styleFromSecret(SECRET, { period: styleIndex(Date.now(), 7 * DAY) });
      mock.timers.tick(7 * DAY);
      const { id, image } = await svc.verifier.issueCaptcha({ format: 'png', type: 'chinese' });
      const [answer, seed] = [svc.answers.get(id)!, svc.seeds.get(id)!];
      const now = styleFromSecret(SECRET, { period: styleIndex(Date.now(), 7 * DAY) });
      assert.notEqual(now.chineseFont.name, last.chineseFont.name);
      assert.ok(image.equals(await renderCaptcha(answer, { format: 'png', seed, style: now })));
      // This period's style with the last period's Chinese face draws another image: the face turned too.
      assert.ok(!image.equals(await renderCaptcha(answer, { format: 'png', seed, style: { ...now, chineseFont: last.chineseFont } })));
    } finally {
      await svc.close();
    }
  });
});
