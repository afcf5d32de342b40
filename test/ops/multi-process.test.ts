// Two verifyd processes on one Redis, as behind a load balancer: whatever one issues, the other
// checks, and exactly once even when both are asked at the same moment. The django layout lets
// the test read captcha answers from Redis the way a Django back end would.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { randomMobile } from '../flows/sms-flow.ts';
import { metricValue } from '../helpers/metrics-text.ts';
import { startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { BACKEND, BACKEND_KEY, SECRET } from '../helpers/service.ts';
import { startVerifyd, type VerifydProcess } from '../helpers/verifyd-process.ts';

let redis: TestRedis;
let a: VerifydProcess;
let b: VerifydProcess;
let db: Redis;

before(async () => {
  redis = await startRedis();
  db = redis.client(2);
  const args = ['--redis-url', redis.url(2), '--layout', 'django', '--secret', SECRET, '--api-keys', `app:${BACKEND_KEY}`, '--captcha-rate-limit', '0', '--check-rate-limit', '0', '--sms-ip-per-minute', '0', '--email-ip-per-minute', '0'];
  [a, b] = await Promise.all([startVerifyd(args), startVerifyd(args)]);
});
after(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.close();
});

const post = async (p: VerifydProcess, path: string, body: unknown) => {
  // As the application's back end: it holds the key (and the routes that need none accept it).
  const res = await fetch(`${p.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...BACKEND }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

/** Issues a captcha on `p` and reads its answer from Redis, as the seed's Django view would. */
const solvedCaptcha = async (p: VerifydProcess) => {
  const id = randomUUID();
  assert.equal((await fetch(`${p.url}/verify/image_codes/?uuid=${id}`)).status, 200);
  return { id, answer: (await db.get(id))! };
};

/** Fires the same request at both processes, `each` times each, all at once. */
const race = (path: string, body: unknown, each = 6) =>
  Promise.all(Array.from({ length: each * 2 }, (_, i) => post(i % 2 === 0 ? a : b, path, body)));

describe('two verifyd processes on one Redis', () => {
  it('a captcha issued by one is checked by the other', async () => {
    const { id, answer } = await solvedCaptcha(a);
    assert.equal((await post(b, '/verify/image_codes/check', { uuid: id, code: answer })).body.valid, true);
    assert.deepEqual((await post(a, '/verify/image_codes/check', { uuid: id, code: answer })).body, { valid: false });
  });

  it('a correct captcha answer sent to both at once is valid exactly once', async () => {
    const { id, answer } = await solvedCaptcha(b);
    const results = await race(`/v1/captchas/${id}/check`, { answer });
    assert.equal(results.filter((r) => r.body.valid === true).length, 1);
    // Replays count as failures, so twelve at once may meet the lock at the tenth; nothing else.
    assert.ok(results.every((r) => r.status === 200 || (r.body.error as { code: string }).code === 'CHECK_LOCKED'), JSON.stringify(results));
  });

  it('an SMS code sent through one is accepted by the other exactly once', async () => {
    const { bare, e164 } = randomMobile();
    const sent = await post(a, '/v1/sms/send', { phone: bare, purpose: 'register', captcha: await solvedCaptcha(b) });
    assert.equal(sent.status, 202);
    const code = await a.lastSmsCode(e164);
    const results = await race('/v1/sms/check', { phone: bare, purpose: 'register', code });
    assert.equal(results.filter((r) => r.body.valid === true).length, 1);
    // Replays count as failures, so twelve at once may meet the lock at the tenth; nothing else.
    assert.ok(results.every((r) => r.status === 200 || (r.body.error as { code: string }).code === 'CHECK_LOCKED'), JSON.stringify(results));
  });

  it('the resend interval holds across processes', async () => {
    const { bare } = randomMobile();
    assert.equal((await post(b, '/v1/sms/send', { phone: bare, purpose: 'login', captcha: await solvedCaptcha(a) })).status, 202);
    const again = await post(a, '/v1/sms/send', { phone: bare, purpose: 'login', captcha: await solvedCaptcha(a) });
    assert.equal(again.status, 429);
    assert.equal((again.body.error as { code: string }).code, 'SEND_TOO_SOON');
  });

  it('an email code and its confirm link from one work on the other, each once', async () => {
    const email = `multi-${randomUUID().slice(0, 8)}@example.com`;
    assert.equal((await post(b, '/v1/email/send', { email, purpose: 'register', captcha: await solvedCaptcha(a) })).status, 202);
    const { code, link } = await b.lastEmail(email);
    const checks = await race('/v1/email/check', { email, purpose: 'register', code });
    assert.equal(checks.filter((r) => r.body.valid === true).length, 1);

    const token = new URL(link).searchParams.get('token')!;
    const confirms = await race('/v1/email/confirm', { token }, 3);
    assert.equal(confirms.filter((r) => r.status === 200 && r.body.confirmed === true).length, 1);
    assert.ok(confirms.every((r) => r.status === 200 || (r.body.error as { code: string }).code === 'TOKEN_INVALID'), JSON.stringify(confirms));
    const reads = await race('/v1/email/confirmed', { email, purpose: 'register' }, 3);
    assert.equal(reads.filter((r) => r.body.confirmed === true).length, 1);
  });

  it('each process exports its own metrics, with the process figures', async () => {
    const text = await (await fetch(`${a.url}/metrics`)).text();
    assert.ok(metricValue(text, 'verifyd_captchas_issued_total') >= 1, text);
    assert.ok(metricValue(text, 'process_resident_memory_bytes') > 0, 'process metrics are exported');
  });
});
