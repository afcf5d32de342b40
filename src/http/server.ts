// Builds the service's Fastify app: a fresh instance with the server's timeouts and limits, the
// operator routes (metrics, OpenAPI) when asked, and verifyd's plugin at the root. It does not
// listen; the CLI (or a test's inject()) decides that.

import { createRequire } from 'node:module';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { verifydPlugin } from '../adapters/fastify.ts';
import type { Metrics } from '../service/metrics.ts';
import type { HttpOptions } from './api.ts';
import { HTTP_DEFAULTS } from './defaults.ts';
import { frameworkErrors, installErrorHandling } from './error-handler.ts';
import { openApiDocument, openApiRoutes } from './openapi.ts';
import { metricsHooks, metricsRoute } from './routes/metrics.ts';

// Fastify's default compilers, from Fastify's own dependencies (so that they resolve under any
// installer's layout), loaded on first use.
const fromFastify = (id: string): unknown => createRequire(createRequire(import.meta.url).resolve('fastify'))(id);
type CompilerFactory = (externalSchemas: unknown, options: unknown) => unknown;
let defaultValidators: CompilerFactory | undefined;
let defaultSerializers: CompilerFactory | undefined;

/**
 * The compilers of the service's Fastify instances: Fastify's defaults (ajv, with its type
 * coercion; fast-json-stringify for response schemas), but loaded only when a route outside
 * verifyd's plugin, which validates with the validators compiled at build time, has a schema.
 * verifyd's own apps have none, so they never load ajv or fast-json-stringify (about 140
 * modules at start-up); a route an application adds to buildServer's app gets Fastify's usual
 * behaviour. One difference: Fastify takes such a factory as a custom compiler and passes a
 * headers schema on as written, so write its property names in lower case.
 */
export const SERVICE_SCHEMA_CONTROLLER: FastifyServerOptions['schemaController'] = {
  compilersFactory: {
    buildValidator: ((externalSchemas: unknown, options: unknown) => {
      defaultValidators ??= (fromFastify('@fastify/ajv-compiler') as () => CompilerFactory)();
      return defaultValidators(externalSchemas, options);
    }) as never,
    buildSerializer: ((externalSchemas: unknown, options: unknown) => {
      defaultSerializers ??= (fromFastify('@fastify/fast-json-stringify-compiler') as () => CompilerFactory)();
      return defaultSerializers(externalSchemas, options);
    }) as never,
  },
};

export interface ServerOptions extends HttpOptions {
  /** Proxies whose X-Forwarded-For is believed; otherwise the client IP is the socket's. */
  trustProxy?: false | string[];
  /** A pino logger, or false for none. */
  logger?: FastifyBaseLogger | false;
  /** The service's metrics: fed with request latency and limit hits, and served at /metrics. */
  metrics?: Metrics | undefined;
  /** Makes the OpenAPI document (`app.swagger()`), served at /openapi.json with its viewer at /docs. */
  apiDocs?: boolean;
  /**
   * Serves /metrics, /openapi.json and /docs on this app. False leaves them to an admin app
   * (buildAdminServer), or to nobody: they tell a stranger too much to be public in production.
   */
  operatorRoutes?: boolean;
  /** Milliseconds for a request's headers and body to arrive; also the longest a connection may stay silent. */
  requestTimeout?: number;
  /** Milliseconds for a request's headers to arrive; at most `requestTimeout`. */
  headersTimeout?: number;
  /** Milliseconds an idle keep-alive connection stays open between requests. */
  keepAliveTimeout?: number;
  /** Connections held at once; more are closed on arrival. */
  maxConnections?: number;
}

/**
 * The service's Fastify app. Without timeouts a client that sends headers and then stalls would
 * hold its socket forever, so every phase of a connection has one: a request must arrive whole
 * within `requestTimeout` (headers within `headersTimeout`), a silent connection is closed after
 * `requestTimeout`, an idle keep-alive one after `keepAliveTimeout`; beyond `maxConnections`,
 * new connections are closed on arrival. Each request may wait on the store `storeTimeout` in
 * all, then fails with STORE_UNAVAILABLE.
 */
export function buildServer({
  trustProxy = false,
  logger = false,
  metrics,
  apiDocs = false,
  operatorRoutes = true,
  requestTimeout = HTTP_DEFAULTS.requestTimeout,
  headersTimeout = HTTP_DEFAULTS.headersTimeout,
  keepAliveTimeout = HTTP_DEFAULTS.keepAliveTimeout,
  maxConnections = HTTP_DEFAULTS.maxConnections,
  ...http
}: ServerOptions): FastifyInstance {
  const app = Fastify({
    trustProxy,
    bodyLimit: http.bodyLimit ?? HTTP_DEFAULTS.bodyLimit,
    requestTimeout,
    connectionTimeout: requestTimeout,
    keepAliveTimeout,
    // Node enforces the request and header timeouts on this tick (default 30 s), not per socket.
    http: { connectionsCheckingInterval: Math.min(1000, headersTimeout) },
    routerOptions: { ignoreTrailingSlash: true },
    return503OnClosing: true,
    frameworkErrors,
    schemaController: SERVICE_SCHEMA_CONTROLLER,
    ...(logger ? { loggerInstance: logger } : { logger: false }),
  }) as unknown as FastifyInstance;
  app.server.headersTimeout = headersTimeout;
  app.server.maxConnections = maxConnections;

  installErrorHandling(app);
  // Before every route: the OpenAPI generator learns the routes as they are declared.
  if (apiDocs) openApiDocument(app);
  if (apiDocs && operatorRoutes) openApiRoutes(app);
  if (metrics) metricsHooks(app, { metrics });
  if (metrics && operatorRoutes) metricsRoute(app, { metrics });
  void app.register(verifydPlugin, http);
  return app;
}
