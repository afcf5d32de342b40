// The Redis store on ioredis: the Store operations as single commands or Lua scripts, on a
// standalone server, a Sentinel-managed master or a Cluster, with a connection policy that fails
// fast (503) during an outage and reconnects by itself.

import type { Cluster, Redis } from 'ioredis';
import { VerifyError } from '../errors.ts';
import { createRedisClient, type RedisClient, type RedisConnectionOptions } from './redis-client.ts';
import { withinStoreBudget } from './store-budget.ts';
import type { Store } from './store.ts';

export { failFastOptions } from './redis-client.ts';

export interface RedisStoreOptions extends RedisConnectionOptions {
  /** An existing client to use instead of the connection options; the store then does not own it and leaves it open on close. */
  client?: RedisClient;
  /** Told when the connection is lost or restored, for logs. */
  onConnectionChange?: (state: 'ready' | 'lost', err?: Error) => void;
}

// Every command and script touches exactly one key, so each runs on Redis Cluster as it is: no
// cross-slot operation exists to break. Keys that belong together carry a hash tag anyway.
const SCRIPTS = {
  verifydSetIfAbsent: {
    numberOfKeys: 1,
    lua: `if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return -1 end
return redis.call('PTTL', KEYS[1])`,
  },
  verifydDeleteIfEquals: {
    numberOfKeys: 1,
    lua: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
  },
  verifydIncrement: {
    numberOfKeys: 1,
    lua: `local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`,
  },
} as const;

interface Scripts {
  verifydSetIfAbsent(key: string, value: string, ttlMs: number): Promise<number>;
  verifydDeleteIfEquals(key: string, expected: string): Promise<number>;
  verifydIncrement(key: string, windowMs: number): Promise<[number, number]>;
}
type ScriptedRedis = (Redis | Cluster) & Scripts;

export interface RedisStore extends Store {
  readonly client: RedisClient;
  /** Connects a client made by the store; rejects with STORE_UNAVAILABLE when Redis does not answer. */
  connect(): Promise<void>;
}

/**
 * A Store on Redis (≥ 6.2, for GETDEL): standalone on `url`, the master behind `sentinels`, or
 * the `cluster`. Commands issued while the connection is down fail at once with
 * STORE_UNAVAILABLE; the client keeps reconnecting in the background (following a Sentinel
 * failover or a Cluster's slot moves) and the store works again as soon as Redis answers.
 */
export function redisStore({ client: given, onConnectionChange, ...connection }: RedisStoreOptions = {}): RedisStore {
  const client = (given ?? createRedisClient(connection)) as ScriptedRedis;
  for (const [name, { numberOfKeys, lua }] of Object.entries(SCRIPTS)) {
    client.defineCommand(name, { numberOfKeys, lua });
  }

  let ready = client.status === 'ready';
  client.on('ready', () => {
    ready = true;
    onConnectionChange?.('ready');
  });
  client.on('error', (err: Error) => {
    if (ready) onConnectionChange?.('lost', err);
    ready = false;
  });
  client.on('close', () => {
    if (ready) onConnectionChange?.('lost');
    ready = false;
  });

  // Our retry strategies never give up, but should ioredis still end a client of ours (it did
  // when a Sentinel failover notice met a reconnection), start over rather than answer 503 until
  // the process restarts.
  let closed = false;
  if (given === undefined) {
    client.on('end', () => {
      if (closed) return;
      setTimeout(() => {
        if (!closed && client.status === 'end') client.connect().catch(() => {});
      }, connection.maxReconnectDelayMs ?? 500).unref();
    });
  }

  // Each command is bounded by the command timeout, and all of a request's by its store budget.
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await withinStoreBudget(run);
    } catch (err) {
      throw new VerifyError('STORE_UNAVAILABLE', { cause: err });
    }
  };

  return {
    name: 'redis',
    client,
    async connect() {
      if (client.status === 'wait') await call(() => client.connect());
    },
    set: (key, value, ttlMs) => call(async () => void (await client.set(key, value, 'PX', ttlMs))),
    setIfAbsent: (key, value, ttlMs) =>
      call(async () => {
        const left = await client.verifydSetIfAbsent(key, value, ttlMs);
        return left === -1 ? { set: true, ttlMs } : { set: false, ttlMs: Math.max(left, 0) };
      }),
    get: (key) => call(() => client.get(key)),
    take: (key) => call(() => client.getdel(key)),
    deleteIfEquals: (key, expected) => call(async () => (await client.verifydDeleteIfEquals(key, expected)) === 1),
    delete: (key) => call(async () => (await client.del(key)) > 0),
    increment: (key, windowMs) =>
      call(async () => {
        const [count, ttlMs] = await client.verifydIncrement(key, windowMs);
        return { count, ttlMs };
      }),
    ping: () => call(async () => void (await client.ping())),
    async close() {
      closed = true;
      if (given === undefined) client.disconnect();
    },
  };
}
