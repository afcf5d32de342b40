// Builds the Fastify app around a Verifier: parsers, error mapping and routes. It does not
// listen; the CLI (or a test's inject()) decides that.

import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { VerifyError } from '../errors.ts';
import { runWithStoreBudget } from '../stores/store-budget.ts';
import type { Verifier } from '../core/verifier.ts';
import { decorateClient } from './client-context.ts';
import { frameworkErrors, installErrorHandling } from './error-handler.ts';
import type { Metrics } from '../service/metrics.ts';
import { openApiDocument, openApiRoutes } from './openapi.ts';
import { metricsHooks, metricsRoute } from './routes/metrics.ts';
import { captchaRoutes } from './routes/captchas.ts';
import { healthRoutes } from './routes/health.ts';
import { imageCodeRoutes } from './routes/image-codes.ts';
import { smsRoutes } from './routes/sms.ts';
import { emailRoutes } from './routes/email.ts';
import { webRoutes } from './routes/web.ts';
import { siteverifyRoutes } from './routes/siteverify.ts';
import { demoBackendRoutes } from './routes/demo-backend.ts';
import { powRoutes } from './routes/pow.ts';
import { backendAccess } from './backend-auth.ts';
import { apiKeys, type ApiKeys } from '../core/api-keys.ts';

export interface ServerOptions {
  verifier: Verifier;
  /** Proxies whose X-Forwarded-For is believed; otherwise the client IP is the socket's. */
  trustProxy?: false | string[];
  /** Prefix length by which IPv6 clients share per-client limits; IPv4 clients count per address. */
  ipv6Subnet?: number;
  bodyLimit?: number;
  /** A pino logger, or false for none. */
  logger?: FastifyBaseLogger | false;
  /** Product name on the email confirm page. */
  brand?: string;
  /** Where the confirm page sends a confirmed visitor; empty shows a message. */
  confirmRedirect?: string;
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
  /** Milliseconds one request may wait on the store over all its calls, until its response is sent. */
  storeTimeout?: number;
  /** The application back ends' keys; without any, nothing meant for a back end can be reached. */
  apiKeys?: ApiKeys;
  /** Browsers may call the code checks (browser-direct mode); false: the back-end key is required. */
  publicChecks?: boolean;
  /** Serves the demo page's stand-in back end at /demo/signup (never in production). */
  demoBackend?: boolean;
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
  verifier,
  trustProxy = false,
  ipv6Subnet = 64,
  bodyLimit = 16_384,
  logger = false,
  brand = 'verifyd',
  confirmRedirect = '',
  metrics,
  apiDocs = false,
  operatorRoutes = true,
  requestTimeout = 10_000,
  headersTimeout = 5_000,
  keepAliveTimeout = 5_000,
  maxConnections = 4096,
  storeTimeout = 1000,
  apiKeys: keys = apiKeys([]),
  publicChecks = true,
  demoBackend = false,
}: ServerOptions): FastifyInstance {
  const backend = backendAccess({ keys, publicChecks });
  const app = Fastify({
    trustProxy,
    bodyLimit,
    requestTimeout,
    connectionTimeout: requestTimeout,
    keepAliveTimeout,
    // Node enforces the request and header timeouts on this tick (default 30 s), not per socket.
    http: { connectionsCheckingInterval: Math.min(1000, headersTimeout) },
    routerOptions: { ignoreTrailingSlash: true },
    return503OnClosing: true,
    frameworkErrors,
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  }) as unknown as FastifyInstance;
  app.server.headersTimeout = headersTimeout;
  app.server.maxConnections = maxConnections;

  // An empty JSON body is "no options" rather than an error, so `curl -X POST` works.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = (body as string).trim();
    if (text === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text, rejectProtoKeys));
    } catch {
      done(new VerifyError('INVALID_JSON'), undefined);
    }
  });

  // Bodies are JSON only: the three types an HTML form (or a no-cors fetch) on any site can post
  // from a visitor's browser — form-encoded, multipart and text/plain — get 415. The email
  // confirm page's own form is the one exception, accepted on its route alone (routes/email.ts).
  app.removeContentTypeParser('text/plain');

  // The budget runs from the handler's start; once the response is sent, work the request left
  // behind (a delivery's feedback, say) is no longer held to it.
  app.addHook('preHandler', (_request, reply, done) => {
    const budget = { deadline: Date.now() + storeTimeout };
    reply.raw.once('close', () => (budget.deadline = Infinity));
    runWithStoreBudget(budget, done);
  });

  installErrorHandling(app);
  decorateClient(app, { ipv6Subnet });
  // Before every route: the OpenAPI generator learns the routes as they are declared.
  if (apiDocs) openApiDocument(app);
  if (apiDocs && operatorRoutes) openApiRoutes(app);
  if (metrics) metricsHooks(app, { metrics });
  if (metrics && operatorRoutes) metricsRoute(app, { metrics });
  healthRoutes(app, { verifier });
  imageCodeRoutes(app, { verifier });
  captchaRoutes(app, { verifier });
  powRoutes(app, { verifier });
  smsRoutes(app, { verifier, backend });
  emailRoutes(app, { verifier, brand, confirmRedirect, backend });
  siteverifyRoutes(app, { verifier, backend });
  if (demoBackend) demoBackendRoutes(app, { verifier });
  webRoutes(app);
  return app;
}

// Prototype pollution guard, as Fastify's default parser does.
function rejectProtoKeys(key: string, value: unknown): unknown {
  if (key === '__proto__' || key === 'constructor') throw new SyntaxError('forbidden key');
  return value;
}
