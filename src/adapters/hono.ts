// verifyd as a Hono app: `app.route('/verify', verifydHono({ verifier }))` serves the API under
// that path on any runtime Hono runs on. No Fastify; Hono itself is the application's (an
// optional peer dependency of verifyd).

import { Hono, type Context } from 'hono';
import { answerRequest, verifydHandler, type HandlerOptions } from '../http/web-handler.ts';

export interface HonoOptions extends Omit<HandlerOptions, 'prefix'> {
  /**
   * The client's address for per-IP limits; default: the socket's under @hono/node-server
   * (`c.env.incoming`), else none. Behind a proxy, read the header it sets; on Bun or Deno,
   * what `getConnInfo` from their Hono helper gives.
   */
  clientIp?: (c: Context) => string | undefined;
}

/** A Hono app serving verifyd's API; mount it with `app.route(prefix, …)`. */
export function verifydHono({ clientIp = nodeServerAddress, ...options }: HonoOptions): Hono {
  const handler = verifydHandler(options);
  // The mount path comes from the pattern that matched: `/verify/*` → `/verify`.
  return new Hono().all('*', (c) => answerRequest(handler, c.req.raw, { base: c.req.routePath.replace(/\/?\*$/, ''), ip: clientIp(c) }));
}

function nodeServerAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}
