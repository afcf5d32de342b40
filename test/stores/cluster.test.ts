// The Redis store and the whole service on a real 3-master Redis Cluster started on free ports:
// the conformance suite, the SMS and email flows, slot placement, and a master's outage.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { redisStore, type RedisStore } from '../../src/stores/redis.ts';
import { emailFlowSuite } from '../flows/email-flow.ts';
import { randomMobile, smsFlowSuite } from '../flows/sms-flow.ts';
import { startRedisCluster, type TestRedisCluster } from '../helpers/redis-cluster.ts';
import { openedConnections } from '../helpers/redis-process.ts';
import { BACKEND, SECRET, testService } from '../helpers/service.ts';
import { storeContract } from './contract.ts';

let cluster: TestRedisCluster;
const opened = openedConnections();
const node = opened.node;
before(async () => {
  cluster = await startRedisCluster({ masters: 3 });
});
after(async () => {
  await opened.closeAll();
  await cluster?.close();
});

const openStore = async (): Promise<RedisStore> => {
  const store = redisStore({ cluster: cluster.nodes });
  opened.store(store);
  await store.connect();
  return store;
};

storeContract('redis cluster', openStore);

const clusterService = (env: Record<string, string> = {}) => testService({ VERIFYD_REDIS_CLUSTER: cluster.seeds, VERIFYD_SECRET: SECRET, ...env });
smsFlowSuite('Redis Cluster', () => clusterService());
emailFlowSuite('Redis Cluster', (env) => clusterService(env));

describe('redis cluster store', () => {
  it('spreads keys over all three masters, each stored on the master of its slot', async () => {
    const store = await openStore();
    const keys = Array.from({ length: 30 }, (_, i) => `spread:${i}`);
    for (const k of keys) await store.set(k, k, 60_000);
    const masters = await Promise.all(keys.map((k) => cluster.masterOf(k)));
    assert.equal(new Set(masters).size, 3);
    assert.equal(await node(masters[0]!).get(keys[0]!), keys[0]);
    await store.close();
  });

  it('keeps every key of one phone number in one hash slot, so a Cluster never splits a recipient', async () => {
    const svc = await clusterService({ VERIFYD_SMS_MAX_ATTEMPTS: '2' });
    try {
      const { bare, e164 } = randomMobile();
      const send = await svc.app.inject({ method: 'POST', url: '/v1/sms/send', payload: { phone: bare, purpose: 'login', captcha: await svc.solvedCaptcha() } });
      assert.equal(send.statusCode, 202);
      const wrong = await svc.app.inject({ method: 'POST', url: '/v1/sms/check', headers: BACKEND, payload: { phone: bare, purpose: 'login', code: 'nope00' } });
      assert.deepEqual(wrong.json(), { valid: false, attempts_left: 1 });

      const keys: string[] = [];
      for (const port of cluster.ports) {
        keys.push(...(await node(port).keys(`verifyd:sms:{${e164}}*`)));
      }
      // code, attempts, failures, resend slot, sent counters: all there, all in one slot.
      assert.ok(keys.length >= 5, keys.join(' '));
      const slots = new Set(await Promise.all(keys.map((k) => cluster.masterOf(k))));
      assert.equal(slots.size, 1);
      const code = await svc.lastSmsCode(e164);
      const right = await svc.app.inject({ method: 'POST', url: '/v1/sms/check', payload: { phone: bare, purpose: 'login', code } });
      assert.equal(right.json().valid, true);
    } finally {
      await svc.close();
    }
  });

  it('answers ready through the service on the Cluster', async () => {
    const svc = await clusterService();
    try {
      const res = await svc.app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { status: 'ready', store: 'redis' });
    } finally {
      await svc.close();
    }
  });

  // Last: it leaves the cluster without one master.
  it('fails with STORE_UNAVAILABLE for the keys of a stopped master instead of hanging', async () => {
    const store = await openStore();
    const key = 'outage:victim';
    await store.set(key, 'v', 60_000);
    const port = await cluster.masterOf(key);
    await cluster.stopNode(port);
    await assert.rejects(store.get(key), { code: 'STORE_UNAVAILABLE' });
    await assert.rejects(store.set(key, 'w', 60_000), { code: 'STORE_UNAVAILABLE' });
    await store.close();
  });
});
