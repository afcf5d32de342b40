// verifyd as a Web-standard `(Request) => Promise<Response>` handler, under /verify: what a
// Next.js route handler (`export { handle as GET, handle as POST }`), Bun.serve or Deno.serve
// takes. Served here on Node by @hono/node-server's adapter: `node examples/fetch.mjs`.
import { serve } from '@hono/node-server';
import { createVerifier, memoryStore } from 'verifyd';
import { fetchHandler } from 'verifyd/fetch';

const verifier = createVerifier({ store: memoryStore(), secret: Buffer.from(process.env.VERIFYD_SECRET ?? 'example-secret-change-me-0123456789abcdef') });
// Behind a proxy, take the client's address from the header it sets; without one, no per-IP limits.
const handle = fetchHandler({ verifier, prefix: '/verify', clientIp: (request) => request.headers.get('x-real-ip') ?? undefined });
serve({ fetch: handle, port: Number(process.env.PORT ?? 3000), hostname: '127.0.0.1' }, ({ port }) => {
  console.log(`listening on http://127.0.0.1:${port}/verify/`);
});
