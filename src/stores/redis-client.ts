// Makes the ioredis client for each Redis topology — standalone, Sentinel or Cluster — under
// one connection policy: fail fast during an outage, reconnect in the background.

import { createRequire } from 'node:module';
import type { Cluster, ClusterOptions, Redis, RedisOptions } from 'ioredis';

// ioredis is required on the first client, not at import: config.ts imports this module for
// parseRedisNodes, and a service on the memory store never needs ioredis (about 9 MB of RSS).
let ioredis: typeof import('ioredis') | undefined;
const loadIoredis = () => (ioredis ??= createRequire(import.meta.url)('ioredis') as typeof import('ioredis'));

export interface RedisNode {
  host: string;
  port: number;
}

export interface RedisConnectionOptions {
  /**
   * Standalone: `redis://[user:password@]host:port/db`, or `rediss://` for TLS. With `sentinels`
   * or `cluster` the URL is optional and lends only its user, password, database (Sentinel only)
   * and scheme (`rediss:` = TLS) to the data nodes; its host and port are not used.
   */
  url?: string;
  /** Sentinel: the sentinels to ask where the master named `sentinelName` is. */
  sentinels?: RedisNode[];
  /** Sentinel: the master group name (`sentinel monitor <name> …`). */
  sentinelName?: string;
  /** Sentinel: the sentinels' own password (`requirepass` in sentinel.conf), if any. */
  sentinelPassword?: string;
  /** Cluster: a few nodes of the cluster; the rest are discovered. */
  cluster?: RedisNode[];
  /** Longest wait for one command before it fails. */
  commandTimeoutMs?: number;
  /** Upper bound of the delay between reconnection attempts. */
  maxReconnectDelayMs?: number;
}

export type RedisClient = Redis | Cluster;

/** Connection settings that turn an outage into fast failures instead of queued, hanging requests. */
export function failFastOptions({
  commandTimeoutMs = 1000,
  maxReconnectDelayMs = 500,
}: Pick<RedisConnectionOptions, 'commandTimeoutMs' | 'maxReconnectDelayMs'> = {}): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: commandTimeoutMs,
    connectTimeout: Math.max(commandTimeoutMs, 1000),
    retryStrategy: reconnectDelay(maxReconnectDelayMs),
    lazyConnect: true,
    // Commands issued in the same tick go out in one write: under load that is one syscall on
    // each side for many requests instead of one each (measured: npm run bench, stage b).
    enableAutoPipelining: true,
  };
}

const reconnectDelay = (max: number) => (attempt: number) => Math.min(attempt * 50, max);

/**
 * A new, not yet connected client (`lazyConnect`) for the topology the options name: Cluster
 * when `cluster` is given, Sentinel when `sentinels` is, else standalone on `url`. Giving both
 * `cluster` and `sentinels` is a mistake and throws.
 */
export function createRedisClient({
  url = 'redis://127.0.0.1:6379',
  sentinels = [],
  sentinelName = 'mymaster',
  sentinelPassword = '',
  cluster = [],
  commandTimeoutMs,
  maxReconnectDelayMs = 500,
}: RedisConnectionOptions = {}): RedisClient {
  if (cluster.length > 0 && sentinels.length > 0) throw new TypeError('give either cluster nodes or sentinels, not both');
  const { Redis, Cluster } = loadIoredis();
  const failFast = failFastOptions({ commandTimeoutMs, maxReconnectDelayMs });
  if (cluster.length === 0 && sentinels.length === 0) return new Redis(url, failFast);

  const { db, ...auth } = credentialsOf(url);
  if (sentinels.length > 0) {
    return new Redis({
      ...failFast,
      ...auth,
      db,
      sentinels,
      name: sentinelName,
      ...(sentinelPassword ? { sentinelPassword } : {}),
      sentinelRetryStrategy: reconnectDelay(maxReconnectDelayMs),
      // A sentinel that does not answer is skipped for the next one instead of stalling reconnection.
      sentinelCommandTimeout: failFast.commandTimeout,
      // A failover drops our connection (the old master dies, or Sentinel kills its clients when
      // demoting it), and reconnecting asks the sentinels again. A write that still reaches a
      // demoted master fails READONLY: reconnect then too. (ioredis's failoverDetector is not
      // used: a +switch-master arriving while it reconnects ends the client for good.)
      reconnectOnError: (err: Error) => err.message.startsWith('READONLY'),
    });
  }

  if (db !== 0) throw new TypeError('Redis Cluster has only database 0; drop the database number from the URL');
  const { enableOfflineQueue: _queue, retryStrategy: _retry, lazyConnect, enableAutoPipelining, ...nodeOptions } = failFast;
  const options: ClusterOptions = {
    lazyConnect,
    enableAutoPipelining,
    enableOfflineQueue: false,
    clusterRetryStrategy: reconnectDelay(maxReconnectDelayMs),
    // A dead master's slots fail after a few short retries instead of the default 16 × 100 ms.
    maxRedirections: 6,
    retryDelayOnFailover: 50,
    retryDelayOnClusterDown: 50,
    slotsRefreshTimeout: Math.max(commandTimeoutMs ?? 1000, 1000),
    redisOptions: { ...nodeOptions, ...auth },
  };
  return new Cluster(cluster, options);
}

function credentialsOf(raw: string): { db: number; username?: string; password?: string; tls?: object } {
  const url = new URL(raw);
  const db = Number(url.pathname.slice(1) || 0);
  return {
    db,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** Parses `host:port,host:port` (IPv6 as `[::1]:6379`); throws a TypeError naming the bad entry. */
export function parseRedisNodes(raw: string): RedisNode[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]+)):(\d{1,5})$/.exec(entry);
      const port = Number(match?.[3]);
      if (!match || port < 1 || port > 65535) throw new TypeError(`"${entry}" is not host:port`);
      return { host: (match[1] ?? match[2])!, port };
    });
}
