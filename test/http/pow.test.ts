// The proof-of-work endpoints and the send requests' `pow` field, through HTTP.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { POW_ENV, fetchChallenge, sendSms, solvedPayload } from '../helpers/pow-client.ts';
import { BACKEND_KEY, testService } from '../helpers/service.ts';

it('GET /v1/pow/challenge returns an ALTCHA v2 challenge bound to the action and the site', async () => {
  const svc = await testService(POW_ENV);
  try {
    const res = await svc.app.inject({ method: 'GET', url: '/v1/pow/challenge?action=login', headers: { origin: 'https://shop.example' } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    const body = res.json();
    assert.deepEqual(Object.keys(body.parameters).sort(), ['algorithm', 'cost', 'data', 'expiresAt', 'keyLength', 'keyPrefix', 'keySignature', 'nonce', 'salt']);
    assert.equal(body.parameters.algorithm, 'PBKDF2/SHA-256');
    assert.deepEqual(body.parameters.data, { action: 'login', site: 'shop.example', level: 0 });
    assert.match(body.signature, /^[0-9a-f]{64}$/);
    assert.equal(body.level, 0);
    assert.equal(body.captcha_required, false);
    const v1 = await fetchChallenge(svc, 'action=login&v=1', '192.0.2.1');
    assert.deepEqual(Object.keys(v1).sort(), ['algorithm', 'captcha_required', 'challenge', 'level', 'maxnumber', 'salt', 'signature']);
    for (const url of ['/v1/pow/challenge?action=no%20spaces', '/v1/pow/challenge?v=3', '/v1/pow/challenge?other=1']) {
      const bad = await svc.app.inject({ method: 'GET', url });
      assert.equal(bad.json().error.code, 'INVALID_REQUEST', url);
    }
    assert.equal((await svc.app.inject({ method: 'GET', url: '/v1/pow/challenge?phone=123' })).json().error.code, 'INVALID_PHONE');
  } finally {
    await svc.close();
  }
});

it('POST /v1/pow/verify earns a receipt the back end redeems through siteverify', async () => {
  const svc = await testService(POW_ENV);
  try {
    const payload = await solvedPayload(svc, 'action=signup', '192.0.2.2');
    const res = await svc.app.inject({ method: 'POST', url: '/v1/pow/verify', payload: { payload, action: 'signup', cdata: 'order-7' } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().valid, true);
    const redeemed = await svc.app.inject({ method: 'POST', url: '/v1/siteverify', payload: { secret: BACKEND_KEY, response: res.json().receipt } });
    assert.equal(redeemed.json().success, true);
    assert.equal(redeemed.json().action, 'signup');
    assert.equal(redeemed.json().cdata, 'order-7');
    assert.equal(redeemed.json().channel, 'pow');
  } finally {
    await svc.close();
  }
});

it('with --sms-require pow a send needs the pow field, fetched for sms-send', async () => {
  const svc = await testService(POW_ENV);
  try {
    const missing = await sendSms(svc, { phone: '13912345678', captcha: await svc.solvedCaptcha() }, '192.0.2.3');
    assert.equal(missing.json().error.code, 'POW_REQUIRED');
    const wrongAction = await sendSms(svc, { phone: '13912345678', pow: await solvedPayload(svc, 'action=email-send', '192.0.2.3') }, '192.0.2.3');
    assert.equal(wrongAction.json().error.code, 'POW_ACTION_MISMATCH');
    const garbage = await sendSms(svc, { phone: '13912345678', pow: 'eyJ9' }, '192.0.2.3');
    assert.equal(garbage.json().error.code, 'POW_INVALID');
    const ok = await sendSms(svc, { phone: '13912345678', pow: await solvedPayload(svc, 'action=sms-send', '192.0.2.3') }, '192.0.2.3');
    assert.equal(ok.statusCode, 202, ok.body);
  } finally {
    await svc.close();
  }
});

it('with --sms-require both a send needs a solved captcha and a proof of work', async () => {
  const svc = await testService({ ...POW_ENV, VERIFYD_SMS_REQUIRE: 'both' });
  try {
    const pow = await solvedPayload(svc, 'action=sms-send', '192.0.2.4');
    assert.equal((await sendSms(svc, { phone: '13912345678', pow }, '192.0.2.4')).json().error.code, 'CAPTCHA_INVALID');
    assert.equal((await sendSms(svc, { phone: '13912345678', captcha: await svc.solvedCaptcha() }, '192.0.2.4')).json().error.code, 'POW_REQUIRED');
    // The refusal for the missing captcha did not spend the proof of work.
    const ok = await sendSms(svc, { phone: '13912345678', pow, captcha: await svc.solvedCaptcha() }, '192.0.2.4');
    assert.equal(ok.statusCode, 202, ok.body);
  } finally {
    await svc.close();
  }
});

it('by default a send still needs only the captcha', async () => {
  const svc = await testService();
  try {
    const ok = await sendSms(svc, { phone: '13912345678', captcha: await svc.solvedCaptcha() }, '192.0.2.5');
    assert.equal(ok.statusCode, 202, ok.body);
  } finally {
    await svc.close();
  }
});

it('with --email-require pow an email send takes a proof of work fetched for email-send', async () => {
  const svc = await testService(POW_ENV);
  try {
    const pow = await solvedPayload(svc, 'action=email-send', '192.0.2.6');
    const res = await svc.app.inject({ method: 'POST', url: '/v1/email/send', remoteAddress: '192.0.2.6', payload: { email: 'pow@example.com', purpose: 'register', pow } });
    assert.equal(res.statusCode, 202, res.body);
    const none = await svc.app.inject({ method: 'POST', url: '/v1/email/send', remoteAddress: '192.0.2.6', payload: { email: 'pow2@example.com', purpose: 'register' } });
    assert.equal(none.json().error.code, 'POW_REQUIRED');
  } finally {
    await svc.close();
  }
});
