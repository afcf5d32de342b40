// The HTTP contract through the Hono app, routed under a prefix and served by @hono/node-server.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { verifydHono } from '../../src/adapters/hono.ts';
import { httpContract, PREFIX } from './http-contract.ts';

httpContract('Hono app', async (options) => {
  const app = new Hono();
  app.get('/', (c) => c.text('the application'));
  app.route(PREFIX, verifydHono(options));
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started as Server));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    fetch: (path, init) => fetch(base + path, init),
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
});
