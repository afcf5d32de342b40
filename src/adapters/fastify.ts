// verifyd as a Fastify plugin: `app.register(verifyd, { prefix: '/verify', verifier })` serves
// the whole API (and, unless `pages: false`, the demo page and browser helper) under the prefix,
// in a scope of its own: its body parsers, validator, error shape and 404s do not touch the
// rest of the application. Fastify is the application's (an optional peer dependency).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiRoutes, definedOnly, type HttpOptions } from '../http/api.ts';
import { HTTP_DEFAULTS } from '../http/defaults.ts';
import { bodyKindOf, parseForm, parseJson, parseMultipart } from '../http/body.ts';
import { withClient } from '../http/client-context.ts';
import { installErrorHandling, toVerifyError } from '../http/error-handler.ts';
import type { HttpAnswer, HttpRequest, Route } from '../http/routing.ts';
import { VerifyError } from '../errors.ts';
import { validatorOf } from '../core/schemas.ts';
import { runWithStoreBudget } from '../stores/store-budget.ts';

export type { HttpOptions } from '../http/api.ts';
// The service as `verifyd serve` runs it: a fresh Fastify instance with the plugin at its root,
// and the whole service (store, senders, HTTP app) from a configuration.
export { buildServer } from '../http/server.ts';
export type { ServerOptions } from '../http/server.ts';
export { createService } from '../service/app.ts';
export type { Service, ServiceHooks } from '../service/app.ts';
/**
 * For `Fastify({ frameworkErrors })`: the few errors Fastify raises before routing (a malformed
 * percent-encoding, an overlong path segment) in verifyd's error shape. Instance-wide, so optional.
 */
export { frameworkErrors } from '../http/error-handler.ts';

/** The plugin's options: the API's (HttpOptions); Fastify's own `prefix` mounts it. */
export type VerifydPluginOptions = HttpOptions;

/**
 * Registers verifyd's routes on `app` (an encapsulated scope). The client address is Fastify's
 * `request.ip`, so set the instance's `trustProxy` when it runs behind a proxy.
 */
export async function verifydPlugin(app: FastifyInstance, options: VerifydPluginOptions): Promise<void> {
  const { ipv6Subnet, storeTimeout, bodyLimit } = { ...HTTP_DEFAULTS, ...definedOnly(options) };

  // Bodies are JSON only, but for the routes that list more (`accepts`): the three types an
  // HTML form on any site can post from a visitor's browser get 415 everywhere else.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJson(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request, body, done) => {
    if (!accepts(request, 'form')) return done(new VerifyError('UNSUPPORTED_MEDIA_TYPE'), undefined);
    done(null, parseForm(body as string));
  });
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, async (request: FastifyRequest, body: Buffer) => {
    if (!accepts(request, 'multipart')) throw new VerifyError('UNSUPPORTED_MEDIA_TYPE');
    return parseMultipart(new Uint8Array(body), String(request.headers['content-type']));
  });
  app.setValidatorCompiler(({ schema }) => validatorOf(schema));

  // The budget runs from the handler's start; once the response is sent, work the request left
  // behind (a delivery's feedback, say) is no longer held to it.
  app.addHook('preHandler', (_request, reply, done) => {
    const budget = { deadline: Date.now() + storeTimeout };
    reply.raw.once('close', () => (budget.deadline = Infinity));
    runWithStoreBudget(budget, done);
  });
  // At the root, the instance's own 404 handler stays (buildServer sets one); under a prefix, the
  // prefix's 404s get verifyd's error shape.
  installErrorHandling(app, { notFoundHandler: app.prefix !== '' });

  for (const route of apiRoutes(options)) {
    app.route({
      method: route.method,
      url: route.path,
      ...(route.schema ? { schema: route.schema } : {}),
      exposeHeadRoute: route.method === 'GET' && route.head !== false,
      attachValidation: route.ownValidationErrors === true,
      bodyLimit,
      config: { accepts: route.accepts ?? [] },
      handler: async (request, reply) => {
        const invalid = request.validationError ? toVerifyError(request.validationError) : undefined;
        return send(reply, await route.handle(httpRequest(request, ipv6Subnet) as HttpRequest<never, never, never>, invalid));
      },
    });
  }
}

function accepts(request: FastifyRequest, kind: 'form' | 'multipart'): boolean {
  return ((request.routeOptions.config as { accepts?: Route['accepts'] }).accepts ?? []).includes(kind);
}

function httpRequest(request: FastifyRequest, ipv6Subnet: number): HttpRequest {
  const query = request.url.indexOf('?');
  const plain = {
    method: request.method,
    path: query === -1 ? request.url : request.url.slice(0, query),
    search: query === -1 ? '' : request.url.slice(query),
    headers: request.headers as Record<string, string | undefined>,
    query: (request.query ?? {}) as Record<string, string | undefined>,
    params: (request.params ?? {}) as Record<string, string>,
    body: request.body,
    bodyKind: bodyKindOf(request.headers['content-type']) ?? 'json',
  };
  // request.ip applies the trustProxy rules: read only when a route asks who the client is.
  return withClient(plain, () => request.ip, request.headers, { ipv6Subnet });
}

function send(reply: FastifyReply, { status = 200, headers = {}, body }: HttpAnswer): FastifyReply {
  reply.code(status).headers(headers);
  return body === undefined ? reply.send() : reply.send(body);
}
