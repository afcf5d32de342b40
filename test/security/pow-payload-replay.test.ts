// Attack: replaying one solved proof of work. ALTCHA's own verification is stateless (the same
// payload verified true twice), so one solve could buy any number of SMS sends. verifyd spends
// the challenge in one atomic store step after checking it: of 100 concurrent sends carrying the
// same payload, to as many numbers, exactly one is accepted.

import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { it } from 'node:test';
import { POW_ENV, sendSms, solvedPayload } from '../helpers/pow-client.ts';
import { testService } from '../helpers/service.ts';
import { freshIp } from './attack-clients.ts';

it('100 concurrent sends with one solved payload: exactly one is accepted', async () => {
  const svc = await testService({ ...POW_ENV, VERIFYD_SMS_IP_PER_MINUTE: '0', VERIFYD_SMS_IP_PER_HOUR: '0', VERIFYD_SMS_PREFIX_PER_HOUR: '0', VERIFYD_POW_RANGE_STEPS: '0' });
  try {
    const ip = freshIp();
    const pow = await solvedPayload(svc, 'action=sms-send', ip);
    const phones = Array.from({ length: 100 }, () => `139${String(randomInt(0, 1e8)).padStart(8, '0')}`);
    const responses = await Promise.all(phones.map((phone) => sendSms(svc, { phone, pow }, ip)));
    assert.equal(responses.filter((r) => r.statusCode === 202).length, 1);
    for (const r of responses.filter((x) => x.statusCode !== 202)) assert.equal(r.json().error.code, 'POW_USED');
    await svc.verifier.drain();
    assert.equal(svc.smsLines.length, 1);
  } finally {
    await svc.close();
  }
});

it('a payload spent on /v1/pow/verify buys no send afterwards', async () => {
  const svc = await testService(POW_ENV);
  try {
    const ip = freshIp();
    const pow = await solvedPayload(svc, 'action=sms-send', ip);
    const verified = await svc.app.inject({ method: 'POST', url: '/v1/pow/verify', remoteAddress: ip, payload: { payload: pow } });
    assert.equal(verified.statusCode, 200);
    assert.match(verified.json().receipt, /^vr1\./);
    const replay = await sendSms(svc, { phone: '13912345678', pow }, ip);
    assert.equal(replay.statusCode, 400);
    assert.equal(replay.json().error.code, 'POW_USED');
  } finally {
    await svc.close();
  }
});
