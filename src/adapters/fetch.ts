// A Web-standard handler, `(request: Request) => Promise<Response>`, for Next.js route handlers,
// Bun, Deno and service workers: each request goes through verifyd's own Fastify app in memory
// (its inject door), so routes, schemas, limits and errors are exactly the service's.

import type { FastifyInstance } from 'fastify';

export interface FetchHandlerOptions {
  /**
   * The client's address for per-IP limits; default: none, so only per-recipient limits apply.
   * Behind a proxy, take it from the header your platform sets (e.g. `x-real-ip`).
   */
  clientIp?: (request: Request) => string | undefined;
  /** A path prefix the routes are mounted under (e.g. `/api/verify`), stripped before routing. */
  prefix?: string;
}

/** Wraps `app` (from buildServer or createService) as a fetch handler. The app is readied on first use. */
export function fetchHandler(app: FastifyInstance, { clientIp = () => undefined, prefix = '' }: FetchHandlerOptions = {}): (request: Request) => Promise<Response> {
  const base = prefix.replace(/\/+$/, '');
  let ready: PromiseLike<unknown> | undefined;
  return async (request) => {
    await (ready ??= app.ready());
    const url = new URL(request.url);
    const path = base !== '' && url.pathname.startsWith(base) ? url.pathname.slice(base.length) || '/' : url.pathname;
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    const ip = clientIp(request);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    const reply = await app.inject({
      method: request.method as 'GET',
      url: path + url.search,
      headers,
      ...(hasBody ? { payload: Buffer.from(await request.arrayBuffer()) } : {}),
      ...(ip === undefined ? {} : { remoteAddress: ip }),
    });
    const answer = new Headers();
    for (const [name, value] of Object.entries(reply.headers)) {
      if (value === undefined || name === 'content-length' || name === 'transfer-encoding' || name === 'connection') continue;
      for (const v of Array.isArray(value) ? value : [String(value)]) answer.append(name, v);
    }
    const empty = request.method === 'HEAD' || reply.statusCode === 204 || reply.statusCode === 304;
    return new Response(empty ? null : new Uint8Array(reply.rawPayload), { status: reply.statusCode, headers: answer });
  };
}
