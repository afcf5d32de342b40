// Attack: probe the public check endpoints to learn whether someone is signing in right now.
// Before the fix a number with no code answered `attempts_left: 0` and one with a live code
// `attempts_left: 4`.

import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { after, before, it } from 'node:test';
import { testService, type TestService } from '../helpers/service.ts';
import { freshIp, victimWithCode, wrongCodes } from './attack-clients.ts';

let svc: TestService;
before(async () => {
  svc = await testService();
});
after(async () => {
  await svc.close();
});

for (const channel of ['sms', 'email'] as const) {
  it(`a public ${channel} check answers the same for a live code and for none`, async () => {
    const victim = await victimWithCode(svc, channel);
    const [guess] = wrongCodes(victim.code, 1);
    const live = await victim.check(guess!);

    const field = channel === 'sms' ? 'phone' : 'email';
    const nobody = channel === 'sms' ? `139${String(randomInt(0, 1e8)).padStart(8, '0')}` : `nobody.${randomBytes(4).toString('hex')}@example.com`;
    const none = await svc.app.inject({ method: 'POST', url: `/v1/${channel}/check`, remoteAddress: freshIp(), payload: { [field]: nobody, purpose: 'login', code: guess } });

    assert.equal(live.statusCode, none.statusCode);
    assert.deepEqual(live.json(), none.json());
    assert.deepEqual(live.json(), { valid: false });
  });
}
