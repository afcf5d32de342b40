// `verifyd serve --workers 2 --admin-port P`: every worker listens on the admin port too, and
// whichever worker answers a scrape there, /metrics counts for all of them.

import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { metricValue } from '../helpers/metrics-text.ts';
import { waitUntil } from '../helpers/redis-process.ts';
import { freePort, startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { SECRET } from '../helpers/service.ts';
import { startVerifyd, type VerifydProcess } from '../helpers/verifyd-process.ts';

let redis: TestRedis;
let verifyd: VerifydProcess;
let admin: string;
before(async () => {
  redis = await startRedis();
  const adminPort = await freePort();
  admin = `http://127.0.0.1:${adminPort}`;
  verifyd = await startVerifyd(['--workers', '2', '--admin-port', String(adminPort), '--redis-url', redis.url(3), '--secret', SECRET, '--captcha-rate-limit', '0']);
  // Both workers are on the admin port before the scrapes.
  await waitUntil('both workers on the admin port', async () => verifyd.lines.filter((line) => line.includes('verifyd admin listening')).length === 2);
});
after(async () => {
  await verifyd?.stop();
  await redis?.close();
});

// A new connection per request, so node:cluster hands them to the workers in turn.
const fresh = { headers: { connection: 'close' } };

it('every scrape of the admin port, whichever worker answers it, reports the sum over the workers', async () => {
  assert.equal((await fetch(`${verifyd.url}/metrics`, fresh)).status, 404, 'not on the public port once there is an admin port');
  for (let i = 0; i < 6; i++) assert.equal((await fetch(`${verifyd.url}/v1/captchas`, { method: 'POST', ...fresh })).status, 201);
  for (let i = 0; i < 4; i++) {
    const text = await (await fetch(`${admin}/metrics`, fresh)).text();
    assert.equal(metricValue(text, 'verifyd_captchas_issued_total'), 6, text);
    assert.equal(metricValue(text, 'verifyd_http_request_duration_seconds_count', { route: '/v1/captchas', status_code: '201' }), 6, text);
  }
});
