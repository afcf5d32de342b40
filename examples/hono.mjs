// verifyd inside a Hono application, under /verify, on Node: `node examples/hono.mjs`. Needs
// `npm install verifyd hono @hono/node-server`; on Bun or Deno, export `app.fetch` instead.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createVerifier, memoryStore } from 'verifyd';
import { verifydHono } from 'verifyd/hono';

const verifier = createVerifier({ store: memoryStore(), secret: Buffer.from(process.env.VERIFYD_SECRET ?? 'example-secret-change-me-0123456789abcdef') });
const app = new Hono();
app.route('/verify', verifydHono({ verifier }));
app.get('/', (c) => c.text('the application; verifyd is at /verify/'));
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000), hostname: '127.0.0.1' }, ({ port }) => {
  console.log(`listening on http://127.0.0.1:${port}/verify/`);
});
