// The reference the bench measures verifyd against: the seed's endpoint done the usual Node way,
// Fastify + svg-captcha + ioredis, in as many node:cluster workers as verifyd gets.
//
//   node --import tsx bench/reference-server.ts <port> <redis-url> <workers>
//
// GET /verify/image_codes/?uuid=… draws svgCaptcha.create() (its defaults: 4 characters, one
// noise line, 150 × 50), stores the text with SETEX 300 under the uuid, and answers the SVG. No
// logging, no validation beyond a missing uuid: the least a server can do for this endpoint.

import cluster from 'node:cluster';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import svgCaptcha from 'svg-captcha';
import { forkWorkers } from './cluster-primary.ts';

const [port = '0', redisUrl = 'redis://127.0.0.1:6379/0', workers = '2'] = process.argv.slice(2);

if (cluster.isPrimary) {
  let listening = 0;
  for (const worker of forkWorkers(Number(workers))) {
    worker.on('message', (message: unknown) => {
      if (message === 'listening' && ++listening === Number(workers)) process.stdout.write(`reference listening on http://127.0.0.1:${port}\n`);
    });
  }
} else {
  const redis = new Redis(redisUrl);
  const app = Fastify({ logger: false });
  app.get<{ Querystring: { uuid?: string } }>('/verify/image_codes/', async (request, reply) => {
    const uuid = request.query.uuid;
    if (!uuid) return reply.code(403).send();
    const { text, data } = svgCaptcha.create();
    await redis.setex(uuid, 300, text);
    return reply.header('cache-control', 'no-store').type('image/svg+xml').send(data);
  });
  await app.listen({ port: Number(port), host: '127.0.0.1' });
  process.send?.('listening');
  process.on('SIGTERM', () => {
    void app.close().then(() => {
      redis.disconnect();
      process.exit(0);
    });
  });
}
