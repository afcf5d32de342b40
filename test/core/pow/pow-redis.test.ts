import { after, before } from 'node:test';
import { redisStore } from '../../../src/stores/redis.ts';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { powConformanceSuite } from './conformance.ts';

let redis: TestRedis;
before(async () => {
  redis = await startRedis();
});
after(async () => {
  await redis.close();
});

powConformanceSuite('Redis', async () => {
  const store = redisStore({ url: redis.url() });
  await store.connect();
  return store;
});
