// Bad requests of every kind get a stable JSON error with a 4xx status, never a 500.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { createService, type Service } from '../../src/service/app.ts';
import { testService, type TestService } from '../helpers/service.ts';

let svc: TestService;
before(async () => {
  svc = await testService();
});
after(async () => {
  await svc.close();
});

function assertError(res: { statusCode: number; headers: Record<string, unknown>; json(): any }, status: number, code: string) {
  assert.equal(res.statusCode, status);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const body = res.json();
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
  assert.ok(body.error.message.length > 0);
}

describe('error responses', () => {
  it('an unknown route is 404 NOT_FOUND', async () => {
    assertError(await svc.app.inject({ method: 'GET', url: '/nope' }), 404, 'NOT_FOUND');
    assertError(await svc.app.inject({ method: 'DELETE', url: '/v1/captchas' }), 404, 'NOT_FOUND');
  });

  it('invalid JSON is 400 INVALID_JSON', async () => {
    for (const payload of ['{', '{"uuid":', 'null null', '\u0000']) {
      const res = await svc.app.inject({ method: 'POST', url: '/verify/image_codes/check', headers: { 'content-type': 'application/json' }, payload });
      assertError(res, 400, 'INVALID_JSON');
    }
  });

  it('a prototype-polluting body is refused', async () => {
    const res = await svc.app.inject({
      method: 'POST',
      url: '/verify/image_codes/check',
      headers: { 'content-type': 'application/json' },
      payload: '{"uuid":"x","code":"y","__proto__":{"polluted":true}}',
    });
    assertError(res, 400, 'INVALID_JSON');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('a body that is not JSON is 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await svc.app.inject({ method: 'POST', url: '/v1/captchas', headers: { 'content-type': 'text/xml' }, payload: '<a/>' });
    assertError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('an oversized body is 413 BODY_TOO_LARGE', async () => {
    const res = await svc.app.inject({
      method: 'POST',
      url: '/verify/image_codes/check',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ uuid: randomUUID(), code: 'x'.repeat(100_000) }),
    });
    assertError(res, 413, 'BODY_TOO_LARGE');
  });

  it('the rate limit answers 429 RATE_LIMITED with Retry-After', async () => {
    const limited: Service = await createService(loadConfig({ VERIFYD_CAPTCHA_RATE_LIMIT: '3' }));
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last = await limited.app.inject({ method: 'POST', url: '/v1/captchas', remoteAddress: '203.0.113.7' });
      statuses.push(last.statusCode);
    }
    assert.deepEqual(statuses, [201, 201, 201, 429, 429]);
    assertError(last!, 429, 'RATE_LIMITED');
    const retryAfter = Number(last!.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 60);
    assert.equal(last!.json().error.retry_after, retryAfter);
    // Another client is not affected.
    assert.equal((await limited.app.inject({ method: 'POST', url: '/v1/captchas', remoteAddress: '203.0.113.8' })).statusCode, 201);
    await limited.close();
  });

  it('X-Forwarded-For is ignored unless the proxy is trusted', async () => {
    const untrusted = await createService(loadConfig({ VERIFYD_CAPTCHA_RATE_LIMIT: '1' }));
    const send = (app: Service, xff: string) =>
      app.app.inject({ method: 'POST', url: '/v1/captchas', remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': xff } });
    assert.equal((await send(untrusted, '198.51.100.1')).statusCode, 201);
    assert.equal((await send(untrusted, '198.51.100.2')).statusCode, 429, 'spoofed XFF must not buy a fresh limit');
    await untrusted.close();

    const trusted = await createService(loadConfig({ VERIFYD_CAPTCHA_RATE_LIMIT: '1', VERIFYD_TRUST_PROXY: '10.0.0.1' }));
    assert.equal((await send(trusted, '198.51.100.1')).statusCode, 201);
    assert.equal((await send(trusted, '198.51.100.2')).statusCode, 201);
    assert.equal((await send(trusted, '198.51.100.1')).statusCode, 429);
    await trusted.close();
  });

  it('health and readiness answer on the memory store', async () => {
    assert.deepEqual((await svc.app.inject('/healthz')).json(), { status: 'ok' });
    assert.deepEqual((await svc.app.inject('/readyz')).json(), { status: 'ready', store: 'memory' });
  });
});
