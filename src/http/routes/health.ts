// Liveness and readiness for load balancers and orchestrators.

import type { Verifier } from '../../core/verifier.ts';
import { json, route, type Route } from '../routing.ts';

export function healthRoutes({ verifier }: { verifier: Verifier }): Route[] {
  return [
    /** The process is up and serving HTTP. */
    route({ method: 'GET', path: '/healthz', handle: async () => json({ status: 'ok' }) }),
    /** The store answers; 503 STORE_UNAVAILABLE otherwise. */
    route({
      method: 'GET',
      path: '/readyz',
      handle: async () => {
        await verifier.store.ping();
        return json({ status: 'ready', store: verifier.store.name });
      },
    }),
  ];
}
