// Attack: make the application's back end believe a verification passed. Before the fix the
// checks answered a bare `{"valid":true}` to whoever called them and the README's example
// trusted it in the page, so a script could claim any verdict; nothing let a back end check one.
// Now the back end redeems the receipt: a forged one, a replayed one or one for another
// recipient is refused, and presenting it wrongly does not burn it for its owner.

import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { BACKEND_KEY, testService, type TestService } from '../helpers/service.ts';
import { victimWithCode } from './attack-clients.ts';

let svc: TestService;
before(async () => {
  svc = await testService();
});
after(async () => {
  await svc.close();
});

const siteverify = (fields: Record<string, string>) => svc.app.inject({ method: 'POST', url: '/v1/siteverify', payload: { secret: BACKEND_KEY, ...fields } });

it('a forged verdict is refused by the back end', async () => {
  for (const claim of ['{"valid":true}', 'true', 'vr1.k0.eyJhY3QiOiJsb2dpbiJ9.AAAA']) {
    assert.deepEqual((await siteverify({ response: claim })).json(), { success: false, 'error-codes': ['invalid-input-response'] });
  }
});

it("a receipt is redeemed once, and another recipient's receipt is refused without being burned", async () => {
  const victim = await victimWithCode(svc, 'sms');
  const { receipt } = (await victim.check(victim.code)).json();
  // The attacker replays the victim's receipt for their own number, then as the victim's.
  assert.deepEqual((await siteverify({ response: receipt, phone: '13900000001' })).json()['error-codes'], ['recipient-mismatch']);
  assert.equal((await siteverify({ response: receipt, phone: victim.recipient, action: 'login' })).json().success, true, 'the owner redeems it');
  assert.deepEqual((await siteverify({ response: receipt, phone: victim.recipient })).json()['error-codes'], ['timeout-or-duplicate'], 'a replay');
});
