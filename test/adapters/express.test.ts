// The HTTP contract through the Express middleware, mounted under a prefix before the application's body parser.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import express from 'express';
import { apiKeys } from '../../src/core/api-keys.ts';
import { BACKEND_KEY, testService } from '../helpers/service.ts';
import { verifydExpress } from '../../src/adapters/express.ts';
import { httpContract, PREFIX } from './http-contract.ts';

httpContract('Express middleware', async (options) => {
  const app = express();
  app.use(PREFIX, verifydExpress(options));
  app.use(express.json());
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    fetch: (path, init) => fetch(base + path, init),
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
});

it('takes a JSON body an application parser mounted before it has read already', async () => {
  const svc = await testService();
  const app = express();
  app.use(express.json());
  app.use(PREFIX, verifydExpress({ verifier: svc.verifier }));
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const { id, answer } = await svc.solvedCaptcha();
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${PREFIX}/v1/captchas/${id}/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ answer }),
    });
    assert.equal(((await response.json()) as { valid: boolean }).valid, true);
  } finally {
    server.close();
    await svc.close();
  }
});

it('takes a form an application urlencoded parser mounted before it has read, whatever the case of its type', async () => {
  const svc = await testService();
  const app = express();
  app.use(express.urlencoded({ extended: false, type: (req) => /^application\/x-www-form-urlencoded/i.test(String(req.headers['content-type'])) }));
  app.use(PREFIX, verifydExpress({ verifier: svc.verifier, apiKeys: apiKeys([{ name: 'test', key: BACKEND_KEY }]) }));
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${PREFIX}/v1/siteverify`, {
      method: 'POST',
      headers: { 'content-type': 'Application/X-WWW-Form-Urlencoded' },
      body: new URLSearchParams({ secret: BACKEND_KEY, response: 'vr1.nope' }).toString(),
    });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { success: boolean }).success, false);
  } finally {
    server.close();
    await svc.close();
  }
});
