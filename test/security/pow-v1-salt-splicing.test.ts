// Attack: splicing a v1 salt (CVE-2025-68113, fixed upstream in altcha-lib). A v1 challenge is
// SHA-256(salt + number) and its signature covers only that hash, so moving digits of the
// number into the salt keeps hash and signature valid while changing the salt's parameters,
// e.g. pushing `expires` years ahead, after which the spent nonce is forgotten and the payload
// replays. verifyd's v1 salts end in `&` and a payload's salt must be exactly that form.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { POW_ENV, fetchChallenge } from '../helpers/pow-client.ts';
import { decodePayload, encodePayload, solveV1 } from '../helpers/pow-solver.ts';
import { testService } from '../helpers/service.ts';
import type { ChallengeV1 } from '../../src/core/pow/altcha-wire.ts';
import { freshIp } from './attack-clients.ts';

it('a v1 payload whose salt took digits of the number is refused, and the genuine one is not spent', async () => {
  const svc = await testService(POW_ENV);
  try {
    const ip = freshIp();
    let challenge: ChallengeV1;
    let solved: { payload: string; number: number };
    do {
      challenge = (await fetchChallenge(svc, 'action=login&v=1', ip)) as ChallengeV1;
      solved = solveV1(challenge);
    } while (String(solved.number).length < 2 || String(solved.number)[1] === '0');
    assert.match(challenge.salt, /\?expires=\d{10}&.*&$/);
    const digits = String(solved.number);
    const body = decodePayload(solved.payload);
    // Without the trailing `&` the moved digit would have lengthened the last parameter.
    const spliced = { ...body, salt: challenge.salt + digits[0], number: Number(digits.slice(1)) };
    const stripped = { ...body, salt: challenge.salt.slice(0, -1), number: Number(`${digits}`) };
    for (const forged of [spliced, stripped]) {
      const res = await svc.app.inject({ method: 'POST', url: '/v1/pow/verify', remoteAddress: ip, payload: { payload: encodePayload(forged) } });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.code, 'POW_INVALID');
    }
    const genuine = await svc.app.inject({ method: 'POST', url: '/v1/pow/verify', remoteAddress: ip, payload: { payload: solved.payload, action: 'login' } });
    assert.equal(genuine.statusCode, 200, genuine.body);
  } finally {
    await svc.close();
  }
});
