// Attack: burning a visitor's challenge. A store that records a nonce before checking the work
// (ALTCHA's optional store does get-then-set before the crypto check) lets anyone who sees a
// challenge spend it with garbage, so the visitor's real solve is then refused as a replay.
// verifyd checks signature, expiry and work first and spends only a payload that holds.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { POW_ENV, fetchChallenge, sendSms } from '../helpers/pow-client.ts';
import { encodePayload, solveV2 } from '../helpers/pow-solver.ts';
import { testService } from '../helpers/service.ts';
import type { ChallengeV2 } from '../../src/core/pow/altcha-wire.ts';
import { freshIp } from './attack-clients.ts';

it('wrong work, forged parameters and another action on a seen challenge do not spend it', async () => {
  const svc = await testService(POW_ENV);
  try {
    const ip = freshIp();
    const challenge = (await fetchChallenge(svc, 'action=sms-send', ip)) as ChallengeV2;
    const { parameters, signature } = challenge;
    const attempts = [
      { challenge: { parameters, signature }, solution: { counter: 1, derivedKey: '00'.repeat(32) } },
      { challenge: { parameters: { ...parameters, keySignature: '11'.repeat(32) }, signature }, solution: { counter: 1, derivedKey: '00'.repeat(32) } },
      { challenge: { parameters: { ...parameters, data: { ...parameters.data, action: 'email-send' } }, signature }, solution: { counter: 1, derivedKey: '00'.repeat(32) } },
    ];
    for (const body of attempts) {
      const res = await sendSms(svc, { phone: '13912345678', pow: encodePayload(body) }, freshIp());
      assert.equal(res.json().error.code, 'POW_INVALID');
    }
    const { payload } = await solveV2(challenge);
    const res = await sendSms(svc, { phone: '13912345678', pow: payload }, ip);
    assert.equal(res.statusCode, 202, res.body);
  } finally {
    await svc.close();
  }
});
