// Starts a throwaway Redis Cluster for tests: `masters` redis-server processes with cluster mode
// on free ports (client and bus port both chosen free), joined by `redis-cli --cluster create`,
// with every slot covered before it resolves.

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './redis-server.ts';
import { nodeClient, spawnRedis, waitUntil, type RedisProcess } from './redis-process.ts';

export interface TestRedisCluster {
  ports: number[];
  /** `127.0.0.1:p1,127.0.0.1:p2,…`, as --redis-cluster takes it. */
  seeds: string;
  nodes: { host: string; port: number }[];
  /** The port of the master serving `key`. */
  masterOf(key: string): Promise<number>;
  /** Kills the node on `port` (as a crash); the cluster is then missing its slots. */
  stopNode(port: number): Promise<void>;
  /** Stops every node and removes their files. */
  close(): Promise<void>;
}

const run = promisify(execFile);

export async function startRedisCluster({ masters = 3 } = {}): Promise<TestRedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'verifyd-cluster-'));
  const processes: RedisProcess[] = [];
  const clients: ReturnType<typeof nodeClient>[] = [];
  const close = async () => {
    for (const c of clients) c.disconnect();
    await Promise.all(processes.map((p) => p.stop()));
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const ports: number[] = [];
    for (let i = 0; i < masters; i++) {
      const port = await freePort();
      const busPort = await freePort();
      ports.push(port);
      processes.push(
        await spawnRedis(port, [
          '--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1',
          '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--cluster-node-timeout', '2000',
          '--dir', dir, '--dbfilename', `dump-${port}.rdb`, '--save', '', '--appendonly', 'no', '--loglevel', 'warning',
        ]),
      );
    }
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { timeout: 20_000 });
    for (const port of ports) clients.push(nodeClient(port));
    await waitUntil('every cluster node to report cluster_state:ok', async () => {
      const infos = await Promise.all(clients.map((c) => c.cluster('INFO')));
      return infos.every((info) => /cluster_state:ok/.test(String(info)) && /cluster_slots_assigned:16384/.test(String(info)));
    });

    const nodes = ports.map((port) => ({ host: '127.0.0.1', port }));
    return {
      ports,
      nodes,
      seeds: nodes.map((n) => `${n.host}:${n.port}`).join(','),
      async masterOf(key) {
        const slot = Number(await clients[0]!.cluster('KEYSLOT', key));
        const ranges = (await clients[0]!.cluster('SLOTS')) as unknown as [number, number, [string, number]][];
        const range = ranges.find(([from, to]) => slot >= from && slot <= to);
        if (!range) throw new Error(`no master for slot ${slot}`);
        return range[2][1];
      },
      stopNode: async (port) => {
        await processes[ports.indexOf(port)]?.stop();
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
