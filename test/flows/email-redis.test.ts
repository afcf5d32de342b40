import { after, before } from 'node:test';
import { startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { SECRET, testService } from '../helpers/service.ts';
import { emailFlowSuite } from './email-flow.ts';

let redis: TestRedis;
before(async () => {
  redis = await startRedis();
});
after(async () => {
  await redis.close();
});

emailFlowSuite('Redis', (env) => testService({ VERIFYD_REDIS_URL: redis.url(1), VERIFYD_SECRET: SECRET, ...env }));
