// Maps every failure to the one JSON error shape with a stable code: VerifyErrors by their
// table row, a framework's own request errors to the nearest code, anything else to a logged
// 500. The mapping is shared by every adapter; installErrorHandling wires it into Fastify.

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { VerifyError, type ErrorCode } from '../errors.ts';
import { logThrottle } from '../service/log-throttle.ts';
import type { HttpAnswer } from './routing.ts';

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_REQUEST',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
};

/** The answer of `err`: `{"error":{"code","message"}}` with its status (and Retry-After for limits). */
export function errorAnswer(err: VerifyError): HttpAnswer {
  return {
    status: err.status,
    headers: {
      'cache-control': 'no-store',
      'content-type': 'application/json; charset=utf-8',
      ...(err.retryAfter === undefined ? {} : { 'retry-after': String(err.retryAfter) }),
    },
    body: err.toJSON(),
  };
}

/** Sends `err` as errorAnswer words it. */
export function sendError(reply: FastifyReply, err: VerifyError): FastifyReply {
  const { status, headers, body } = errorAnswer(err);
  return reply.code(status!).headers(headers!).send(body);
}

/** Any thrown value as the VerifyError to answer with. */
export function toVerifyError(err: unknown): VerifyError {
  if (err instanceof VerifyError) return err;
  const fault = (err ?? {}) as Partial<FastifyError>;
  if (fault.validation) return new VerifyError('INVALID_REQUEST', { message: `Invalid request: ${fault.message}` });
  const mapped = fault.code === undefined ? undefined : FASTIFY_CODES[fault.code];
  if (mapped) return new VerifyError(mapped, { cause: err });
  if (err instanceof SyntaxError) return new VerifyError('INVALID_JSON');
  const status = fault.statusCode ?? 500;
  if (status >= 400 && status < 500) return new VerifyError('INVALID_REQUEST', { message: String(fault.message), cause: err });
  return new VerifyError('INTERNAL_ERROR', { cause: err });
}

/** Where failures are told: any pino-like logger. */
export interface ErrorLog {
  error(object: object, message: string): void;
  warn(object: object, message: string): void;
}

/**
 * Maps `err` and logs what an operator must see: an unexpected error in full, a store outage
 * as one line per cause and interval with a count. `flush` reports the counts left at shutdown.
 */
export function errorReporter(log: ErrorLog | undefined): { report(err: unknown): VerifyError; flush(): void } {
  const storeWarnings = logThrottle();
  return {
    report(err) {
      const mapped = toVerifyError(err);
      if (mapped.code === 'INTERNAL_ERROR') log?.error({ err }, 'unexpected error');
      else if (mapped.code === 'STORE_UNAVAILABLE') {
        const cause = rootMessage(mapped.cause);
        storeWarnings.note(cause, (count) => log?.warn({ cause, count }, 'store unavailable'));
      }
      return mapped;
    },
    flush: () => storeWarnings.flush(),
  };
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

/** The message of a request no route matches. */
export const notFound = (method: string, path: string) => new VerifyError('NOT_FOUND', { message: `No route ${method} ${path}.` });

/** The error handler of `app` (its scope) and, unless `notFoundHandler` is false, its 404 handler. */
export function installErrorHandling(app: FastifyInstance, { notFoundHandler = true }: { notFoundHandler?: boolean } = {}): void {
  const errors = errorReporter(app.log);
  app.addHook('onClose', (_instance, done) => {
    errors.flush();
    done();
  });
  app.setErrorHandler((err: FastifyError, _request, reply) => sendError(reply, errors.report(err)));
  if (notFoundHandler) app.setNotFoundHandler((request, reply) => sendError(reply, notFound(request.method, request.url.split('?')[0]!)));
}
