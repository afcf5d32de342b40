// Attack: a third party who knows an address takes its owner's confirmation. Before the fix
// `POST /v1/email/confirmed` had no authentication: the attacker got `{"confirmed":true}` and
// the real back end then got `false`, with no limit on 1,000 tries.

import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { BACKEND, testService, type TestService } from '../helpers/service.ts';
import { freshIp } from './attack-clients.ts';

let svc: TestService;
before(async () => {
  svc = await testService();
});
after(async () => {
  await svc.close();
});

it("a caller without the back-end key cannot take an address's confirmation", async () => {
  const email = `owner.${Date.now()}@example.com`;
  await svc.app.inject({ method: 'POST', url: '/v1/email/send', remoteAddress: freshIp(), payload: { email, purpose: 'register', captcha: await svc.solvedCaptcha() } });
  await svc.verifier.drain();
  const token = /token=([A-Za-z0-9_-]+)/.exec(svc.emailLines.findLast((l) => l.includes(email)) ?? '')?.[1];
  assert.ok(token);
  assert.equal((await svc.app.inject({ method: 'POST', url: '/v1/email/confirm', payload: { token } })).statusCode, 200);

  for (const headers of [{}, { authorization: 'Bearer guessed-key-0000000000000000000000' }, { authorization: 'Basic YWRtaW46YWRtaW4=' }]) {
    const stolen = await svc.app.inject({ method: 'POST', url: '/v1/email/confirmed', remoteAddress: freshIp(), headers, payload: { email, purpose: 'register' } });
    assert.equal(stolen.statusCode, 401, JSON.stringify(headers));
    assert.equal(stolen.json().confirmed, undefined);
  }
  const owner = await svc.app.inject({ method: 'POST', url: '/v1/email/confirmed', headers: BACKEND, payload: { email, purpose: 'register' } });
  assert.deepEqual(owner.json(), { confirmed: true }, "the owner's back end still gets it");
});
