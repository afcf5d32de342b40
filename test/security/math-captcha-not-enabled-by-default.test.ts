// Attack: a client picks the kind of captcha that is easiest for it. The hostile test asked for
// `{"type":"math"}` and `?type=math`, kinds the operator never chose, and answered them blind.
// Which kinds are offered is the operator's choice (`--captcha-types`, default `text,audio`), held in
// the core, so every door refuses the others alike.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { isVerifyError } from '../../src/errors.ts';
import { testService, type TestService } from '../helpers/service.ts';

let svc: TestService;
before(async () => {
  svc = await testService();
});
after(async () => {
  await svc.close();
});

describe('a captcha kind the operator did not enable', () => {
  for (const type of ['math', 'chinese']) {
    it(`POST /v1/captchas {"type":"${type}"} gets 400 CAPTCHA_TYPE_NOT_ENABLED and issues nothing`, async () => {
      const issued = svc.answers.size;
      const res = await svc.app.inject({ method: 'POST', url: '/v1/captchas', payload: { type } });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.code, 'CAPTCHA_TYPE_NOT_ENABLED');
      assert.equal(svc.answers.size, issued);
    });

    it(`GET /verify/image_codes/?type=${type} gets 400 CAPTCHA_TYPE_NOT_ENABLED and stores nothing under the uuid`, async () => {
      const uuid = randomUUID();
      const res = await svc.app.inject({ method: 'GET', url: `/verify/image_codes/?uuid=${uuid}&type=${type}` });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.code, 'CAPTCHA_TYPE_NOT_ENABLED');
      assert.equal(svc.answers.has(uuid), false);
      assert.equal(await svc.store.get(`verifyd:captcha:${uuid}`), null);
    });
  }

  it('is refused by the core itself, not only by the routes', async () => {
    await assert.rejects(
      svc.verifier.issueCaptcha({ type: 'math' }),
      (err) => isVerifyError(err) && err.code === 'CAPTCHA_TYPE_NOT_ENABLED' && err.status === 400,
    );
  });

  it('leaves the enabled kind alone, named or not', async () => {
    assert.equal((await svc.app.inject({ method: 'POST', url: '/v1/captchas', payload: { type: 'text' } })).statusCode, 201);
    assert.equal((await svc.app.inject({ method: 'POST', url: '/v1/captchas' })).statusCode, 201);
    assert.equal((await svc.app.inject({ method: 'GET', url: `/verify/image_codes/?uuid=${randomUUID()}&type=text` })).statusCode, 200);
  });
});

describe('a captcha kind the operator enabled', () => {
  it('is issued on both endpoints', async () => {
    const math = await testService({ VERIFYD_CAPTCHA_TYPES: 'text,math' });
    try {
      assert.equal((await math.app.inject({ method: 'POST', url: '/v1/captchas', payload: { type: 'math' } })).statusCode, 201);
      assert.equal((await math.app.inject({ method: 'GET', url: `/verify/image_codes/?uuid=${randomUUID()}&type=math` })).statusCode, 200);
      assert.equal((await math.app.inject({ method: 'POST', url: '/v1/captchas', payload: { type: 'chinese' } })).json().error.code, 'CAPTCHA_TYPE_NOT_ENABLED');
    } finally {
      await math.close();
    }
  });
});
