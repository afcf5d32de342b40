// Attack: flood the memory store with captchas (each address under its limit) until it evicts
// security state to make room. Before the fix 104,600 captchas from 1,050 addresses filled the
// default 100,000 entries and evicted a number's check lock, a victim's live SMS code and, at a
// smaller bound, the 60 s resend slot.

import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { testService, type TestService } from '../helpers/service.ts';
import { freshIp, victimWithCode, wrongCodes } from './attack-clients.ts';

let svc: TestService;
before(async () => {
  // The store's default bounds; images are not the point here, so every captcha is one byte.
  svc = await testService({ VERIFYD_CAPTCHA_RATE_LIMIT: '1000' }, { render: async () => Buffer.from([0]) });
});
after(async () => {
  await svc.close();
});

it('150,000 captchas do not remove a lock, a live code or a resend slot', async () => {
  const victim = await victimWithCode(svc, 'sms');
  const locked = await victimWithCode(svc, 'sms');
  for (const guess of wrongCodes(locked.code, 10)) await locked.check(guess);
  assert.equal((await locked.check(locked.code)).json().error?.code, 'CHECK_LOCKED');

  for (let i = 0; i < 150_000; i += 1000) {
    const ip = freshIp();
    await Promise.all(Array.from({ length: 1000 }, () => svc.verifier.issueCaptcha({}, { ip })));
  }

  assert.equal((await locked.check(locked.code)).json().error?.code, 'CHECK_LOCKED', 'the lock survived');
  const resend = await svc.app.inject({
    method: 'POST',
    url: '/v1/sms/send',
    remoteAddress: freshIp(),
    payload: { phone: victim.recipient, purpose: 'login', captcha: await svc.solvedCaptcha() },
  });
  assert.equal(resend.json().error?.code, 'SEND_TOO_SOON', 'the resend slot survived');
  assert.equal((await victim.check(victim.code)).json().valid, true, 'the live code survived');
});
