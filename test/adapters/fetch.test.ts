// The HTTP contract through the Web-standard handler, called with Request objects as Next.js, Bun or Deno would.
import { fetchHandler } from '../../src/adapters/fetch.ts';
import { httpContract, PREFIX } from './http-contract.ts';

httpContract('fetch handler', async (options) => {
  const handle = fetchHandler({ prefix: PREFIX, ...options, clientIp: (request) => request.headers.get('x-real-ip') ?? '127.0.0.1' });
  return {
    fetch: (path, init) => handle(new Request(`https://app.example${path}`, init)),
    close: async () => {},
  };
});
