// The node:cluster primary of the bench's servers: forks the workers, and stops them all on
// SIGTERM or SIGINT.

import cluster, { type Worker } from 'node:cluster';

/** Forks `count` workers of the running script; returns them. */
export function forkWorkers(count: number): Worker[] {
  const workers = Array.from({ length: count }, () => cluster.fork());
  const stop = () => {
    for (const worker of workers) worker.process.kill('SIGTERM');
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return workers;
}
