// The Redis store never stays down while Redis is up: even a client ioredis has ended is
// connected again.

import { after, before, it } from 'node:test';
import { redisStore } from '../../src/stores/redis.ts';
import { waitUntil } from '../helpers/redis-process.ts';
import { startRedis, type TestRedis } from '../helpers/redis-server.ts';

let redis: TestRedis;
before(async () => {
  redis = await startRedis();
});
after(async () => {
  await redis?.close();
});

it('connects again by itself after ioredis ended its client', async () => {
  const store = redisStore({ url: redis.url(8), maxReconnectDelayMs: 50 });
  try {
    await store.connect();
    store.client.disconnect();
    await waitUntil('the store to answer again', async () => {
      await store.set('back', 'yes', 10_000);
      return (await store.get('back')) === 'yes';
    });
  } finally {
    await store.close();
  }
});
