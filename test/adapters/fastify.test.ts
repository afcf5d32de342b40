// The HTTP contract through the Fastify plugin, registered under a prefix in an application's own
// Fastify instance; and the service's app (buildServer) with a route of the application's.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import Fastify from 'fastify';
import { frameworkErrors, verifydPlugin } from '../../src/adapters/fastify.ts';
import { buildServer } from '../../src/http/server.ts';
import { testService } from '../helpers/service.ts';
import { httpContract, PREFIX } from './http-contract.ts';

httpContract('Fastify plugin', async (options) => {
  const app = Fastify({ frameworkErrors });
  app.get('/', async () => 'the application');
  await app.register(verifydPlugin, { prefix: PREFIX, ...options });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return { fetch: (path, init) => fetch(base + path, init), close: () => app.close() };
});

it("keeps Fastify's own validation and serialization for a route an application adds to buildServer's app", async () => {
  const svc = await testService();
  const app = buildServer({ verifier: svc.verifier });
  app.get(
    '/app/item',
    {
      schema: {
        querystring: { type: 'object', properties: { n: { type: 'integer' } } },
        headers: { type: 'object', properties: { 'x-app': { type: 'string', maxLength: 3 } } },
        response: { 200: { type: 'object', properties: { shown: { type: 'string' }, n: { type: 'integer' } } } },
      },
    },
    async (request) => ({ shown: 'yes', secret: 'never sent', n: (request.query as { n: number }).n }),
  );
  try {
    // ajv's coercion (?n=2 is the integer 2) and fast-json-stringify's filtering, as in any Fastify app.
    const item = await app.inject('/app/item?n=2');
    assert.equal(item.statusCode, 200);
    assert.deepEqual(item.json(), { shown: 'yes', n: 2 });
    assert.equal((await app.inject({ url: '/app/item', headers: { 'x-app': 'toolong' } })).statusCode, 400);
    // verifyd's own routes still take no coercion: a number is not a string.
    const send = await app.inject({ method: 'POST', url: '/v1/sms/send', payload: { phone: 13900000000, purpose: 'login' } });
    assert.equal(send.statusCode, 400);
    assert.equal(send.json().error.message, 'Invalid request: body/phone must be string');
  } finally {
    await app.close();
    await svc.close();
  }
});
