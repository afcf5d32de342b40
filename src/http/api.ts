// The HTTP API's options and its route table: what every adapter (the Fastify plugin, the
// Web-standard handler and the Express and Hono adapters built on it) serves.

import type { Verifier } from '../core/verifier.ts';
import { apiKeys, type ApiKeys } from '../core/api-keys.ts';
import { backendAccess } from './backend-auth.ts';
import type { Route } from './routing.ts';
import { captchaRoutes } from './routes/captchas.ts';
import { demoBackendRoutes } from './routes/demo-backend.ts';
import { emailRoutes } from './routes/email.ts';
import { healthRoutes } from './routes/health.ts';
import { imageCodeRoutes } from './routes/image-codes.ts';
import { powRoutes } from './routes/pow.ts';
import { siteverifyRoutes } from './routes/siteverify.ts';
import { smsRoutes } from './routes/sms.ts';
import { webRoutes } from './routes/web.ts';

export interface HttpOptions {
  verifier: Verifier;
  /** The application back ends' keys; without any, nothing meant for a back end can be reached. */
  apiKeys?: ApiKeys;
  /** Browsers may call the code checks (browser-direct mode); false: the back-end key is required. */
  publicChecks?: boolean;
  /** Product name on the email confirm page. */
  brand?: string;
  /** Where the confirm page sends a confirmed visitor; empty shows a message. */
  confirmRedirect?: string;
  /** Serves the demo page and the browser helper (`/`, `/verifyd.js`, …); default true. */
  pages?: boolean;
  /** Serves the demo page's stand-in back end at /demo/signup (never in production); default false. */
  demoBackend?: boolean;
  /** Prefix length by which IPv6 clients share per-client limits; IPv4 clients count per address. */
  ipv6Subnet?: number;
  /** Milliseconds one request may wait on the store over all its calls; then STORE_UNAVAILABLE. */
  storeTimeout?: number;
  /** Largest request body in bytes; larger ones get 413 BODY_TOO_LARGE. */
  bodyLimit?: number;
}

/** Every route the options enable. */
export function apiRoutes({
  verifier,
  apiKeys: keys = apiKeys([]),
  publicChecks = true,
  brand = 'verifyd',
  confirmRedirect = '',
  pages = true,
  demoBackend = false,
}: HttpOptions): Route[] {
  const backend = backendAccess({ keys, publicChecks });
  return [
    ...healthRoutes({ verifier }),
    ...imageCodeRoutes({ verifier }),
    ...captchaRoutes({ verifier }),
    ...powRoutes({ verifier }),
    ...smsRoutes({ verifier, backend }),
    ...emailRoutes({ verifier, brand, confirmRedirect, backend }),
    ...siteverifyRoutes({ verifier, backend }),
    ...(demoBackend ? demoBackendRoutes({ verifier }) : []),
    ...(pages ? webRoutes() : []),
  ];
}

/** `options` without its undefined values, so they do not override defaults when spread. */
export function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
