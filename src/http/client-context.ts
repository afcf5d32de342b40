// Each request's `client`: who the per-client limits count, taken from request.ip (after the
// --trust-proxy rules) and grouped as clientSubject does, and the site it came from. Every route
// hands this to the core, so every per-IP limit sees the same subject.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clientSubject, type ClientSubjectOptions } from '../core/limits/client-subject.ts';
import type { ClientContext } from '../core/verifier.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The client as the core's limits see it: `ip` is an IPv4 address or an IPv6 network. */
    readonly client: ClientContext;
  }
}

/** Gives every request of `app` its `client`, computed when read. */
export function decorateClient(app: FastifyInstance, { ipv6Subnet = 64 }: ClientSubjectOptions = {}): void {
  app.decorateRequest('client', {
    getter(this: { ip: string; headers: FastifyRequest['headers'] }) {
      return { ip: clientSubject(this.ip, { ipv6Subnet }), site: siteOf(this.headers) };
    },
  });
}

/** The hostname of the page a browser request came from: its Origin, else its Referer; '' for none. */
function siteOf(headers: FastifyRequest['headers']): string {
  for (const value of [headers.origin, headers.referer]) {
    if (typeof value === 'string' && URL.canParse(value)) return new URL(value).hostname;
  }
  return '';
}
