import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, it } from 'node:test';
import { PRODUCTION, testService, type TestService } from '../helpers/service.ts';

let svc: TestService;
before(async () => {
  svc = await testService();
});
after(async () => {
  await svc.close();
});

it("the demo's back end redeems the receipt of the contact the form names, once", async () => {
  const bare = `139${String(randomInt(0, 1e8)).padStart(8, '0')}`;
  await svc.app.inject({ method: 'POST', url: '/v1/sms/send', payload: { phone: bare, purpose: 'register', captcha: await svc.solvedCaptcha() } });
  const code = await svc.lastSmsCode(`+86${bare}`);
  const { receipt } = (await svc.app.inject({ method: 'POST', url: '/v1/sms/check', payload: { phone: bare, purpose: 'register', code } })).json();
  const signup = (phone: string) => svc.app.inject({ method: 'POST', url: '/demo/signup', payload: { receipt, purpose: 'register', phone } });
  assert.deepEqual((await signup('13900000000')).json(), { signed_up: false, 'error-codes': ['recipient-mismatch'] });
  assert.deepEqual((await signup(bare)).json(), { signed_up: true, redeemed: { channel: 'sms', purpose: 'register', hostname: '', recipient_match: true } });
  assert.deepEqual((await signup(bare)).json(), { signed_up: false, 'error-codes': ['timeout-or-duplicate'] });
});

it('is not served in production', async () => {
  const prod = await testService(PRODUCTION);
  try {
    assert.equal((await prod.app.inject({ method: 'POST', url: '/demo/signup', payload: { receipt: 'x', purpose: 'register', phone: '1' } })).statusCode, 404);
  } finally {
    await prod.close();
  }
});
