// /metrics: what the service counts, through the public door.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { SECRET, testService, type TestService } from '../helpers/service.ts';
import { randomMobile } from '../flows/sms-flow.ts';
import { metricValue } from '../helpers/metrics-text.ts';

const scrape = async (svc: TestService) => {
  const res = await svc.app.inject({ method: 'GET', url: '/metrics' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  return res.body;
};

describe('metrics on the memory store', () => {
  let svc: TestService;
  before(async () => {
    svc = await testService();
  });
  after(async () => {
    await svc.close();
  });

  it('counts captchas issued, and checks by result', async () => {
    const issue = async () => (await svc.app.inject({ method: 'POST', url: '/v1/captchas' })).json() as { id: string };
    const check = (id: string, answer: string) => svc.app.inject({ method: 'POST', url: `/v1/captchas/${id}/check`, payload: { answer } });
    const before = await scrape(svc);
    const a = await issue();
    const b = await issue();
    await check(a.id, svc.answers.get(a.id)!);
    await check(b.id, 'wrong');
    await check(b.id, 'again');
    const text = await scrape(svc);
    const delta = (name: string, labels?: Record<string, string>) => metricValue(text, name, labels) - metricValue(before, name, labels);
    assert.equal(delta('verifyd_captchas_issued_total'), 2);
    assert.equal(delta('verifyd_captchas_checked_total', { result: 'valid' }), 1);
    assert.equal(delta('verifyd_captchas_checked_total', { result: 'wrong' }), 1);
    assert.equal(delta('verifyd_captchas_checked_total', { result: 'missing' }), 1);
  });

  it('counts codes sent by channel and result, and limits hit by error code', async () => {
    const { bare } = randomMobile();
    const send = async () =>
      svc.app.inject({ method: 'POST', url: '/v1/sms/send', payload: { phone: bare, purpose: 'register', captcha: await svc.solvedCaptcha() } });
    assert.equal((await send()).statusCode, 202);
    const again = await send();
    assert.equal(again.statusCode, 429);
    await svc.verifier.drain();
    const text = await scrape(svc);
    assert.equal(metricValue(text, 'verifyd_codes_sent_total', { channel: 'sms', result: 'sent' }), 1);
    assert.equal(metricValue(text, 'verifyd_limits_hit_total', { code: 'SEND_TOO_SOON' }), 1);
  });

  it('labels request latency by route pattern, never by the raw URL', async () => {
    for (const path of ['/v1/captchas/8e1f9c3a-9c55-4a6e-a1f1-3f0e8f1f2a11/check', '/v1/captchas/11111111-2222-4333-8444-555555555555/check']) {
      await svc.app.inject({ method: 'POST', url: path, payload: { answer: 'x' } });
    }
    await svc.app.inject({ method: 'GET', url: '/no/such/page-1' });
    await svc.app.inject({ method: 'GET', url: '/no/such/page-2' });
    const text = await scrape(svc);
    assert.ok(metricValue(text, 'verifyd_http_request_duration_seconds_count', { route: '/v1/captchas/:id/check', status_code: '200' }) >= 2, text);
    assert.equal(metricValue(text, 'verifyd_http_request_duration_seconds_count', { route: 'unmatched', status_code: '404' }), 2);
    assert.doesNotMatch(text, /8e1f9c3a|page-1/);
  });

});

it('counts the captchas the bounded memory store drops', async () => {
  const svc = await testService({ VERIFYD_MEMORY_MAX_CAPTCHAS: '3' });
  try {
    for (let i = 0; i < 6; i++) await svc.app.inject({ method: 'POST', url: '/v1/captchas' });
    const text = await scrape(svc);
    assert.equal(metricValue(text, 'verifyd_memory_store_evictions_total'), 3);
    assert.equal(metricValue(text, 'verifyd_memory_store_entries'), 3);
  } finally {
    await svc.close();
  }
});

describe('metrics on Redis', () => {
  let redis: TestRedis;
  let svc: TestService;
  before(async () => {
    redis = await startRedis();
    svc = await testService({ VERIFYD_REDIS_URL: redis.url(7), VERIFYD_SECRET: SECRET });
  });
  after(async () => {
    await svc?.close();
    await redis?.close();
  });

  it('counts store errors by operation while Redis is down', async () => {
    await redis.stop();
    try {
      const res = await svc.app.inject({ method: 'POST', url: '/v1/captchas' });
      assert.equal(res.statusCode, 503);
      assert.equal((await svc.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 503);
      const text = await scrape(svc);
      assert.ok(metricValue(text, 'verifyd_store_errors_total', { operation: 'putCaptcha' }) >= 1, text);
      assert.ok(metricValue(text, 'verifyd_store_errors_total', { operation: 'ping' }) >= 1, text);
      assert.ok(metricValue(text, 'verifyd_http_request_duration_seconds_count', { route: '/v1/captchas', status_code: '503' }) >= 1, text);
    } finally {
      await redis.start();
    }
  });
});

it('serves no /metrics with --metrics false', async () => {
  const svc = await testService({ VERIFYD_METRICS: 'false' });
  try {
    assert.equal((await svc.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 404);
    assert.equal(svc.metrics, undefined);
  } finally {
    await svc.close();
  }
});
