// The service on a real Redis: both layouts as a Django back end would read them, the
// concurrency guarantee, and outage behaviour.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { renderCaptcha } from '../../src/captcha/render.ts';
import { styleFromSecret } from '../../src/captcha/style.ts';
import { startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { SECRET, SEED_UUID, testService, type TestService } from '../helpers/service.ts';

let redis: TestRedis;
before(async () => {
  redis = await startRedis();
});
after(async () => {
  await redis.close();
});

const fetchImage = (svc: TestService, uuid: string) => svc.app.inject({ method: 'GET', url: `/verify/image_codes/?uuid=${uuid}` });

describe('the django layout', () => {
  let svc: TestService;
  before(async () => {
    svc = await testService({ VERIFYD_REDIS_URL: redis.url(2), VERIFYD_LAYOUT: 'django', VERIFYD_SECRET: SECRET });
  });
  after(async () => {
    await svc.close();
  });

  it('writes exactly what the seed writes: key = uuid, plain upper-case text, db 2, ttl 300 s', async () => {
    const res = await fetchImage(svc, SEED_UUID);
    assert.equal(res.statusCode, 200);
    const django = redis.client(2);
    const text = await django.get(SEED_UUID);
    assert.match(text ?? '', /^[A-Z0-9]{4}$/);
    assert.equal(text, svc.answers.get(SEED_UUID));
    const ttl = await django.ttl(SEED_UUID);
    assert.ok(ttl > 295 && ttl <= 300, `ttl ${ttl}`);
    assert.equal(await redis.client(0).get(SEED_UUID), null);
    assert.deepEqual(await django.keys('*'), [SEED_UUID]);
  });

  it('checks answers a Django back end wrote itself, once', async () => {
    const uuid = randomUUID();
    await redis.client(2).setex(uuid, 300, 'JEZ6');
    const check = (code: string) => svc.app.inject({ method: 'POST', url: '/verify/image_codes/check', payload: { uuid, code } });
    assert.equal((await check('jez6')).json().valid, true);
    assert.deepEqual((await check('JEZ6')).json(), { valid: false });
  });
});

describe('the verifyd layout on Redis', () => {
  let svc: TestService;
  before(async () => {
    svc = await testService({ VERIFYD_REDIS_URL: redis.url(4), VERIFYD_SECRET: SECRET });
  });
  after(async () => {
    await svc.close();
  });

  it('stores a prefixed key holding an HMAC, never the answer', async () => {
    const uuid = randomUUID();
    await fetchImage(svc, uuid);
    const client = redis.client(4);
    const value = await client.get(`verifyd:captcha:${uuid}`);
    assert.ok(value);
    assert.match(value, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(!value.toUpperCase().includes(svc.answers.get(uuid)!));
    assert.equal(await client.get(uuid), null);
  });

  it('every concurrently rendered image shows the answer stored for it', async () => {
    const ids = Array.from({ length: 64 }, () => randomUUID());
    const responses = await Promise.all(ids.map((id) => fetchImage(svc, id)));
    const client = redis.client(4);
    for (const [i, id] of ids.entries()) {
      const answer = svc.answers.get(id)!;
      // Ground truth from the store: the stored HMAC is the HMAC of this answer…
      const check = await svc.verifier.checkCaptcha(id, answer);
      assert.equal(check.valid, true, `stored answer of ${id}`);
      // …and the image served for this id is exactly the rendering of that answer, in the style
      // the deployment draws from its secret.
      const expected = await renderCaptcha(answer, { format: 'jpeg', seed: svc.seeds.get(id)!, style: styleFromSecret(SECRET) });
      assert.ok(responses[i]!.rawPayload.equals(expected), `image of ${id} shows ${answer}`);
    }
    assert.equal(await client.exists(...ids.map((id) => `verifyd:captcha:${id}`)), 0, 'every check consumed its captcha');
  });

  it('answers 503 STORE_UNAVAILABLE within a second while Redis is down, and recovers by itself', async () => {
    await redis.stop();
    try {
      for (const request of [
        () => fetchImage(svc, randomUUID()),
        () => svc.app.inject({ method: 'POST', url: '/v1/captchas' }),
        () => svc.app.inject({ method: 'POST', url: '/verify/image_codes/check', payload: { uuid: randomUUID(), code: 'ABCD' } }),
        () => svc.app.inject('/readyz'),
      ]) {
        const res = await request();
        assert.equal(res.statusCode, 503);
        assert.equal(res.json().error.code, 'STORE_UNAVAILABLE');
      }
    } finally {
      await redis.start();
    }
    const deadline = Date.now() + 5000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await fetchImage(svc, randomUUID())).statusCode;
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(status, 200, 'serves again once Redis is back');
    const uuid = randomUUID();
    await fetchImage(svc, uuid);
    assert.equal((await svc.app.inject({ method: 'POST', url: '/verify/image_codes/check', payload: { uuid, code: svc.answers.get(uuid) } })).json().valid, true);
  });
});
