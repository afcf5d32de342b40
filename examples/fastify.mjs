// verifyd as a plugin of a Fastify application, under /verify: `node examples/fastify.mjs`.
// Needs `npm install verifyd fastify`.
import Fastify from 'fastify';
import { createVerifier, memoryStore } from 'verifyd';
import { frameworkErrors, verifydPlugin } from 'verifyd/fastify';

const verifier = createVerifier({ store: memoryStore(), secret: Buffer.from(process.env.VERIFYD_SECRET ?? 'example-secret-change-me-0123456789abcdef') });
const app = Fastify({ frameworkErrors });
await app.register(verifydPlugin, { prefix: '/verify', verifier });
app.get('/', async () => 'the application; verifyd is at /verify/');
const address = await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
console.log(`listening on ${address}/verify/`);
