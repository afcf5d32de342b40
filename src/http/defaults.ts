// The HTTP layer's defaults, in one place: every adapter, the service's
// Fastify instance (server.ts) and config.ts's OPTIONS table read them.

export const HTTP_DEFAULTS = {
  /** Prefix length by which IPv6 clients share per-client limits. */
  ipv6Subnet: 64,
  /** Milliseconds one request may wait on the store over all its calls. */
  storeTimeout: 1000,
  /** Largest request body in bytes. */
  bodyLimit: 16_384,
  /** Milliseconds for a request (headers and body) to arrive; also the longest a connection may stay silent. */
  requestTimeout: 10_000,
  /** Milliseconds for a request's headers to arrive. */
  headersTimeout: 5_000,
  /** Milliseconds an idle keep-alive connection stays open. */
  keepAliveTimeout: 5_000,
  /** Connections one process holds at once. */
  maxConnections: 4096,
} as const;
