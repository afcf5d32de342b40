import { after, before } from 'node:test';
import { startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { SECRET, testService } from '../helpers/service.ts';
import { smsFlowSuite } from './sms-flow.ts';

let redis: TestRedis;
before(async () => {
  redis = await startRedis();
});
after(async () => {
  await redis.close();
});

smsFlowSuite('Redis', () => testService({ VERIFYD_REDIS_URL: redis.url(1), VERIFYD_SECRET: SECRET }));
