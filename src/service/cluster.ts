// `verifyd serve --workers N`: the node:cluster primary. It forks N HTTP worker processes that
// share one listening port (each runs the ordinary `serve`), replaces a worker that dies after it
// started listening, and on SIGTERM or SIGINT stops them all gracefully. A worker that cannot
// start (the port is taken, say) stops the whole service with one line and a non-zero exit, so a
// supervisor such as systemd sees the failure instead of a primary serving nothing. Workers share
// state only through Redis, which loadConfig requires for more than one worker.

import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

/** What a worker that cannot start tells the primary, so the line is printed once, not once per worker. */
export interface StartFailedMessage {
  type: 'verifyd:start-failed';
  line: string;
  exitCode: number;
}

const isStartFailed = (message: unknown): message is StartFailedMessage =>
  typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'verifyd:start-failed';

/** In a worker: hands the failure's line to the primary; resolves once it is sent. */
export function reportStartFailure(line: string, exitCode: number): Promise<void> {
  const message: StartFailedMessage = { type: 'verifyd:start-failed', line, exitCode };
  return new Promise((resolve) => process.send!(message, undefined, {}, () => resolve()));
}

export interface ClusterOptions {
  workers: number;
  logger: Logger;
  /** Prints the one line of a failed start (default: `verifyd: <line>` on standard error). */
  onStartFailure?: (line: string) => void;
}

/** Runs the primary until a signal or a failed start stops every worker; resolves with the exit code to use. */
export async function runPrimary({ workers, logger, onStartFailure = (line) => process.stderr.write(`verifyd: ${line}\n`) }: ClusterOptions): Promise<number> {
  // Loaded here, not at import: prom-client is the service's optional peer dependency.
  const { serveClusterMetrics } = await import('./metrics.ts');
  let stopping = false;
  const running = new Set<Worker>();
  const listening = new Set<Worker>();
  const failures = new Map<Worker, StartFailedMessage>();

  return new Promise((resolve) => {
    let exitCode = 0;
    cluster.on('listening', (worker) => listening.add(worker));
    cluster.on('message', (worker, message: unknown) => {
      if (isStartFailed(message)) failures.set(worker, message);
    });
    cluster.on('exit', (worker, code, signal) => {
      running.delete(worker);
      const started = listening.delete(worker);
      const failure = failures.get(worker);
      failures.delete(worker);
      if (stopping) {
        if (running.size === 0) {
          logger.info('all workers stopped');
          resolve(exitCode);
        }
        return;
      }
      if (!started) {
        onStartFailure(failure?.line ?? `a worker exited (code ${code ?? signal}) before it could listen; the lines above say why`);
        stop('a worker could not start', failure?.exitCode || 1);
        return;
      }
      logger.error({ pid: worker.process.pid, code, signal }, 'worker exited; starting another');
      running.add(cluster.fork());
    });

    const stop = (reason: string, code = 0) => {
      if (stopping) return;
      stopping = true;
      exitCode = code;
      logger.info({ reason }, 'stopping workers');
      for (const worker of running) worker.process.kill('SIGTERM');
      const force = setTimeout(() => resolve(1), 15_000);
      force.unref();
      if (running.size === 0) resolve(exitCode);
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));

    serveClusterMetrics();
    for (let i = 0; i < workers; i++) running.add(cluster.fork());
    logger.info({ workers }, `verifyd primary started ${workers} workers`);
  });
}
