// The browser helper's request functions, run in Node against a listening service: each returns
// a result object, never throws for an HTTP or network failure.

import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { testService, type TestService } from '../helpers/service.ts';

// web/verifyd.js is plain JavaScript with JSDoc types; loaded by URL so tsc does not need a declaration.
const helperUrl = new URL('../../web/verifyd.js', import.meta.url).href;
const verifyd = (await import(helperUrl)).default;

let svc: TestService;
let baseUrl: string;
before(async () => {
  svc = await testService();
  baseUrl = await svc.app.listen({ port: 0, host: '127.0.0.1' });
});
after(async () => {
  await svc.close();
});

const phone = () => `139${String(randomInt(0, 1e8)).padStart(8, '0')}`;

describe('the browser helper', () => {
  it('sends and checks an SMS code, with results rather than exceptions', async () => {
    const bare = phone();
    assert.deepEqual(await verifyd.sendSms({ phone: bare, captcha: await svc.solvedCaptcha() }, { baseUrl }), { ok: true, expiresIn: 300, resendAfter: 60 });
    assert.deepEqual(await verifyd.checkSms({ phone: bare, code: '000000x' }, { baseUrl }), { ok: true, valid: false });
    const code = await svc.lastSmsCode(`+86${bare}`);
    const passed = await verifyd.checkSms({ phone: bare, code: ` ${code} ` }, { baseUrl });
    assert.ok(passed.ok && passed.valid && /^vr1\./.test(passed.receipt), JSON.stringify(passed));
    assert.deepEqual(await verifyd.checkSms({ phone: bare, code }, { baseUrl }), { ok: true, valid: false });
  });

  it('returns the error code, message and wait of a refused send', async () => {
    const bare = phone();
    await verifyd.sendSms({ phone: bare, captcha: await svc.solvedCaptcha() }, { baseUrl });
    const again = await verifyd.sendSms({ phone: bare, captcha: await svc.solvedCaptcha() }, { baseUrl });
    assert.equal(again.ok, false);
    assert.equal(again.code, 'SEND_TOO_SOON');
    assert.equal(again.status, 429);
    assert.ok(again.retryAfter > 0 && again.retryAfter <= 60);
    const wrong = await verifyd.sendEmail({ email: 'a@example.com', captcha: { id: (await svc.solvedCaptcha()).id, answer: 'nope' } }, { baseUrl });
    assert.deepEqual(wrong, { ok: false, status: 400, code: 'CAPTCHA_INVALID', message: 'The captcha answer is wrong, expired or already used; fetch a new captcha.' });
  });

  it('issues captchas and reports an unreachable server as NETWORK_ERROR', async () => {
    const captcha = await verifyd.newCaptcha({ baseUrl: `${baseUrl}/` });
    assert.equal(captcha.ok, true);
    assert.match(captcha.image, /^data:image\/jpeg;base64,/);
    const failure = await verifyd.checkEmail({ email: 'a@example.com', code: '123456' }, { baseUrl: 'http://127.0.0.1:9' });
    assert.equal(failure.ok, false);
    assert.equal(failure.code, 'NETWORK_ERROR');
    assert.equal(failure.status, 0);
  });
});
