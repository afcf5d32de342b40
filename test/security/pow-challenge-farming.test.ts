// Attack: farming cheap challenges. A bot that asks for challenge after challenge from one
// address (or from the addresses of one IPv6 network), or pumps one number range, would pay the
// base price for each. Each client's and each range's traffic raises the price; past a level a
// send needs the image captcha as well.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { POW_ENV, fetchChallenge, sendSms, solvedPayload } from '../helpers/pow-client.ts';
import { testService } from '../helpers/service.ts';
import { freshIp } from './attack-clients.ts';

it('one client’s challenges get dearer, across its whole IPv6 network, while others pay the base price', async () => {
  const svc = await testService({ ...POW_ENV, VERIFYD_POW_IP_STEPS: '3,6,9' });
  try {
    const levels = [];
    for (let i = 1; i <= 10; i++) levels.push((await fetchChallenge(svc, 'action=sms-send', `2001:db8:7:7::${i.toString(16)}`)).level);
    assert.deepEqual(levels, [0, 0, 1, 1, 1, 2, 2, 2, 3, 3]);
    assert.equal((await fetchChallenge(svc, 'action=sms-send', freshIp())).level, 0);
  } finally {
    await svc.close();
  }
});

it('a pumped number range needs a dearer proof, which the challenge for that number carries', async () => {
  const svc = await testService({ ...POW_ENV, VERIFYD_POW_RANGE_STEPS: '3', VERIFYD_SMS_PREFIX_PER_HOUR: '0', VERIFYD_SMS_IP_PER_MINUTE: '0', VERIFYD_SMS_IP_PER_HOUR: '0' });
  try {
    for (let i = 0; i < 3; i++) {
      const res = await sendSms(svc, { phone: `1391234000${i}`, pow: await solvedPayload(svc, 'action=sms-send', freshIp()) }, freshIp());
      assert.equal(res.statusCode, 202, res.body);
    }
    const cheap = await solvedPayload(svc, 'action=sms-send', freshIp());
    const refused = await sendSms(svc, { phone: '13912340009', pow: cheap }, freshIp());
    assert.equal(refused.json().error.code, 'POW_LEVEL_TOO_LOW');
    const priced = await fetchChallenge(svc, 'action=sms-send&phone=13912340009', freshIp());
    assert.equal(priced.level, 1);
    const res = await sendSms(svc, { phone: '13912340009', pow: await solvedPayload(svc, 'action=sms-send&phone=13912340009', freshIp()) }, freshIp());
    assert.equal(res.statusCode, 202, res.body);
    // The cheap payload was not spent by its refusal: it still buys a send elsewhere.
    assert.equal((await sendSms(svc, { phone: '13800138000', pow: cheap }, freshIp())).statusCode, 202);
  } finally {
    await svc.close();
  }
});

it('at the captcha level a proof of work alone is not enough', async () => {
  const svc = await testService({ ...POW_ENV, VERIFYD_POW_IP_STEPS: '1', VERIFYD_POW_LEVELS: '1,2', VERIFYD_POW_CAPTCHA_LEVEL: '1' });
  try {
    const ip = freshIp();
    const challenge = await fetchChallenge(svc, 'action=sms-send', ip);
    assert.equal(challenge.captcha_required, true);
    const pow = await solvedPayload(svc, 'action=sms-send', ip);
    const refused = await sendSms(svc, { phone: '13912345678', pow }, ip);
    assert.equal(refused.json().error.code, 'CAPTCHA_INVALID');
    const res = await sendSms(svc, { phone: '13912345678', pow, captcha: await svc.solvedCaptcha() }, ip);
    assert.equal(res.statusCode, 202, res.body);
  } finally {
    await svc.close();
  }
});
