// Starts a throwaway redis-server on a free port for tests and benches (never the developer's
// 6379), and can stop and restart it on the same port to simulate an outage.

import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { spawnRedis, type RedisProcess } from './redis-process.ts';

export interface TestRedis {
  port: number;
  url(db?: number): string;
  /** A plain client, as a Django back end would use, on database `db`. */
  client(db?: number): Redis;
  /** Kills redis-server (SIGKILL, as a crash). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  start(): Promise<void>;
  /** Stops the server, closes every client made by `client()` and removes the data directory. */
  close(): Promise<void>;
}

export interface StartRedisOptions {
  /** Every write reaches the append-only file before Redis answers, so a crash loses nothing acknowledged. */
  durable?: boolean;
  /** Told the pid of each redis-server started (benches kill them when they exit). */
  onStart?: (pid: number) => void;
  /** Allows `DEBUG SLEEP`, which tests use to make Redis slow. */
  debugCommand?: boolean;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export async function startRedis({ durable = false, onStart, debugCommand = false }: StartRedisOptions = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'verifyd-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--loglevel', 'warning'];
  args.push(...(durable ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']));
  if (debugCommand) args.push('--enable-debug-command', 'local');
  let server: RedisProcess | undefined;
  const clients: Redis[] = [];
  const start = async () => {
    server = await spawnRedis(port, args);
    onStart?.(server.pid);
  };
  const stop = async () => {
    await server?.stop();
  };

  await start();
  return {
    port,
    url: (db = 0) => `redis://127.0.0.1:${port}/${db}`,
    client(db = 0) {
      // Fails a command fast while the server is stopped instead of queueing it.
      const c = new Redis({ port, host: '127.0.0.1', db, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
      c.on('error', () => {});
      clients.push(c);
      return c;
    },
    stop,
    start,
    async close() {
      for (const c of clients) c.disconnect();
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
