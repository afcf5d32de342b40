// verifyd as Express middleware: `app.use('/verify', verifydExpress({ verifier }))` serves the
// API under the mount path. No Fastify, and nothing imported from Express either: the types
// below are the parts of Express's request and response it uses.

import { bodyKindOf } from '../http/body.ts';
import { readBody, verifydHandler, type HandlerOptions } from '../http/web-handler.ts';

/** The parts of an Express (or Node http) request the middleware reads. */
export interface ExpressLikeRequest extends AsyncIterable<Uint8Array> {
  method: string;
  /** The URL as the client sent it (Express's `originalUrl`), falling back to `url`. */
  originalUrl?: string;
  url: string;
  /** The mount path Express consumed (`/verify`). */
  baseUrl?: string;
  headers: Record<string, string | string[] | undefined>;
  /** The client address after Express's `trust proxy` setting. */
  ip?: string;
  /** The connection, whose address is the client's where there is no `ip` (Node http, Connect). */
  socket?: { remoteAddress?: string | undefined };
  /** A body an earlier body parser already read (express.json(), express.urlencoded(), express.raw()). */
  body?: unknown;
  readableEnded?: boolean;
}

/** The parts of an Express (or Node http) response the middleware writes. */
export interface ExpressLikeResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: Uint8Array | string): unknown;
}

export interface ExpressOptions extends Omit<HandlerOptions, 'prefix'> {
  /**
   * The client's address for per-IP limits; default: `req.ip` (set Express's `trust proxy` behind a
   * proxy), else the socket's, so per-IP limits hold under Node http and Connect too.
   */
  clientIp?: (request: ExpressLikeRequest) => string | undefined;
}

/** Express middleware serving verifyd's API under the path it is mounted at. */
export function verifydExpress({ clientIp = (request) => request.ip ?? request.socket?.remoteAddress, ...options }: ExpressOptions): (request: ExpressLikeRequest, response: ExpressLikeResponse, next: (err?: unknown) => void) => void {
  const handler = verifydHandler(options);
  return (request, response, next) => {
    handler
      .handle({
        method: request.method,
        url: request.originalUrl ?? request.url,
        base: request.baseUrl ?? '',
        headers: request.headers,
        body: () => bodyOf(request, handler.bodyLimit),
        ip: clientIp(request),
      })
      .then(({ status, headers, body }) => {
        response.statusCode = status;
        for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
        response.end(body);
      }, next);
  };
}

// A body parser mounted before verifyd has read the stream already: take what it parsed, in
// the form the Content-Type announces, so the answer is the same as without it.
async function bodyOf(request: ExpressLikeRequest, limit: number): Promise<Uint8Array | undefined> {
  if (!request.readableEnded || request.body === undefined) {
    const length = request.headers['content-length'];
    return readBody(request, limit, typeof length === 'string' ? length : undefined);
  }
  const { body } = request;
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return Buffer.from(body);
  const type = request.headers['content-type'];
  if (bodyKindOf(typeof type === 'string' ? type : undefined) === 'form') return Buffer.from(new URLSearchParams(body as Record<string, string>).toString());
  return Buffer.from(JSON.stringify(body));
}
