// A Web-standard handler, `(request: Request) => Promise<Response>`, for Next.js route handlers,
// Bun, Deno, Cloudflare-style workers and anything else that speaks Request and Response. No
// Fastify: requests go through verifyd's framework-free handler (http/web-handler.ts).

import { answerRequest, verifydHandler, type HandlerOptions } from '../http/web-handler.ts';

export interface FetchHandlerOptions extends HandlerOptions {
  /**
   * The client's address for per-IP limits; default: none, so only per-recipient limits apply.
   * Take it from what your platform gives: Bun's `server.requestIP(request)`, Deno's
   * `info.remoteAddr`, or behind a proxy the header it sets (e.g. `x-real-ip`).
   */
  clientIp?: (request: Request) => string | undefined;
}

/** verifyd's API as a fetch handler, mounted under `prefix` (default: the root). */
export function fetchHandler({ clientIp = () => undefined, ...options }: FetchHandlerOptions): (request: Request) => Promise<Response> {
  const handler = verifydHandler(options);
  return (request) => answerRequest(handler, request, { ip: clientIp(request) });
}
