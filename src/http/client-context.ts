// Each request's `client`: who the per-client limits count, taken from the client's address
// (after the --trust-proxy rules, or as the adapter's platform reports it) and grouped as
// clientSubject does, and the site it came from. Every adapter hands this to the core, so every
// per-IP limit sees the same subject.

import { clientSubject, type ClientSubjectOptions } from '../core/limits/client-subject.ts';
import type { ClientContext } from '../core/verifier.ts';

/** The client of a request from `ip` (undefined: unknown, so no per-IP limit applies) with these headers. */
function clientOf(ip: string | undefined, headers: Readonly<Record<string, string | string[] | undefined>>, options: ClientSubjectOptions = {}): ClientContext {
  const site = siteOf(headers);
  return ip === undefined || ip === '' ? { site } : { ip: clientSubject(ip, options), site };
}

/** The hostname of the page a browser request came from: its Origin, else its Referer; '' for none. */
function siteOf(headers: Readonly<Record<string, string | string[] | undefined>>): string {
  for (const value of [headers.origin, headers.referer]) {
    if (typeof value === 'string' && URL.canParse(value)) return new URL(value).hostname;
  }
  return '';
}

/**
 * `request` with a `client` computed on first read (and kept), from the address `ip` gives: most requests (pages, scripts,
 * health checks) never ask who the client is, so they do not pay for it.
 */
export function withClient<T extends object>(
  request: T,
  ip: () => string | undefined,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  options: ClientSubjectOptions,
): T & { readonly client: ClientContext } {
  let client: ClientContext | undefined;
  return Object.defineProperty(request, 'client', { enumerable: true, get: () => (client ??= clientOf(ip(), headers, options)) }) as T & { readonly client: ClientContext };
}
