// Maps every failure to the one JSON error shape with a stable code: VerifyErrors by their
// table row, Fastify's own request errors to the nearest code, anything else to a logged 500.

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { VerifyError, type ErrorCode } from '../errors.ts';
import { logThrottle } from '../service/log-throttle.ts';

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_REQUEST',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
};

/** Sends `err` as `{"error":{"code","message"}}` with its status (and Retry-After for limits). */
export function sendError(reply: FastifyReply, err: VerifyError): FastifyReply {
  if (err.retryAfter !== undefined) reply.header('retry-after', String(err.retryAfter));
  return reply.code(err.status).header('cache-control', 'no-store').type('application/json; charset=utf-8').send(err.toJSON());
}

function toVerifyError(err: FastifyError): VerifyError {
  if (err instanceof VerifyError) return err;
  if (err.validation) return new VerifyError('INVALID_REQUEST', { message: `Invalid request: ${err.message}` });
  const mapped = FASTIFY_CODES[err.code];
  if (mapped) return new VerifyError(mapped, { cause: err });
  if (err instanceof SyntaxError) return new VerifyError('INVALID_JSON');
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) return new VerifyError('INVALID_REQUEST', { message: err.message, cause: err });
  return new VerifyError('INTERNAL_ERROR', { cause: err });
}

const ROUTING_MESSAGES: Record<string, string> = {
  FST_ERR_BAD_URL: 'The URL is not validly percent-encoded.',
  FST_ERR_MAX_PARAM_LENGTH: 'A part of the URL is too long.',
};

/**
 * Fastify's `frameworkErrors` option: errors raised before routing (a malformed percent-encoding,
 * an overlong path segment) in the same JSON shape as every other error, without echoing the URL.
 */
export function frameworkErrors(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const message = ROUTING_MESSAGES[err.code] ?? 'The request could not be routed.';
  void sendError(reply, new VerifyError('INVALID_REQUEST', { message, cause: err }));
}

/** The innermost message of an error's cause chain: what actually went wrong. */
function rootMessage(err: unknown): string {
  let current = err;
  while (current instanceof Error && current.cause !== undefined) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

export function installErrorHandling(app: FastifyInstance): void {
  // A store outage fails every request the same way: one line per cause and interval, with a count.
  const storeWarnings = logThrottle();
  app.addHook('onClose', (_instance, done) => {
    storeWarnings.flush();
    done();
  });
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const mapped = toVerifyError(err);
    if (mapped.code === 'INTERNAL_ERROR') request.log.error({ err }, 'unexpected error');
    else if (mapped.code === 'STORE_UNAVAILABLE') {
      const cause = rootMessage(mapped.cause);
      storeWarnings.note(cause, (count) => app.log.warn({ cause, count }, 'store unavailable'));
    }
    return sendError(reply, mapped);
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, new VerifyError('NOT_FOUND', { message: `No route ${request.method} ${request.url.split('?')[0]}.` })));
}
