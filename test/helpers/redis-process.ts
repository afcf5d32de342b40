// One redis-server (or sentinel) child process for the test topologies: started with the
// given arguments, awaited until it answers PING, killed on stop.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';

export interface RedisProcess {
  port: number;
  pid: number;
  /** Kills the process (SIGKILL, as a crash) and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
}

/** Starts `redis-server <args…>` listening on `port` and resolves once it answers PING. */
export async function spawnRedis(port: number, args: string[]): Promise<RedisProcess> {
  const child: ChildProcess = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d));
  child.stderr?.on('data', (d: Buffer) => (output += d));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  };
  const exited = once(child, 'exit').then(() => {
    throw new Error(`redis-server ${args.join(' ')} exited at start: ${output}`);
  });
  try {
    await Promise.race([waitForPing(port), exited]);
  } catch (err) {
    await stop();
    throw err;
  }
  exited.catch(() => {});
  return { port, pid: child.pid!, stop };
}

/** A client for one node, which never throws connection errors at the test. */
export function nodeClient(port: number): Redis {
  const client = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  client.on('error', () => {});
  return client;
}

/**
 * Keeps every store and node client a test file opens, so that `closeAll()` in its `after` hook
 * closes them even when a test failed half-way: none is left reconnecting.
 */
export function openedConnections() {
  const stores = new Set<{ close(): Promise<void> }>();
  const clients: Redis[] = [];
  return {
    /** Registers a store to close; returns it. */
    store<S extends { close(): Promise<void> }>(store: S): S {
      stores.add(store);
      return store;
    },
    /** A node client (see nodeClient) that closeAll() disconnects. */
    node(port: number): Redis {
      const client = nodeClient(port);
      clients.push(client);
      return client;
    },
    async closeAll(): Promise<void> {
      await Promise.all([...stores].map((s) => s.close()));
      for (const client of clients) client.disconnect();
    },
  };
}

/** Polls `probe` every 50 ms until it returns true; throws `what` after `timeoutMs`. */
export async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await probe()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function waitForPing(port: number, timeoutMs = 10_000): Promise<void> {
  await waitUntil(`redis on port ${port} to answer`, async () => {
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => {});
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } finally {
      probe.disconnect();
    }
  }, timeoutMs);
}
