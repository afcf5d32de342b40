// `verifyd serve --workers N`: the node:cluster primary. It forks N HTTP worker processes that
// share one listening port (each runs the ordinary `serve`), replaces a worker that dies, and on
// SIGTERM or SIGINT stops them all gracefully. Workers share state only through Redis, which
// loadConfig requires for more than one worker.

import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { serveClusterMetrics } from './metrics.ts';

export interface ClusterOptions {
  workers: number;
  logger: Logger;
}

/** Runs the primary until a signal stops every worker; resolves with the exit code to use. */
export function runPrimary({ workers, logger }: ClusterOptions): Promise<number> {
  let stopping = false;
  // A worker that dies within a second of starting is not replaced in a loop: give up instead.
  const started = new Map<Worker, number>();
  const fork = () => started.set(cluster.fork(), Date.now());

  return new Promise((resolve) => {
    let exitCode = 0;
    cluster.on('exit', (worker, code, signal) => {
      const age = Date.now() - (started.get(worker) ?? 0);
      started.delete(worker);
      if (stopping) {
        if (started.size === 0) {
          logger.info('all workers stopped');
          resolve(exitCode);
        }
        return;
      }
      logger.error({ pid: worker.process.pid, code, signal }, 'worker exited');
      if (age < 1000) {
        logger.fatal('a worker died at start; stopping');
        stop('worker failure', 1);
        return;
      }
      fork();
    });

    const stop = (reason: string, code = 0) => {
      if (stopping) return;
      stopping = true;
      exitCode = code;
      logger.info({ reason }, 'stopping workers');
      for (const worker of started.keys()) worker.process.kill('SIGTERM');
      const force = setTimeout(() => resolve(1), 15_000);
      force.unref();
      if (started.size === 0) resolve(exitCode);
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));

    serveClusterMetrics();
    for (let i = 0; i < workers; i++) fork();
    logger.info({ workers }, `verifyd primary started ${workers} workers`);
  });
}
