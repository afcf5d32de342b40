// The Redis store on ioredis: the Store operations as single commands or Lua scripts, on a
// standalone server, a Sentinel-managed master or a Cluster, with a connection policy that fails
// fast (503) during an outage and reconnects by itself.

import type { Cluster, Redis } from 'ioredis';
import { VerifyError } from '../errors.ts';
import { createRedisClient, type RedisClient, type RedisConnectionOptions } from './redis-client.ts';
import { withinStoreBudget } from './store-budget.ts';
import { MAX_SEND_WINDOWS, type Store } from './store.ts';

export interface RedisStoreOptions extends RedisConnectionOptions {
  /** An existing client to use instead of the connection options; the store then does not own it and leaves it open on close. */
  client?: RedisClient;
  /** Told when the connection is lost or restored, for logs. */
  onConnectionChange?: (state: 'ready' | 'lost', err?: Error) => void;
}

// Every script touches one key, or keys that share one hash tag (a recipient's code, attempts,
// failures and lock; its send slot and windows), so each runs on Redis Cluster as it is.
const SCRIPTS = {
  verifydSpendCodeAttempt: {
    numberOfKeys: 4,
    // KEYS: code, attempts, failures, lock. ARGV: maxAttempts, attemptWindowMs,
    // failuresBeforeLock, failureWindowMs, lockMs.
    lua: `local locked = redis.call('PTTL', KEYS[4])
if locked > 0 then return {'locked', locked} end
local failures = redis.call('INCR', KEYS[3])
if failures == 1 then redis.call('PEXPIRE', KEYS[3], ARGV[4]) end
if failures >= tonumber(ARGV[3]) then redis.call('SET', KEYS[4], '1', 'PX', ARGV[5]) end
local hash = redis.call('GET', KEYS[1])
if not hash then return {'none'} end
if tonumber(redis.call('GET', KEYS[2]) or '0') >= tonumber(ARGV[1]) then return {'none'} end
local used = redis.call('INCR', KEYS[2])
if used == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
return {'granted', hash, tonumber(ARGV[1]) - used}`,
  },
  verifydConsumeCode: {
    numberOfKeys: 4,
    // KEYS: code, attempts, failures, lock. ARGV: hash, failuresBeforeLock.
    lua: `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
local failures = tonumber(redis.call('GET', KEYS[3]) or '0')
if failures > 0 then
  failures = redis.call('DECR', KEYS[3])
  if failures < tonumber(ARGV[2]) then redis.call('DEL', KEYS[4]) end
end
return 1`,
  },
  verifydRedeemOnce: {
    numberOfKeys: 1,
    // ARGV: '=' .. idempotency key, ttlMs. An empty key ('=') never counts as a retry.
    lua: `local held = redis.call('GET', KEYS[1])
if not held then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 'redeemed'
end
if ARGV[1] ~= '=' and held == ARGV[1] then return 'repeated' end
return 'duplicate'`,
  },
  verifydTakeSendSlot: {
    // KEYS: the interval, then one per window. ARGV: intervalMs, then max and windowMs per window.
    // The key count is fixed (unused windows have max 0): ioredis's Cluster auto-pipelining
    // routes a command by its first argument, which for a variable count would be the count.
    numberOfKeys: 1 + MAX_SEND_WINDOWS,
    lua: `local intervalMs = tonumber(ARGV[1])
if intervalMs > 0 then
  local held = redis.call('PTTL', KEYS[1])
  if held > 0 then return {'interval', held} end
end
for i = 2, #KEYS do
  local max = tonumber(ARGV[2 * i - 2])
  local count = tonumber(redis.call('GET', KEYS[i]) or '0')
  if max > 0 and count >= max then return {tostring(i - 2), redis.call('PTTL', KEYS[i])} end
end
if intervalMs > 0 then redis.call('SET', KEYS[1], '1', 'PX', intervalMs) end
for i = 2, #KEYS do
  if tonumber(ARGV[2 * i - 2]) > 0 and redis.call('INCR', KEYS[i]) == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[2 * i - 1]) end
end
return {'ok'}`,
  },
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
  verifydSpendCodeAttempt(code: string, attempts: string, failures: string, lock: string, ...limits: number[]): Promise<[string, ...(string | number)[]]>;
  verifydConsumeCode(code: string, attempts: string, failures: string, lock: string, hash: string, failuresBeforeLock: number): Promise<number>;
  verifydRedeemOnce(key: string, marker: string, ttlMs: number): Promise<'redeemed' | 'repeated' | 'duplicate'>;
  verifydTakeSendSlot(...keysAndArgs: (string | number)[]): Promise<[string, number?]>;
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
  for (const [name, { numberOfKeys, lua }] of Object.entries(SCRIPTS)) client.defineCommand(name, { numberOfKeys, lua });

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
      // A full Redis under `noeviction` refuses writes rather than evict: say so, it is not an outage.
      if (err instanceof Error && err.message.startsWith('OOM')) throw new VerifyError('STORE_FULL', { cause: err });
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
    putCaptcha: (key, value, ttlMs) => call(async () => void (await client.set(key, value, 'PX', ttlMs))),
    spendCodeAttempt: ({ code, attempts, failures, lock }, { maxAttempts, attemptWindowMs, failuresBeforeLock, failureWindowMs, lockMs }) =>
      call(async () => {
        const [kind, hash, left] = await client.verifydSpendCodeAttempt(code, attempts, failures, lock, maxAttempts, attemptWindowMs, failuresBeforeLock, failureWindowMs, lockMs);
        if (kind === 'locked') return { kind, retryAfterMs: Number(hash) };
        if (kind === 'granted') return { kind, hash: String(hash), attemptsLeft: Number(left) };
        return { kind: 'none' as const };
      }),
    consumeCode: ({ code, attempts, failures, lock }, hash, { failuresBeforeLock }) =>
      call(async () => (await client.verifydConsumeCode(code, attempts, failures, lock, hash, failuresBeforeLock)) === 1),
    takeSendSlot: (intervalKey, intervalMs, windows) =>
      call(async () => {
        const padded = [...windows, ...Array.from({ length: MAX_SEND_WINDOWS - windows.length }, (_, i) => ({ key: `${intervalKey}:unused:${i}`, max: 0, windowMs: 1 }))];
        const [verdict, ttl] = await client.verifydTakeSendSlot(intervalKey, ...padded.map((w) => w.key), intervalMs, ...padded.flatMap((w) => [w.max, w.windowMs]));
        if (verdict === 'ok') return { ok: true as const };
        return { ok: false as const, refusedBy: verdict === 'interval' ? ('interval' as const) : Number(verdict), retryAfterMs: Math.max(Number(ttl), 0) };
      }),
    redeemOnce: (key, idempotencyKey, ttlMs) => call(() => client.verifydRedeemOnce(key, `=${idempotencyKey}`, Math.ceil(ttlMs))),
    ping: () => call(async () => void (await client.ping())),
    async close() {
      closed = true;
      if (given === undefined) client.disconnect();
    },
  };
}
