// POST /v1/siteverify: Cloudflare Turnstile's siteverify, answered by verifyd, so a back end that
// verifies Turnstile tokens redeems verifyd receipts by changing one URL. Form-encoded or JSON.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isVerifyError, VerifyError } from '../../errors.ts';
import type { Verifier } from '../../core/verifier.ts';
import { bearerToken, type BackendAccess } from '../backend-auth.ts';

interface SiteverifyBody {
  /** The back-end key (Turnstile's secret); `Authorization: Bearer` works too. */
  secret?: string;
  /** The receipt the page handed over. */
  response?: string;
  /** Accepted for compatibility; receipts are not bound to an address (mobile clients change them). */
  remoteip?: string;
  idempotency_key?: string;
  /** verifyd's own: what the back end expects, checked before the receipt is spent. */
  action?: string;
  hostname?: string;
  phone?: string;
  email?: string;
}

const text = (maxLength: number) => ({ type: 'string', maxLength }) as const;

/** A refused receipt is a verdict: 200 in Turnstile's shape, `success` and `error-codes`. */
function refuse(reply: FastifyReply, reason: string): FastifyReply {
  return reply.header('cache-control', 'no-store').send({ success: false, 'error-codes': [reason] });
}

/** A bad request: Turnstile's shape for its clients, and verifyd's one error shape beside it. */
function fail(reply: FastifyReply, reason: string, err: VerifyError): FastifyReply {
  return reply.code(err.status).header('cache-control', 'no-store').send({ success: false, 'error-codes': [reason], ...err.toJSON() });
}

export function siteverifyRoutes(app: FastifyInstance, options: { verifier: Verifier; backend: BackendAccess }): void {
  // Turnstile clients post JSON, form-encoded or multipart (FormData) bodies: this route alone
  // takes all three. A cross-site form gains nothing here: nothing happens without the key.
  app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, async (request: FastifyRequest, body: Buffer) => {
      try {
        const form = await new Response(new Uint8Array(body), { headers: { 'content-type': String(request.headers['content-type']) } }).formData();
        // A file where a field belongs fails the schema below, as any other wrong type does.
        const fields: Record<string, unknown> = {};
        form.forEach((value, key) => (fields[key] = typeof value === 'string' ? value : {}));
        return fields;
      } catch {
        throw new VerifyError('INVALID_REQUEST', { message: 'The multipart body could not be read.' });
      }
    });
    siteverifyRoute(scope, options);
  });
}

function siteverifyRoute(app: FastifyInstance, { verifier, backend }: { verifier: Verifier; backend: BackendAccess }): void {
  app.post<{ Body: SiteverifyBody | undefined }>(
    '/v1/siteverify',
    {
      schema: {
        body: {
          type: ['object', 'null'],
          properties: {
            secret: text(512),
            response: text(4096),
            remoteip: text(64),
            idempotency_key: text(128),
            action: text(64),
            hostname: text(253),
            phone: text(32),
            email: text(320),
          },
        },
      },
      // Turnstile clients parse `success`: a body that fails the schema still gets that shape.
      attachValidation: true,
    },
    async (request, reply) => {
      if (request.validationError) return fail(reply, 'bad-request', new VerifyError('INVALID_REQUEST', { message: `Invalid request: ${request.validationError.message}` }));
      const body = request.body ?? {};
      const presented = body.secret ?? bearerToken(request);
      if (presented === undefined || presented === '') return fail(reply, 'missing-input-secret', new VerifyError('API_KEY_MISSING'));
      if (backend.keyName(presented) === null) return fail(reply, 'invalid-input-secret', new VerifyError('API_KEY_INVALID'));

      const recipient = body.phone ?? body.email;
      let outcome;
      try {
        outcome = await verifier.redeemReceipt(body.response, {
          ...(body.action === undefined ? {} : { action: body.action }),
          ...(body.hostname === undefined ? {} : { hostname: body.hostname }),
          ...(recipient === undefined ? {} : { recipient }),
          ...(body.idempotency_key === undefined ? {} : { idempotencyKey: body.idempotency_key }),
        });
      } catch (err) {
        // Fail closed: Turnstile clients read `success`, others the error code.
        if (isVerifyError(err)) return fail(reply, 'internal-error', err);
        throw err;
      }
      if (!outcome.success) return refuse(reply, outcome.error);
      const { claims } = outcome;
      return reply.header('cache-control', 'no-store').send({
        success: true,
        'error-codes': [],
        challenge_ts: new Date(claims.issuedAt * 1000).toISOString(),
        hostname: claims.hostname,
        action: claims.action,
        cdata: claims.cdata,
        channel: claims.channel,
        ...(claims.channel === 'captcha' || claims.channel === 'pow' ? {} : { purpose: claims.action }),
        ...(recipient === undefined ? {} : { recipient_match: true }),
      });
    },
  );
}
