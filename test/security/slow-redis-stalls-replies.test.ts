// A slow Redis (every command queued behind a DEBUG SLEEP shorter than the command timeout)
// must not hold a request for the sum of its commands: a send makes about ten, and each used to
// wait its own full timeout. The request's store budget (--store-timeout) bounds them together,
// and the answer is 503 STORE_UNAVAILABLE.

import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { SECRET, testService, type TestService } from '../helpers/service.ts';

let redis: TestRedis;
let svc: TestService;
before(async () => {
  redis = await startRedis({ debugCommand: true });
  svc = await testService({ VERIFYD_REDIS_URL: redis.url(0), VERIFYD_SECRET: SECRET, VERIFYD_STORE_TIMEOUT: '1000' });
});
after(async () => {
  await svc?.close();
  await redis?.close();
});

/** Keeps Redis asleep for 0.6 s at a time, with a moment between sleeps, until stopped. */
function slowRedis(): () => Promise<void> {
  const sleeper = redis.client(0);
  let on = true;
  const loop = (async () => {
    while (on) await sleeper.call('DEBUG', 'SLEEP', '0.6');
  })();
  return async () => {
    on = false;
    await loop;
  };
}

it('a send on a Redis that answers every command just within its timeout answers 503, not after all of them', async () => {
  const captcha = await svc.solvedCaptcha();
  const stop = slowRedis();
  try {
    const res = await svc.app.inject({ method: 'POST', url: '/v1/sms/send', payload: { phone: '+8613800138000', purpose: 'register', captcha } });
    assert.equal(res.statusCode, 503, res.body);
    assert.equal(res.json().error.code, 'STORE_UNAVAILABLE');
  } finally {
    await stop();
  }
});

it('once Redis is quick again, the same request works', async () => {
  const captcha = await svc.solvedCaptcha();
  const res = await svc.app.inject({ method: 'POST', url: '/v1/sms/send', payload: { phone: '+8613800138001', purpose: 'register', captcha } });
  assert.equal(res.statusCode, 202, res.body);
});
