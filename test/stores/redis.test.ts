import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { redisStore } from '../../src/stores/redis.ts';
import { startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { storeContract } from './contract.ts';

let redis: TestRedis;
before(async () => {
  redis = await startRedis();
});
after(async () => {
  await redis.close();
});

storeContract('redis', async () => {
  const store = redisStore({ url: redis.url(3) });
  await store.connect();
  return store;
});

describe('redis store', () => {
  it('a full Redis (maxmemory, noeviction) refuses writes with STORE_FULL, and reads go on', async () => {
    const store = redisStore({ url: redis.url(5) });
    await store.connect();
    await store.set('before-full', 'kept', 60_000);
    const admin = redis.client(0);
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    await admin.config('SET', 'maxmemory', '1');
    try {
      await assert.rejects(store.putCaptcha('captcha', 'A', 60_000), { code: 'STORE_FULL', status: 503 });
      await assert.rejects(store.takeSendSlot('{r}:interval', 60_000, []), { code: 'STORE_FULL' });
      assert.equal(await store.get('before-full'), 'kept');
    } finally {
      await admin.config('SET', 'maxmemory', '0');
      await store.close();
    }
  });

  it('writes into the database named by the URL', async () => {
    const store = redisStore({ url: redis.url(5) });
    await store.connect();
    await store.set('in-db-5', 'yes', 10_000);
    assert.equal(await redis.client(5).get('in-db-5'), 'yes');
    assert.equal(await redis.client(0).get('in-db-5'), null);
    await store.close();
  });

  it('fails fast with STORE_UNAVAILABLE while Redis is down, and works again when it is back', async () => {
    const store = redisStore({ url: redis.url(6), maxReconnectDelayMs: 100 });
    await store.connect();
    await store.set('k', 'v', 60_000);
    await redis.stop();
    await assert.rejects(store.get('k'), { code: 'STORE_UNAVAILABLE' });
    await redis.start();
    const deadline = Date.now() + 5000;
    for (;;) {
      try {
        await store.ping();
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    await store.set('k2', 'v2', 60_000);
    assert.equal(await store.get('k2'), 'v2');
    await store.close();
  });
});
