// Operator routes on the public listener: /metrics (traffic, limits hit, store errors),
// /openapi.json and /docs told anyone who could reach the API how it is used and configured. In
// production they are served only by the admin listener (--admin-port, bound to 127.0.0.1 by
// default), and /docs carries the same CSP and nosniff as every page.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createService, type Service } from '../../src/service/app.ts';
import { loadConfig } from '../../src/config.ts';
import { freePort } from '../helpers/redis-server.ts';
import { PRODUCTION } from '../helpers/service.ts';
import { startVerifyd, type VerifydProcess } from '../helpers/verifyd-process.ts';

const OPERATOR_ROUTES = ['/metrics', '/openapi.json', '/docs'];


describe('in production without an admin listener', () => {
  let service: Service;
  before(async () => {
    service = await createService(loadConfig(PRODUCTION));
  });
  after(async () => {
    await service.close();
  });

  for (const url of OPERATOR_ROUTES) {
    it(`GET ${url} on the public listener is 404`, async () => {
      const res = await service.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 404, res.body);
      assert.equal(res.json().error.code, 'NOT_FOUND');
    });
  }

  it('there is no admin app, and the API itself still answers', async () => {
    assert.equal(service.admin, undefined);
    assert.equal((await service.app.inject({ method: 'POST', url: '/v1/captchas' })).statusCode, 201);
  });
});

describe('in production with --admin-port', () => {
  let service: Service;
  before(async () => {
    service = await createService(loadConfig({ ...PRODUCTION, VERIFYD_ADMIN_PORT: String(await freePort()) }));
  });
  after(async () => {
    await service.close();
  });

  for (const url of OPERATOR_ROUTES) {
    it(`GET ${url} is 404 on the public listener and served by the admin one`, async () => {
      assert.equal((await service.app.inject({ method: 'GET', url })).statusCode, 404);
      const res = await service.admin!.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, res.body);
    });
  }

  it('the admin /metrics counts the public requests', async () => {
    await service.app.inject({ method: 'POST', url: '/v1/captchas' });
    const text = (await service.admin!.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(text, /verifyd_http_request_duration_seconds_count\{[^}]*route="\/v1\/captchas"[^}]*\} [1-9]/);
  });

  it('the admin /openapi.json documents the public API', async () => {
    const doc = (await service.admin!.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, unknown> };
    assert.ok(doc.paths['/v1/sms/send'], Object.keys(doc.paths).join(' '));
  });

  it('/docs has the strict CSP and nosniff of every page', async () => {
    const res = await service.admin!.inject({ method: 'GET', url: '/docs' });
    assert.match(String(res.headers['content-security-policy']), /default-src 'self'.*script-src 'self'.*frame-ancestors 'none'/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
  });
});

describe('in development without an admin listener', () => {
  let service: Service;
  before(async () => {
    service = await createService(loadConfig({}));
  });
  after(async () => {
    await service.close();
  });

  it('the operator routes are on the public listener, /docs with the page headers', async () => {
    for (const url of OPERATOR_ROUTES) assert.equal((await service.app.inject({ method: 'GET', url })).statusCode, 200, url);
    const docs = await service.app.inject({ method: 'GET', url: '/docs' });
    assert.equal(docs.headers['x-content-type-options'], 'nosniff');
    assert.match(String(docs.headers['content-security-policy']), /script-src 'self'/);
  });
});

describe('verifyd serve in production with --admin-port', () => {
  let verifyd: VerifydProcess;
  let admin: string;
  before(async () => {
    const port = await freePort();
    admin = `http://127.0.0.1:${port}`;
    verifyd = await startVerifyd(['--admin-port', String(port)], PRODUCTION);
    await verifyd.waitForLine(/verifyd admin listening/);
  });
  after(async () => {
    await verifyd?.stop('SIGKILL');
  });

  it('serves /metrics on the admin port only, and stops both listeners on SIGTERM', async () => {
    assert.equal((await fetch(`${verifyd.url}/metrics`)).status, 404);
    assert.equal((await fetch(`${admin}/metrics`)).status, 200);
    assert.equal(await verifyd.stop('SIGTERM'), 0);
    await assert.rejects(fetch(`${admin}/metrics`));
  });
});
