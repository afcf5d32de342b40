// Attack: rotate X-Forwarded-For (and X-Real-IP) on every request to get a fresh per-IP quota,
// through each adapter verifyd embeds with. None may believe those headers by default: the
// Fastify plugin counts `request.ip` (no trustProxy), the Express middleware `req.ip` (no
// `trust proxy`), the Hono app the socket's address. And a limit must count each address on its
// own: a second address still gets its quota.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { verifydExpress } from '../../src/adapters/express.ts';
import { verifydPlugin } from '../../src/adapters/fastify.ts';
import { verifydHono } from '../../src/adapters/hono.ts';
import type { Verifier } from '../../src/core/verifier.ts';
import { testService, type TestService } from '../helpers/service.ts';

const PREFIX = '/auth/verify';

const MOUNTS: Record<string, (verifier: Verifier) => Promise<{ port: number; close(): Promise<void> }>> = {
  'Fastify plugin': async (verifier) => {
    const app = Fastify();
    await app.register(verifydPlugin, { prefix: PREFIX, verifier });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { port: (app.server.address() as AddressInfo).port, close: () => app.close() };
  },
  'Express middleware': async (verifier) => {
    const app = express();
    app.use(PREFIX, verifydExpress({ verifier }));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return { port: (server.address() as AddressInfo).port, close: () => closeServer(server) };
  },
  'Hono app': async (verifier) => {
    const app = new Hono();
    app.route(PREFIX, verifydHono({ verifier }));
    const server = await new Promise<Server>((resolve) => {
      const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started as Server));
    });
    return { port: (server.address() as AddressInfo).port, close: () => closeServer(server) };
  },
};

const closeServer = (server: Server) => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));

// POST /v1/captchas from the loopback address `from`, claiming to be `claimed`.
const issue = (port: number, from: string, claimed: string) =>
  new Promise<number>((resolve, reject) => {
    const sent = httpRequest(
      { host: '127.0.0.1', port, localAddress: from, method: 'POST', path: `${PREFIX}/v1/captchas`, headers: { 'x-forwarded-for': claimed, 'x-real-ip': claimed } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode!));
      },
    );
    sent.on('error', reject);
    sent.end();
  });

for (const [adapter, mount] of Object.entries(MOUNTS)) {
  describe(`X-Forwarded-For rotation through the ${adapter}`, () => {
    const open: (TestService | { close(): Promise<void> })[] = [];
    after(async () => {
      for (const thing of open.reverse()) await thing.close();
    });

    it('gets no fresh quota, and another address keeps its own', async () => {
      const svc = await testService({ VERIFYD_CAPTCHA_RATE_LIMIT: '2' });
      open.push(svc);
      const app = await mount(svc.verifier);
      open.push(app);
      const statuses: number[] = [];
      for (let i = 1; i <= 3; i++) statuses.push(await issue(app.port, '127.0.0.1', `203.0.113.${i}`));
      assert.deepEqual(statuses, [201, 201, 429]);
      assert.equal(await issue(app.port, '127.0.0.2', '203.0.113.1'), 201);
    });
  });
}
