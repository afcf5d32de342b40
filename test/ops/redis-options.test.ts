// The Redis topology options: parsed once by loadConfig, with clear refusals.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { SECRET } from '../helpers/service.ts';

it('reads sentinels and the master name from the environment', () => {
  const config = loadConfig({ VERIFYD_REDIS_SENTINELS: '10.0.0.1:26379, sentinel-b:26380,[::1]:26381', VERIFYD_REDIS_SENTINEL_NAME: 'codes', VERIFYD_SECRET: SECRET });
  assert.deepEqual(config.redisSentinels, [
    { host: '10.0.0.1', port: 26379 },
    { host: 'sentinel-b', port: 26380 },
    { host: '::1', port: 26381 },
  ]);
  assert.equal(config.redisSentinelName, 'codes');
});

it('reads cluster nodes from a flag', () => {
  const config = loadConfig({ VERIFYD_SECRET: SECRET }, ['--redis-cluster', 'a:7000,b:7001']);
  assert.deepEqual(config.redisCluster, [
    { host: 'a', port: 7000 },
    { host: 'b', port: 7001 },
  ]);
});

it('requires a shared secret with Sentinel or Cluster, as with a Redis URL', () => {
  assert.throws(() => loadConfig({ VERIFYD_REDIS_CLUSTER: 'a:7000' }), /VERIFYD_SECRET/);
  assert.throws(() => loadConfig({ VERIFYD_REDIS_SENTINELS: 'a:26379' }), /VERIFYD_SECRET/);
});

it('refuses a node list entry that is not host:port, naming the variable', () => {
  assert.throws(() => loadConfig({ VERIFYD_REDIS_CLUSTER: 'a:7000,b', VERIFYD_SECRET: SECRET }), (err: Error) => err instanceof ConfigError && /VERIFYD_REDIS_CLUSTER.*"b"/.test(err.message));
  assert.throws(() => loadConfig({ VERIFYD_SECRET: SECRET }, ['--redis-sentinels', 'a:99999']), /--redis-sentinels/);
});

it('refuses Sentinel and Cluster together', () => {
  assert.throws(() => loadConfig({ VERIFYD_REDIS_CLUSTER: 'a:7000', VERIFYD_REDIS_SENTINELS: 'b:26379', VERIFYD_SECRET: SECRET }), /exclude each other/);
});

it('refuses a database number with a Cluster, which has only database 0', () => {
  assert.throws(() => loadConfig({ VERIFYD_REDIS_CLUSTER: 'a:7000', VERIFYD_REDIS_URL: 'redis://:pw@x/2', VERIFYD_SECRET: SECRET }), /only database 0/);
  assert.doesNotThrow(() => loadConfig({ VERIFYD_REDIS_CLUSTER: 'a:7000', VERIFYD_REDIS_URL: 'rediss://:pw@x', VERIFYD_SECRET: SECRET }));
});
