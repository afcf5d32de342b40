// The Redis store on ioredis: the Store operations as single commands or Lua scripts, and a
// connection policy that fails fast (503) during an outage and reconnects by itself.

import { Redis, type RedisOptions } from 'ioredis';
import { VerifyError } from '../errors.ts';
import type { Store } from './store.ts';

export interface RedisStoreOptions {
  /** `redis://[:password@]host:port/db` or `rediss://` for TLS. The db number selects the database. */
  url?: string;
  /** An existing client to use instead of `url`; the store then does not own it and leaves it open on close. */
  client?: Redis;
  /** Longest wait for one command before it fails with STORE_UNAVAILABLE. */
  commandTimeoutMs?: number;
  /** Upper bound of the delay between reconnection attempts. */
  maxReconnectDelayMs?: number;
  /** Told when the connection is lost or restored, for logs. */
  onConnectionChange?: (state: 'ready' | 'lost', err?: Error) => void;
}

// Each script touches exactly one key, so it is valid on Redis Cluster as it is.
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

interface ScriptedRedis extends Redis {
  verifydSetIfAbsent(key: string, value: string, ttlMs: number): Promise<number>;
  verifydDeleteIfEquals(key: string, expected: string): Promise<number>;
  verifydIncrement(key: string, windowMs: number): Promise<[number, number]>;
}

/** Connection settings that turn an outage into fast failures instead of queued, hanging requests. */
export function failFastOptions({
  commandTimeoutMs = 1000,
  maxReconnectDelayMs = 500,
}: Pick<RedisStoreOptions, 'commandTimeoutMs' | 'maxReconnectDelayMs'> = {}): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: commandTimeoutMs,
    connectTimeout: Math.max(commandTimeoutMs, 1000),
    retryStrategy: (attempt: number) => Math.min(attempt * 50, maxReconnectDelayMs),
    lazyConnect: true,
  };
}

/**
 * A Store on Redis (≥ 6.2, for GETDEL). Commands issued while the connection is down fail at
 * once with STORE_UNAVAILABLE; the client keeps reconnecting in the background and the store
 * works again as soon as Redis answers.
 */
export function redisStore({
  url = 'redis://127.0.0.1:6379',
  client: given,
  commandTimeoutMs,
  maxReconnectDelayMs,
  onConnectionChange,
}: RedisStoreOptions = {}): Store & { readonly client: Redis; connect(): Promise<void> } {
  const client = (given ?? new Redis(url, failFastOptions({ commandTimeoutMs, maxReconnectDelayMs }))) as ScriptedRedis;
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

  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
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
      if (given === undefined) client.disconnect();
    },
  };
}
