// The demo page and the browser helper: serves the static files of web/ (the sign-up page at
// `/`, its script and styles, and `/verifyd.js` for other sites) and the ALTCHA widget's files
// (under /altcha/, so no page needs a CDN; the build copies them from the `altcha` package into
// vendor/altcha/), read once at start-up, with a strict Content-Security-Policy and ETags for
// cheap revalidation.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { route, type Route } from '../routing.ts';

/** The route of each served file, its name in web/ and its media type. */
const FILES = [
  { route: '/', file: 'index.html', type: 'text/html; charset=utf-8' },
  { route: '/app.js', file: 'app.js', type: 'text/javascript; charset=utf-8' },
  { route: '/messages.js', file: 'messages.js', type: 'text/javascript; charset=utf-8' },
  { route: '/phone-check.js', file: 'phone-check.js', type: 'text/javascript; charset=utf-8' },
  { route: '/verifyd.js', file: 'verifyd.js', type: 'text/javascript; charset=utf-8' },
  { route: '/styles.css', file: 'styles.css', type: 'text/css; charset=utf-8' },
  { route: '/pow', file: 'pow.html', type: 'text/html; charset=utf-8' },
  { route: '/pow.js', file: 'pow.js', type: 'text/javascript; charset=utf-8' },
  { route: '/pow-demo.js', file: 'pow-demo.js', type: 'text/javascript; charset=utf-8' },
] as const;

/**
 * The widget's "external" build (no inline workers or styles, so it runs under the page's CSP),
 * its style sheet and its two workers, by route and path inside the package's dist/.
 */
const ALTCHA_FILES = [
  { route: '/altcha/altcha.js', file: 'external/altcha.min.js', type: 'text/javascript; charset=utf-8' },
  { route: '/altcha/altcha.css', file: 'external/altcha.css', type: 'text/css; charset=utf-8' },
  { route: '/altcha/pbkdf2.js', file: 'workers/pbkdf2.js', type: 'text/javascript; charset=utf-8' },
  { route: '/altcha/sha.js', file: 'workers/sha.js', type: 'text/javascript; charset=utf-8' },
] as const;

// Everything the page uses comes from this origin; captcha images and clips arrive as data: URLs.
const CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
  "media-src 'self' data:",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The headers of every HTML page verifyd serves: this strict CSP, no framing, no sniffing. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CSP,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
});

export interface WebRouteOptions {
  /** The folder holding the files; default: web/ at the package root. */
  root?: URL;
  /** Seconds browsers may reuse a script or style sheet before revalidating it. */
  maxAge?: number;
  /** A folder laid out as the `altcha` package's dist/; default: the copy in vendor/altcha/. */
  altchaRoot?: URL;
}

/**
 * GET (and HEAD) routes for the demo page and its assets. The files are read here, once: a
 * missing file fails start-up rather than a request. The page itself is revalidated on every load
 * (`no-cache` with an ETag answers 304 while unchanged); scripts and styles are reused for
 * `maxAge` seconds. `/verifyd.js` may be loaded as a module by any origin. The pages link their
 * files relatively, so under a path prefix `/verify` the page at `/verify` sends the browser to
 * `/verify/`, where those links resolve.
 */
export function webRoutes({
  root = new URL('../../../web/', import.meta.url),
  maxAge = 300,
  altchaRoot = new URL('../../../vendor/altcha/dist/', import.meta.url),
}: WebRouteOptions = {}): Route[] {
  const files = [...FILES.map((f) => ({ ...f, from: root })), ...ALTCHA_FILES.map((f) => ({ ...f, from: altchaRoot }))];
  return files.map(({ route: path, file, type, from }) => {
    const body = readFileSync(new URL(file, from));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    const isPage = file.endsWith('.html');
    const headers: Record<string, string> = {
      'content-type': type,
      etag,
      'cache-control': isPage ? 'no-cache' : `public, max-age=${maxAge}`,
      ...(isPage ? PAGE_HEADERS : { 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin' }),
      // Module scripts are fetched with CORS: other sites may import the helper.
      ...(file === 'verifyd.js' ? { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' } : {}),
    };
    return route({
      method: 'GET',
      path,
      handle: async (request) => {
        if (path === '/' && !request.path.endsWith('/')) return { status: 308, headers: { location: `${request.path}/${request.search}` } };
        if (matchesEtag(request.headers['if-none-match'], etag)) return { status: 304, headers };
        return { headers, body };
      },
    });
  });
}

// If-None-Match is a list of ETags (weak ones allowed, RFC 9110 §13.1.2) or `*`.
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}
