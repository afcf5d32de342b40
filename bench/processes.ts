// The processes a bench script starts — a redis-server and verifyd — on 127.0.0.1 and free
// ports, killed when the script exits for whatever reason (a crash included).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { spawnRedis, type RedisProcess } from '../test/helpers/redis-process.ts';
import { freePort } from '../test/helpers/redis-server.ts';

const started = new Set<number>();
process.on('exit', () => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

/** Remembers `pid` to be killed when this script exits. */
export function killOnExit(pid: number | undefined): void {
  if (pid !== undefined) started.add(pid);
}

export interface BenchRedis {
  port: number;
  url(db?: number): string;
  client(db?: number): Redis;
  /** Kills redis-server (a crash: SIGKILL). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A redis-server on a free port. With `durable`, every write is in the append-only file before
 * Redis answers (`appendfsync always`), so a crash loses nothing that was acknowledged.
 */
export async function startBenchRedis({ durable = false } = {}): Promise<BenchRedis> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'verifyd-bench-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--loglevel', 'warning'];
  args.push(...(durable ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']));
  let server: RedisProcess | undefined;
  const clients: Redis[] = [];
  const start = async () => {
    server = await spawnRedis(port, args);
    killOnExit(server.pid);
  };
  await start();
  return {
    port,
    url: (db = 0) => `redis://127.0.0.1:${port}/${db}`,
    client(db = 0) {
      const c = new Redis({ port, host: '127.0.0.1', db, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
      c.on('error', () => {});
      clients.push(c);
      return c;
    },
    async stop() {
      await server?.stop();
    },
    start,
    async close() {
      for (const c of clients) c.disconnect();
      await server?.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
