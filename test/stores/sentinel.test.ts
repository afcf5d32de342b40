// The Redis store and the service on a Sentinel setup (a master, a replica and three sentinels
// on free ports): the conformance suite, database selection, and a real failover.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { redisStore, type RedisStore } from '../../src/stores/redis.ts';
import { openedConnections, waitUntil } from '../helpers/redis-process.ts';
import { startRedisSentinel, type TestRedisSentinel } from '../helpers/redis-sentinel.ts';
import { SECRET, testService } from '../helpers/service.ts';
import { storeContract } from './contract.ts';

let sentinel: TestRedisSentinel;
const opened = openedConnections();
const node = opened.node;
before(async () => {
  sentinel = await startRedisSentinel();
});
after(async () => {
  await opened.closeAll();
  await sentinel?.close();
});

const openStore = async (db = 3): Promise<RedisStore> => {
  const store = redisStore({ sentinels: sentinel.sentinels, sentinelName: sentinel.name, url: `redis://127.0.0.1/${db}`, maxReconnectDelayMs: 100 });
  opened.store(store);
  await store.connect();
  return store;
};

storeContract('redis sentinel', () => openStore());

describe('redis sentinel store', () => {
  it('writes into the database the URL names, on the master the sentinels name', async () => {
    const store = await openStore(5);
    await store.set('sentinel:db', 'yes', 60_000);
    const master = node(sentinel.masterPort);
    await master.select(5);
    assert.equal(await master.get('sentinel:db'), 'yes');
    await store.close();
  });

  it('answers ready through the service configured with --redis-sentinels', async () => {
    const svc = await testService({ VERIFYD_REDIS_SENTINELS: sentinel.seeds, VERIFYD_REDIS_SENTINEL_NAME: sentinel.name, VERIFYD_SECRET: SECRET });
    try {
      const res = await svc.app.inject({ method: 'GET', url: '/readyz' });
      assert.deepEqual(res.json(), { status: 'ready', store: 'redis' });
      const issued = await svc.app.inject({ method: 'POST', url: '/v1/captchas' });
      const { id } = issued.json() as { id: string };
      const check = await svc.app.inject({ method: 'POST', url: `/v1/captchas/${id}/check`, payload: { answer: svc.answers.get(id) } });
      assert.equal(check.json().valid, true);
    } finally {
      await svc.close();
    }
  });

  // Last: the old master stays down afterwards.
  it('follows a failover: the promoted replica serves what was replicated, and takes new writes', async () => {
    const store = await openStore(4);
    await store.set('before-failover', 'kept', 60_000);
    const replica = node(sentinel.replicaPort);
    await replica.select(4);
    await waitUntil('the write to reach the replica', async () => (await replica.get('before-failover')) === 'kept');

    const promoted = await sentinel.failover();
    assert.equal(promoted, sentinel.replicaPort);
    await waitUntil(
      'the store to write to the new master',
      async () => {
        await store.set('after-failover', 'new', 60_000);
        return true;
      },
      30_000,
    );
    assert.equal(await store.get('before-failover'), 'kept');
    assert.equal(await replica.get('after-failover'), 'new');
    await store.close();
  });
});
