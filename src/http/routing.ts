// The HTTP API as data: each route is a method, a path, JSON schemas and a handler from a plain
// request to a plain answer, with no web framework in it. The Fastify plugin and the Web-standard
// handler (under the fetch, Express and Hono adapters) serve the same table, so every adapter
// answers every request alike.

import type { ClientContext } from '../core/verifier.ts';
import type { VerifyError } from '../errors.ts';

/** What a body arrived as: JSON (or none), a form, or multipart form data. */
export type BodyKind = 'json' | 'form' | 'multipart';

/** A request as a route sees it, already parsed and validated against the route's schemas. */
export interface HttpRequest<Body = unknown, Query = Record<string, string | undefined>, Params = Record<string, string>> {
  readonly method: string;
  /** The path as the client sent it, path prefix included (for links and redirects). */
  readonly path: string;
  /** The query string as sent, with its `?`; '' for none. */
  readonly search: string;
  /** Headers by lower-case name; a repeated header is joined with `, `. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly query: Query;
  readonly params: Params;
  readonly body: Body;
  readonly bodyKind: BodyKind;
  /** Who is asking, for the core's per-client limits and receipts. */
  readonly client: ClientContext;
}

/** A route's answer: an object or array is sent as JSON, a string or bytes as they are. */
export interface HttpAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface RouteSchema {
  body?: object;
  querystring?: object;
  params?: object;
  /** Kept out of the OpenAPI document. */
  hide?: boolean;
}

export interface Route {
  method: 'GET' | 'HEAD' | 'POST';
  /** Fastify's syntax: `/v1/captchas/:id/check`. */
  path: string;
  schema?: RouteSchema;
  /**
   * Body types this route takes besides JSON. Only routes a cross-site form can gain nothing
   * from list any: everywhere else a form post from another site gets 415.
   */
  accepts?: readonly Exclude<BodyKind, 'json'>[];
  /** GET routes answer HEAD too (without a body) unless false. */
  head?: boolean;
  /**
   * Handles a request that failed the schemas itself (`invalid` set) instead of the standard
   * INVALID_REQUEST error: for clients that read a protocol's own error shape.
   */
  ownValidationErrors?: boolean;
  handle(request: HttpRequest<never, never, never>, invalid?: VerifyError): Promise<HttpAnswer>;
}

/** A route with its handler typed for its schemas (the schemas are checked before it runs). */
export function route<Body = undefined, Query = Record<string, string | undefined>, Params = Record<string, string>>(
  definition: Omit<Route, 'handle'> & { handle(request: HttpRequest<Body, Query, Params>, invalid?: VerifyError): Promise<HttpAnswer> },
): Route {
  return definition as Route;
}

/** `no-store` on everything an API route answers: codes, receipts and verdicts must not be cached. */
export const NO_STORE = { 'cache-control': 'no-store' } as const;

/** A JSON answer that no cache keeps. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): HttpAnswer {
  return { status, headers: { ...NO_STORE, ...headers }, body };
}
