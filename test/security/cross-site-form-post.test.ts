// Cross-site form posts: an HTML form (or a no-cors fetch) on any site can make a visitor's
// browser POST form-encoded, multipart or text/plain bodies without a CORS preflight. If the API
// parsed them, any page could drive sends and checks from its visitors' browsers and addresses.
// Only application/json is accepted; the rest get 415 UNSUPPORTED_MEDIA_TYPE before anything
// runs. The email confirm page's own form is the one exception.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SEED_UUID, testService, type TestService } from '../helpers/service.ts';

const ROUTES = [
  '/v1/captchas',
  `/v1/captchas/${SEED_UUID}/check`,
  `/verify/image_codes/check?uuid=${SEED_UUID}`,
  '/v1/sms/send',
  '/v1/sms/check',
  '/v1/email/send',
  '/v1/email/check',
  '/v1/email/confirmed',
];

const BODIES = [
  { type: 'application/x-www-form-urlencoded', payload: 'phone=%2B8613800138000&purpose=register&captcha%5Bid%5D=x&answer=ABCD' },
  { type: 'text/plain', payload: '{"phone":"+8613800138000","purpose":"register","answer":"ABCD"}' },
  { type: 'multipart/form-data; boundary=x', payload: '--x\r\nContent-Disposition: form-data; name="answer"\r\n\r\nABCD\r\n--x--\r\n' },
];

describe('a cross-site form post', () => {
  let svc: TestService;
  before(async () => {
    svc = await testService();
  });
  after(async () => {
    await svc.close();
  });

  for (const route of ROUTES) {
    for (const { type, payload } of BODIES) {
      it(`to ${route.split('?')[0]} as ${type.split(';')[0]} gets 415 UNSUPPORTED_MEDIA_TYPE`, async () => {
        const res = await svc.app.inject({ method: 'POST', url: route, headers: { 'content-type': type }, payload });
        assert.equal(res.statusCode, 415, res.body);
        assert.equal(res.json().error.code, 'UNSUPPORTED_MEDIA_TYPE');
      });
    }
  }

  it('with a body and no content type (a no-cors fetch of a Blob) is refused too', async () => {
    const res = await svc.app.inject({ method: 'POST', url: '/v1/sms/send', payload: Buffer.from('{"phone":"+8613800138000","purpose":"register"}') });
    assert.equal(res.statusCode, 415, res.body);
  });

  it('leaves the captcha it names unconsumed', async () => {
    const { id, answer } = await svc.solvedCaptcha();
    const forged = await svc.app.inject({ method: 'POST', url: `/v1/captchas/${id}/check`, headers: { 'content-type': 'text/plain' }, payload: JSON.stringify({ answer }) });
    assert.equal(forged.statusCode, 415);
    const real = await svc.app.inject({ method: 'POST', url: `/v1/captchas/${id}/check`, payload: { answer } });
    assert.equal(real.json().valid, true);
  });

  it('is still how the email confirm page confirms (its own form, form-encoded)', async () => {
    const res = await svc.app.inject({ method: 'POST', url: '/v1/email/confirm', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'token=unknown' });
    assert.equal(res.statusCode, 400);
    assert.match(String(res.headers['content-type']), /^text\/html/);
  });
});
