// Starts a throwaway Sentinel setup for tests: a master, one replica and three sentinels
// (quorum 2) on free ports, each sentinel with its generated config file in a temp directory.
// Resolves once the replica is in sync and the sentinels can authorise a failover.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './redis-server.ts';
import { nodeClient, spawnRedis, waitUntil, type RedisProcess } from './redis-process.ts';

export interface TestRedisSentinel {
  name: string;
  /** `127.0.0.1:s1,…`, as --redis-sentinels takes it. */
  seeds: string;
  sentinels: { host: string; port: number }[];
  masterPort: number;
  replicaPort: number;
  /** The port of the master the sentinels currently name. */
  currentMasterPort(): Promise<number>;
  /** Kills the current master (as a crash) and resolves once the sentinels promoted the replica. */
  failover(): Promise<number>;
  /** Stops every process and removes their files. */
  close(): Promise<void>;
}

const NAME = 'verifyd-test';

export async function startRedisSentinel({ sentinelCount = 3 } = {}): Promise<TestRedisSentinel> {
  const dir = await mkdtemp(join(tmpdir(), 'verifyd-sentinel-'));
  const processes = new Map<number, RedisProcess>();
  const clients: ReturnType<typeof nodeClient>[] = [];
  const close = async () => {
    for (const c of clients) c.disconnect();
    await Promise.all([...processes.values()].map((p) => p.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  const server = (port: number, extra: string[] = []) =>
    spawnRedis(port, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--dbfilename', `dump-${port}.rdb`, '--save', '', '--appendonly', 'no', '--loglevel', 'warning', ...extra]);

  try {
    const masterPort = await freePort();
    const replicaPort = await freePort();
    processes.set(masterPort, await server(masterPort));
    processes.set(replicaPort, await server(replicaPort, ['--replicaof', '127.0.0.1', String(masterPort)]));

    const sentinelPorts: number[] = [];
    for (let i = 0; i < sentinelCount; i++) {
      const port = await freePort();
      const conf = join(dir, `sentinel-${port}.conf`);
      // Sentinel rewrites its config file, so each gets its own writable copy.
      await writeFile(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `sentinel monitor ${NAME} 127.0.0.1 ${masterPort} ${Math.min(2, sentinelCount)}`,
          `sentinel down-after-milliseconds ${NAME} 1000`,
          // Short, so that a failed election is retried within seconds (it waits twice this).
          `sentinel failover-timeout ${NAME} 3000`,
          `sentinel parallel-syncs ${NAME} 1`,
          '',
        ].join('\n'),
      );
      processes.set(port, await spawnRedis(port, [conf, '--sentinel', '--loglevel', 'warning']));
      sentinelPorts.push(port);
    }

    const replica = nodeClient(replicaPort);
    const sentinels = sentinelPorts.map((p) => nodeClient(p));
    clients.push(replica, ...sentinels);
    await waitUntil('the replica to sync', async () => /master_link_status:up/.test(await replica.info('replication')));
    await waitUntil('the sentinels to see the replica and each other', async () => {
      const ready = await Promise.all(
        sentinels.map(async (s) => {
          const replicas = (await s.call('SENTINEL', 'REPLICAS', NAME)) as unknown[];
          await s.call('SENTINEL', 'CKQUORUM', NAME);
          const known = (await s.call('SENTINEL', 'SENTINELS', NAME)) as unknown[];
          return replicas.length === 1 && known.length === sentinelCount - 1;
        }),
      );
      return ready.every(Boolean);
    });

    const currentMasterPort = async () => {
      const [, port] = (await sentinels[0]!.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', NAME)) as [string, string];
      return Number(port);
    };

    return {
      name: NAME,
      sentinels: sentinelPorts.map((port) => ({ host: '127.0.0.1', port })),
      seeds: sentinelPorts.map((p) => `127.0.0.1:${p}`).join(','),
      masterPort,
      replicaPort,
      currentMasterPort,
      async failover() {
        const old = await currentMasterPort();
        await processes.get(old)!.stop();
        await waitUntil('the sentinels to promote the replica', async () => (await currentMasterPort()) !== old, 30_000);
        const promoted = await currentMasterPort();
        const client = nodeClient(promoted);
        clients.push(client);
        await waitUntil('the promoted replica to act as master', async () => /role:master/.test(await client.info('replication')));
        return promoted;
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
