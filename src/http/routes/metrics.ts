// GET /metrics for Prometheus, and the hooks that feed request latency and limit hits into the
// service's metrics.

import type { FastifyInstance } from 'fastify';
import { isVerifyError } from '../../errors.ts';
import type { Metrics } from '../../metrics.ts';

export function metricsRoutes(app: FastifyInstance, { metrics }: { metrics: Metrics }): void {
  // Labelled by route pattern, never by the raw URL: random paths must not mint new series.
  app.addHook('onResponse', (request, reply, done) => {
    metrics.requestDone(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.addHook('onError', (_request, _reply, error, done) => {
    if (isVerifyError(error) && error.status === 429) metrics.limitHit(error.code);
    done();
  });

  app.get(
    '/metrics',
    { schema: { summary: 'Prometheus metrics in the text exposition format' } },
    async (_request, reply) => reply.header('cache-control', 'no-store').type(metrics.contentType).send(await metrics.render()),
  );
}
