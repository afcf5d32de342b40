// Builds the Fastify app around a Verifier: parsers, error mapping and routes. It does not
// listen; the CLI (or a test's inject()) decides that.

import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { VerifyError } from '../errors.ts';
import type { Verifier } from '../verifier.ts';
import { decorateClient } from './client-context.ts';
import { frameworkErrors, installErrorHandling } from './error-handler.ts';
import type { Metrics } from '../metrics.ts';
import { openApiRoutes } from './openapi.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { captchaRoutes } from './routes/captchas.ts';
import { healthRoutes } from './routes/health.ts';
import { imageCodeRoutes } from './routes/image-codes.ts';
import { smsRoutes } from './routes/sms.ts';
import { emailRoutes } from './routes/email.ts';
import { webRoutes } from './routes/web.ts';
import { siteverifyRoutes } from './routes/siteverify.ts';
import { powRoutes } from './routes/pow.ts';
import { backendAccess } from './backend-auth.ts';
import { apiKeys, type ApiKeys } from '../trust/api-keys.ts';

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
  /** The service's metrics: served at /metrics, fed with request latency and limit hits. */
  metrics?: Metrics | undefined;
  /** Serves the OpenAPI document at /openapi.json and its viewer at /docs. */
  apiDocs?: boolean;
  /** The application back ends' keys; without any, nothing meant for a back end can be reached. */
  apiKeys?: ApiKeys;
  /** Browsers may call the code checks (browser-direct mode); false: the back-end key is required. */
  publicChecks?: boolean;
}

export function buildServer({ verifier, trustProxy = false, ipv6Subnet = 64, bodyLimit = 16_384, logger = false, brand = 'verifyd', confirmRedirect = '', metrics, apiDocs = false, apiKeys: keys = apiKeys([]), publicChecks = true }: ServerOptions): FastifyInstance {
  const backend = backendAccess({ keys, publicChecks });
  const app = Fastify({
    trustProxy,
    bodyLimit,
    routerOptions: { ignoreTrailingSlash: true },
    return503OnClosing: true,
    frameworkErrors,
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  }) as unknown as FastifyInstance;

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

  // The email confirm page's form posts form-encoded; a repeated field keeps its last value.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  installErrorHandling(app);
  decorateClient(app, { ipv6Subnet });
  // Before every route: the OpenAPI generator learns the routes as they are declared.
  if (apiDocs) openApiRoutes(app);
  if (metrics) metricsRoutes(app, { metrics });
  healthRoutes(app, { verifier });
  imageCodeRoutes(app, { verifier });
  captchaRoutes(app, { verifier });
  powRoutes(app, { verifier });
  smsRoutes(app, { verifier, backend });
  emailRoutes(app, { verifier, brand, confirmRedirect, backend });
  siteverifyRoutes(app, { verifier, backend });
  webRoutes(app);
  return app;
}

// Prototype pollution guard, as Fastify's default parser does.
function rejectProtoKeys(key: string, value: unknown): unknown {
  if (key === '__proto__' || key === 'constructor') throw new SyntaxError('forbidden key');
  return value;
}
