// Attack: pricing your own work. A client that edits a challenge's parameters (a cost of 1, a
// shorter key prefix, a later expiry, a higher level than it was priced at) could solve a much cheaper puzzle. Every
// parameter is under the challenge's HMAC, so any edit is refused.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { POW_ENV, fetchChallenge, sendSms } from '../helpers/pow-client.ts';
import { encodePayload, solveV2 } from '../helpers/pow-solver.ts';
import { testService } from '../helpers/service.ts';
import type { ChallengeV2 } from '../../src/core/pow/altcha-wire.ts';
import { freshIp } from './attack-clients.ts';

it('a challenge re-priced by the client is refused, whatever it edited', async () => {
  const svc = await testService(POW_ENV);
  try {
    const ip = freshIp();
    const { parameters, signature } = (await fetchChallenge(svc, 'action=sms-send', ip)) as ChallengeV2;
    const edits = [{ cost: 1, keyPrefix: '00' }, { keyPrefix: parameters.keyPrefix.slice(0, 2) }, { expiresAt: parameters.expiresAt + 86_400 }, { data: { ...parameters.data, level: 2 } }];
    for (const edit of edits) {
      const cheap = { parameters: { ...parameters, ...edit }, signature };
      // The attacker really does the (cheaper) work its edited challenge asks for.
      const { counter, derivedKey } = await solveV2(cheap);
      const res = await sendSms(svc, { phone: '13912345678', pow: encodePayload({ challenge: cheap, solution: { counter, derivedKey } }) }, ip);
      assert.equal(res.statusCode, 400, JSON.stringify(edit));
      assert.equal(res.json().error.code, 'POW_INVALID', JSON.stringify(edit));
    }
  } finally {
    await svc.close();
  }
});
