// `verifyd serve --workers N`: node:cluster workers on one port, sharing captchas through Redis.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { SECRET } from '../helpers/service.ts';
import { startVerifyd, type VerifydProcess } from '../helpers/verifyd-process.ts';

describe('the workers option', () => {
  it('is refused above 1 without Redis, because each worker would have its own memory store', () => {
    assert.throws(() => loadConfig({ VERIFYD_WORKERS: '2' }), (e: Error) => e instanceof ConfigError && /VERIFYD_WORKERS/.test(e.message) && /Redis/.test(e.message));
    assert.equal(loadConfig({ VERIFYD_WORKERS: '1' }).workers, 1);
    assert.equal(loadConfig({ VERIFYD_WORKERS: '2', VERIFYD_REDIS_URL: 'redis://127.0.0.1:6379/0', VERIFYD_SECRET: SECRET }).workers, 2);
  });
});

describe('verifyd serve --workers 2 on Redis', () => {
  let redis: TestRedis;
  let verifyd: VerifydProcess;
  before(async () => {
    redis = await startRedis();
    verifyd = await startVerifyd(['--workers', '2', '--redis-url', redis.url(2), '--layout', 'django', '--secret', SECRET, '--captcha-rate-limit', '0', '--check-rate-limit', '0']);
    await verifyd.waitForLine(/primary started 2 workers/);
  });
  after(async () => {
    await verifyd?.stop();
    await redis?.close();
  });

  it('checks every captcha exactly once, whichever worker answers', async () => {
    const db = redis.client(2);
    const ids = Array.from({ length: 40 }, () => crypto.randomUUID());
    await Promise.all(ids.map((id) => fetch(`${verifyd.url}/verify/image_codes/?uuid=${id}`).then((r) => assert.equal(r.status, 200))));
    for (const id of ids) {
      const answer = (await db.get(id))!;
      const check = () =>
        fetch(`${verifyd.url}/verify/image_codes/check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ uuid: id, code: answer }) }).then(
          (r) => r.json() as Promise<{ valid: boolean }>,
        );
      const results = await Promise.all([check(), check()]);
      assert.deepEqual(results.map((r) => r.valid).sort(), [false, true]);
    }
  });

  it('stops every worker on SIGTERM and exits 0', async () => {
    assert.equal(await verifyd.stop('SIGTERM'), 0);
  });
});
