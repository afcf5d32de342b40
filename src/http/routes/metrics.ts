// GET /metrics for Prometheus, and the hooks that feed request latency and limit hits into the
// service's metrics. The hooks go on the public app; the route goes wherever operators scrape
// (the public app, or the admin app of http/admin-server.ts).

import type { FastifyInstance } from 'fastify';
import { isVerifyError } from '../../errors.ts';
import type { Metrics } from '../../service/metrics.ts';

/** Counts every answered request of `app` and every limit it refused. */
export function metricsHooks(app: FastifyInstance, { metrics }: { metrics: Metrics }): void {
  // Labelled by route pattern, never by the raw URL: random paths must not mint new series.
  app.addHook('onResponse', (request, reply, done) => {
    metrics.requestDone(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.addHook('onError', (_request, _reply, error, done) => {
    if (isVerifyError(error) && error.status === 429) metrics.limitHit(error.code);
    done();
  });
}

/** Serves `metrics` at GET /metrics on `app`. */
export function metricsRoute(app: FastifyInstance, { metrics }: { metrics: Metrics }): void {
  app.get(
    '/metrics',
    { schema: { summary: 'Prometheus metrics in the text exposition format' } },
    async (_request, reply) => reply.header('cache-control', 'no-store').type(metrics.contentType).send(await metrics.render()),
  );
}
