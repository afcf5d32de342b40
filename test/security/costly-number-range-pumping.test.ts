// Attack: SMS pumping. A fraudster who shares the revenue of costly number ranges (China
// Satcom's satellite numbers +86 1349…, Tiantong's 1740…, Inmarsat and Iridium abroad) drives a
// send endpoint to them: every code is paid for and read by no one. libphonenumber takes 1349
// and 17400–17405 for ordinary mobiles, so they passed the mobile check. Such ranges are now
// refused by default with their own code; the operator can deny more and allow exceptions.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { isVerifyError } from '../../src/errors.ts';
import type { SmsMessage } from '../../src/core/types.ts';
import { memoryStore } from '../../src/stores/memory.ts';
import { createVerifier } from '../../src/core/verifier.ts';
import { SECRET, testService, type TestService } from '../helpers/service.ts';

const send = async (svc: TestService, phone: string, ip: string) =>
  svc.app.inject({ method: 'POST', url: '/v1/sms/send', remoteAddress: ip, payload: { phone, purpose: 'register', captcha: await svc.solvedCaptcha() } });

it('sends to 1349 and 1740 satellite numbers are refused by default, and nothing is sent', async () => {
  const svc = await testService();
  try {
    for (const [i, phone] of ['+8613490000001', '+8613491234567', '13499876543', '+8617400012345', '+8617405098765'].entries()) {
      const res = await send(svc, phone, `198.51.100.${i + 1}`);
      assert.equal(res.statusCode, 400, phone);
      assert.equal(res.json().error.code, 'PHONE_RANGE_NOT_ALLOWED', phone);
    }
    await svc.verifier.drain();
    assert.deepEqual(svc.smsLines, []);
    // An ordinary mobile next door still gets its code.
    assert.equal((await send(svc, '+8613480000001', '198.51.100.9')).statusCode, 202);
    assert.match((await svc.lastSmsCode('+8613480000001')) ?? '', /^\d{6}$/);
  } finally {
    await svc.close();
  }
});

it('satellite networks abroad are refused by the core even where every country is allowed', async () => {
  const sent: SmsMessage[] = [];
  const answers = new Map<string, string>();
  const store = memoryStore();
  const verifier = createVerifier({
    store,
    secret: Buffer.from(SECRET),
    onCaptchaIssued: ({ id, answer }) => answers.set(id, answer),
    sms: { sender: { name: 'recording', send: async (message) => void sent.push(message) }, phone: { allowedCountries: [] } },
  });
  try {
    for (const phone of ['+870773123456', '+8816212345678', '+881612345678']) {
      const { id } = await verifier.issueCaptcha();
      await assert.rejects(
        verifier.sms!.send({ phone, purpose: 'register', captcha: { id, answer: answers.get(id)! } }),
        (err) => isVerifyError(err) && err.code === 'PHONE_RANGE_NOT_ALLOWED',
        phone,
      );
    }
    await verifier.drain();
    assert.deepEqual(sent, []);
  } finally {
    await store.close();
  }
});

it('the operator can allow a denied range, or a part of it', async () => {
  const svc = await testService({ VERIFYD_SMS_ALLOW_PREFIXES: '+8613490001' });
  try {
    assert.equal((await send(svc, '+8613490001234', '198.51.100.1')).statusCode, 202);
    assert.match((await svc.lastSmsCode('+8613490001234')) ?? '', /^\d{6}$/);
    assert.equal((await send(svc, '+8613490002234', '198.51.100.2')).json().error.code, 'PHONE_RANGE_NOT_ALLOWED');
  } finally {
    await svc.close();
  }
});

it('the operator can deny ranges of its own', async () => {
  const svc = await testService({ VERIFYD_SMS_DENY_PREFIXES: '+86170,+86171' });
  try {
    assert.equal((await send(svc, '+8617012345678', '198.51.100.1')).json().error.code, 'PHONE_RANGE_NOT_ALLOWED');
    // Its list replaces the default one.
    assert.equal((await send(svc, '+8613490001234', '198.51.100.2')).statusCode, 202);
  } finally {
    await svc.close();
  }
});
