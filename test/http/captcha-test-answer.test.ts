// --captcha-test-answer: a running service whose captchas an application's own end-to-end tests
// can pass, the way Turnstile's and reCAPTCHA's test keys do. Each captcha still works once.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testService, type TestService } from '../helpers/service.ts';
import { startVerifyd } from '../helpers/verifyd-process.ts';

describe('with a captcha test answer', () => {
  let svc: TestService;
  before(async () => {
    svc = await testService({ VERIFYD_CAPTCHA_TEST_ANSWER: 'PASS', VERIFYD_SMS_IP_PER_MINUTE: '0' });
  });
  after(() => svc?.close());

  const issue = async () => (await svc.app.inject({ method: 'POST', url: '/v1/captchas' })).json<{ id: string }>().id;
  const check = async (id: string, answer: string) =>
    (await svc.app.inject({ method: 'POST', url: `/v1/captchas/${id}/check`, payload: { answer } })).json<{ valid: boolean }>().valid;

  it('any captcha accepts the test answer, in any case, once', async () => {
    const id = await issue();
    assert.equal(await check(id, ' pass '), true);
    assert.equal(await check(id, 'PASS'), false);
  });

  it('the real answer still works, and a wrong one still fails', async () => {
    const right = await issue();
    assert.equal(await check(right, svc.answers.get(right)!), true);
    const wrong = await issue();
    assert.equal(await check(wrong, 'NOPE'), false);
  });

  it('an unknown captcha is not passed by the test answer', async () => {
    assert.equal(await check('9b2f2a4e-0000-4000-8000-000000000000', 'PASS'), false);
  });

  it('passes the captcha gate of an SMS send', async () => {
    const id = await issue();
    const res = await svc.app.inject({ method: 'POST', url: '/v1/sms/send', payload: { phone: '13800138000', purpose: 'register', captcha: { id, answer: 'PASS' } } });
    assert.equal(res.statusCode, 202, res.body);
  });
});

it('without the option, the test answer is only a wrong answer', async () => {
  const svc = await testService();
  try {
    const { id } = await svc.verifier.issueCaptcha();
    assert.equal((await svc.verifier.checkCaptcha(id, 'PASS')).valid, false);
  } finally {
    await svc.close();
  }
});

it('the service says loudly at start that it is in test mode', async () => {
  const service = await startVerifyd(['--captcha-test-answer', 'PASS']);
  try {
    const line = JSON.parse(await service.waitForLine(/TEST MODE/)) as { level: number; msg: string };
    assert.equal(line.level, 40);
    assert.match(line.msg, /every captcha also accepts the answer "PASS"/);
  } finally {
    await service.stop();
  }
});
