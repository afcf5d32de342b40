// Liveness and readiness for load balancers and orchestrators.

import type { FastifyInstance } from 'fastify';
import type { Verifier } from '../../core/verifier.ts';

export function healthRoutes(app: FastifyInstance, { verifier }: { verifier: Verifier }): void {
  /** The process is up and serving HTTP. */
  app.get('/healthz', async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));
  /** The store answers; 503 STORE_UNAVAILABLE otherwise. */
  app.get('/readyz', async (_request, reply) => {
    await verifier.store.ping();
    return reply.header('cache-control', 'no-store').send({ status: 'ready', store: verifier.store.name });
  });
}
