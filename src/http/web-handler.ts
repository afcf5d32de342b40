// verifyd's HTTP API without a web framework: routes the table of api.ts, parses and validates
// bodies, queries and path parameters with the same schemas and validator as the Fastify plugin,
// and answers errors in the one shape. The fetch, Express and Hono adapters are thin doors onto
// it, so an application that embeds verifyd through them installs no Fastify.

import { VerifyError } from '../errors.ts';
import { describeInvalid, validatorOf } from '../core/schemas.ts';
import { runWithStoreBudget } from '../stores/store-budget.ts';
import { apiRoutes, definedOnly, type HttpOptions } from './api.ts';
import { HTTP_DEFAULTS } from './defaults.ts';
import { bodyKindOf, parseForm, parseJson, parseMultipart } from './body.ts';
import { withClient } from './client-context.ts';
import { errorAnswer, errorReporter, notFound, type ErrorLog } from './error-handler.ts';
import type { BodyKind, HttpAnswer, HttpRequest, Route } from './routing.ts';

export interface HandlerOptions extends HttpOptions {
  /** A path prefix the routes are mounted under (e.g. `/api/verify`); requests outside it get 404. */
  prefix?: string;
  /** Where unexpected errors and store outages are logged (any pino-like logger); default: nowhere. */
  logger?: ErrorLog;
}

/** A request as an adapter hands it over. */
export interface RawRequest {
  method: string;
  /** The path and query as the client sent them, mount prefix included: `/verify/v1/captchas?x=1`. */
  url: string;
  /** The prefix the application mounted verifyd under, when the framework knows it; default: the handler's `prefix`. */
  base?: string | undefined;
  /** By lower-case name. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /**
   * The body: its bytes, or a function that reads them (readBody keeps to the body limit),
   * called only for routes that take a body; undefined for none.
   */
  body?: Uint8Array | (() => Promise<Uint8Array | undefined>) | undefined;
  /** The client's address; undefined when the platform does not tell (no per-IP limits then). */
  ip?: string | undefined;
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  /** undefined for no body (HEAD, 204, 304, redirects). */
  body: Uint8Array | string | undefined;
}

export interface VerifydHandler {
  handle(request: RawRequest): Promise<RawAnswer>;
  /** The largest body `handle` takes, for adapters that read it (see readBody). */
  readonly bodyLimit: number;
}

// Fastify's default, kept so a long parameter is refused alike by every adapter.
const MAX_PARAM_LENGTH = 100;

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  names: string[];
}

/** A handler for the routes `options` enable, mounted under `options.prefix`. */
export function verifydHandler(options: HandlerOptions): VerifydHandler {
  const { ipv6Subnet, storeTimeout, bodyLimit } = { ...HTTP_DEFAULTS, ...definedOnly(options) };
  const prefix = (options.prefix ?? '').replace(/\/+$/, '');
  const errors = errorReporter(options.logger);
  const routes = apiRoutes(options).map(compile);

  /** The route for `method` at `path` (relative to the mount), with its parameters' raw values. */
  const find = (method: string, path: string): { compiled: CompiledRoute; values: string[] } | undefined => {
    let fallback: { compiled: CompiledRoute; values: string[] } | undefined;
    for (const compiled of routes) {
      const match = compiled.pattern.exec(path);
      if (!match) continue;
      if (compiled.route.method === method) return { compiled, values: match.slice(1) };
      // GET routes answer HEAD too, unless they say not to (or the path has a HEAD route of its own).
      if (method === 'HEAD' && compiled.route.method === 'GET' && compiled.route.head !== false) fallback ??= { compiled, values: match.slice(1) };
    }
    return fallback;
  };

  async function answer(raw: RawRequest): Promise<HttpAnswer> {
    const queryAt = raw.url.indexOf('?');
    const path = queryAt === -1 ? raw.url : raw.url.slice(0, queryAt);
    const search = queryAt === -1 ? '' : raw.url.slice(queryAt);
    try {
      decodeURIComponent(path);
    } catch {
      throw new VerifyError('INVALID_REQUEST', { message: 'The URL is not validly percent-encoded.' });
    }
    const base = raw.base === undefined ? prefix : raw.base.replace(/\/+$/, '');
    const inside = base === '' || path === base || path.startsWith(`${base}/`);
    const found = inside ? find(raw.method, normalise(path.slice(base.length))) : undefined;
    if (!found) throw notFound(raw.method, path);
    const { route, names } = found.compiled;

    // Measured decoded, as Fastify's router does, so `%61` counts as the one character it is.
    const values = found.values.map((value) => decodeURIComponent(value));
    if (values.some((value) => value.length > MAX_PARAM_LENGTH)) throw new VerifyError('INVALID_REQUEST', { message: 'A part of the URL is too long.' });
    const params = Object.fromEntries(names.map((name, i) => [name, values[i]!]));
    const query = parseQuery(search);
    const contentType = header(raw.headers, 'content-type');
    const { body, kind } = await parseBody(route, raw, contentType, bodyLimit);

    const fields = {
      method: raw.method,
      path,
      search,
      headers: flatHeaders(raw.headers),
      query: query as Record<string, string | undefined>,
      params,
      body,
      bodyKind: kind,
    };
    const request: HttpRequest = withClient(fields, () => raw.ip, raw.headers, { ipv6Subnet });
    const invalid = validate(route, request);
    if (invalid && !route.ownValidationErrors) throw invalid;
    const budget = { deadline: Date.now() + storeTimeout };
    try {
      return await runWithStoreBudget(budget, () => route.handle(request as HttpRequest<never, never, never>, invalid));
    } finally {
      budget.deadline = Infinity;
    }
  }

  return {
    bodyLimit,
    async handle(raw) {
      let result: HttpAnswer;
      try {
        result = await answer(raw);
      } catch (err) {
        result = errorAnswer(errors.report(err));
      }
      return encode(result, raw.method === 'HEAD');
    },
  };
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = normalise(route.path)
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), names };
}

// One trailing slash does not matter (Fastify's ignoreTrailingSlash, which strips one, not all); the root is '/'.
function normalise(path: string): string {
  const trimmed = path.replace(/\/$/, '');
  return trimmed === '' ? '/' : trimmed;
}

// As Fastify's query parser: a repeated key becomes an array (and then fails a string schema).
function parseQuery(search: string): Record<string, string | string[]> {
  // No prototype, as Fastify's parser: `__proto__` or `toString` in a query is a field like any other.
  const query: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of new URLSearchParams(search)) {
    const had = query[key];
    // Appended in place: copying the array on each repeat made a long query quadratic work.
    if (Array.isArray(had)) had.push(value);
    else query[key] = had === undefined ? value : [had, value];
  }
  return query;
}

async function parseBody(route: Route, raw: RawRequest, contentType: string | undefined, bodyLimit: number): Promise<{ body: unknown; kind: BodyKind }> {
  if (raw.method === 'GET' || raw.method === 'HEAD') return { body: undefined, kind: 'json' };
  const kind = bodyKindOf(contentType);
  // A type no route takes is refused unread, as Fastify does (no parser): 415, not 413 for a big one.
  if (contentType !== undefined && kind === undefined) throw new VerifyError('UNSUPPORTED_MEDIA_TYPE');
  const bytes = typeof raw.body === 'function' ? await raw.body() : raw.body;
  const empty = bytes === undefined || bytes.length === 0;
  // A Content-Type is judged even on an empty body, as Fastify does: a cross-site form with no
  // fields (or a no-cors text/plain post of '') must get 415 too, not run the route.
  if (empty && contentType === undefined) return { body: undefined, kind: 'json' };
  if (bytes && bytes.length > bodyLimit) throw new VerifyError('BODY_TOO_LARGE');
  if (kind === undefined || (kind !== 'json' && !(route.accepts ?? []).includes(kind))) throw new VerifyError('UNSUPPORTED_MEDIA_TYPE');
  if (empty && kind !== 'multipart') return { body: undefined, kind };
  const text = () => new TextDecoder().decode(bytes!);
  if (kind === 'json') return { body: parseJson(text()), kind };
  if (kind === 'form') return { body: parseForm(text()), kind };
  return { body: await parseMultipart(bytes ?? new Uint8Array(), contentType!), kind };
}

// In Fastify's order and words: params, then body, then query; `undefined` is validated as null.
function validate(route: Route, request: HttpRequest): VerifyError | undefined {
  const parts = [
    ['params', route.schema?.params, request.params],
    ['body', route.schema?.body, request.body],
    ['querystring', route.schema?.querystring, request.query],
  ] as const;
  for (const [name, schema, value] of parts) {
    if (!schema) continue;
    const check = validatorOf(schema);
    if (!check(value ?? null)) return new VerifyError('INVALID_REQUEST', { message: `Invalid request: ${describeInvalid(check, name)}` });
  }
  return undefined;
}

const DEFAULT_TYPES = { json: 'application/json; charset=utf-8', text: 'text/plain; charset=utf-8', bytes: 'application/octet-stream' };

function encode({ status = 200, headers = {}, body }: HttpAnswer, head: boolean): RawAnswer {
  const out = { ...headers };
  let bytes: Uint8Array | string | undefined;
  if (body === undefined) bytes = undefined;
  else if (typeof body === 'string') {
    out['content-type'] ??= DEFAULT_TYPES.text;
    bytes = body;
  } else if (body instanceof Uint8Array) {
    out['content-type'] ??= DEFAULT_TYPES.bytes;
    bytes = body;
  } else {
    out['content-type'] ??= DEFAULT_TYPES.json;
    bytes = JSON.stringify(body);
  }
  return { status, headers: out, body: head ? undefined : bytes };
}

function header(headers: RawRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function flatHeaders(headers: RawRequest['headers']): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = {};
  for (const name of Object.keys(headers)) flat[name] = header(headers, name);
  return flat;
}

/**
 * Reads a body stream whole, refusing it with BODY_TOO_LARGE as soon as it passes `limit` (an
 * announced Content-Length beyond it is refused before reading).
 */
export async function readBody(stream: AsyncIterable<Uint8Array> | null | undefined, limit: number, contentLength?: string): Promise<Uint8Array | undefined> {
  if (!stream) return undefined;
  if (contentLength !== undefined && Number(contentLength) > limit) throw new VerifyError('BODY_TOO_LARGE');
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += chunk.length;
      if (size > limit) throw new VerifyError('BODY_TOO_LARGE');
      chunks.push(chunk);
    }
  } catch (err) {
    // A client that hangs up mid-body is its own fault, as Fastify answers it (a 400, not logged):
    // otherwise every aborted upload would log an "unexpected error".
    if (err instanceof VerifyError) throw err;
    throw new VerifyError('INVALID_REQUEST', { message: 'The request body could not be read.', cause: err });
  }
  return Buffer.concat(chunks);
}

/**
 * Answers a Web-standard Request through `handler`, with the mount prefix and client address as
 * the platform knows them (for the fetch and Hono adapters).
 */
export async function answerRequest(handler: VerifydHandler, request: Request, { base, ip }: { base?: string; ip?: string | undefined } = {}): Promise<Response> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => (headers[name] = value));
  const answer = await handler.handle({
    method: request.method,
    url: url.pathname + url.search,
    ...(base === undefined ? {} : { base }),
    headers,
    // Node's ReadableStream is async-iterable; the DOM typings do not say so.
    body: () => readBody(request.body as unknown as AsyncIterable<Uint8Array> | null, handler.bodyLimit, headers['content-length']),
    ip,
  });
  return new Response(answer.body === undefined ? null : (answer.body as BodyInit), { status: answer.status, headers: answer.headers });
}
