// The HTTP contract through the Fastify plugin, registered under a prefix in an application's own Fastify instance.
import Fastify from 'fastify';
import { frameworkErrors, verifydPlugin } from '../../src/adapters/fastify.ts';
import { httpContract, PREFIX } from './http-contract.ts';

httpContract('Fastify plugin', async (options) => {
  const app = Fastify({ frameworkErrors });
  app.get('/', async () => 'the application');
  await app.register(verifydPlugin, { prefix: PREFIX, ...options });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return { fetch: (path, init) => fetch(base + path, init), close: () => app.close() };
});
