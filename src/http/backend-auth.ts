// Who is calling: the application's back end proves itself with a key (Authorization: Bearer),
// everyone else is a browser. Routes meant for the back end require it; the check routes use it
// to decide whom they answer and what they may tell.

import { VerifyError } from '../errors.ts';
import type { ApiKeys } from '../core/api-keys.ts';

/** What the checks read of a request: its headers, by lower-case name. */
type WithHeaders = { readonly headers: Readonly<Record<string, string | string[] | undefined>> };

export interface BackendAccessOptions {
  keys: ApiKeys;
  /** Browsers may call the code checks (browser-direct mode); false: the back end only. */
  publicChecks?: boolean;
}

export interface BackendAccess {
  /** The name of the configured key `presented` is, else null (constant time, see ApiKeys). */
  keyName(presented: string | undefined): string | null;
  /**
   * The name of the back-end key `request` carries, or null when it carries none. A key that is
   * given but wrong throws API_KEY_INVALID, never falls back to the public answer: a
   * misconfigured back end should hear of it at once.
   */
  caller(request: WithHeaders): string | null;
  /** Like `caller`, but a request without a key is refused too (API_KEY_MISSING). */
  require(request: WithHeaders): string;
  /**
   * For the code checks: whether the caller is the back end (and may learn the attempts left).
   * Refuses browsers with API_KEY_MISSING when checks are not public.
   */
  checkCaller(request: WithHeaders): boolean;
}

/** The bearer token of `request`; undefined when it sends no Authorization, '' for another scheme. */
export function bearerToken(request: WithHeaders): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  if (typeof header !== 'string') return '';
  return /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header)?.[1] ?? '';
}

export function backendAccess({ keys, publicChecks = true }: BackendAccessOptions): BackendAccess {
  const caller = (request: WithHeaders) => {
    const token = bearerToken(request);
    if (token === undefined) return null;
    const name = keys.verify(token);
    if (name === null) throw new VerifyError('API_KEY_INVALID');
    return name;
  };
  const require = (request: WithHeaders) => {
    const name = caller(request);
    if (name === null) throw new VerifyError('API_KEY_MISSING');
    return name;
  };
  return {
    keyName: (presented) => keys.verify(presented),
    caller,
    require,
    checkCaller: (request) => (publicChecks ? caller(request) !== null : (require(request), true)),
  };
}
