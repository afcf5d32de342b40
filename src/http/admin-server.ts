// The admin listener's app: /metrics, /openapi.json and /docs, apart from the public API so that
// they can be bound to a private address (127.0.0.1 by default). Like buildServer, it does not
// listen.

import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Metrics } from '../service/metrics.ts';
import { installErrorHandling } from './error-handler.ts';
import { openApiRoutes } from './openapi.ts';
import { metricsRoute } from './routes/metrics.ts';
import { SERVICE_SCHEMA_CONTROLLER } from './server.ts';

export interface AdminServerOptions {
  /** Served at /metrics; none without. */
  metrics?: Metrics | undefined;
  /** The public app, built with `apiDocs`: its OpenAPI document is served at /openapi.json and /docs; none without. */
  apiDocsOf?: FastifyInstance | undefined;
  /** A pino logger, or false for none. */
  logger?: FastifyBaseLogger | false;
}

export function buildAdminServer({ metrics, apiDocsOf, logger = false }: AdminServerOptions): FastifyInstance {
  const app = Fastify({
    routerOptions: { ignoreTrailingSlash: true },
    return503OnClosing: true,
    requestTimeout: 10_000,
    connectionTimeout: 10_000,
    schemaController: SERVICE_SCHEMA_CONTROLLER,
    ...(logger ? { loggerInstance: logger } : { logger: false }),
  }) as unknown as FastifyInstance;
  installErrorHandling(app);
  if (metrics) metricsRoute(app, { metrics });
  if (apiDocsOf) openApiRoutes(app, apiDocsOf);
  return app;
}
