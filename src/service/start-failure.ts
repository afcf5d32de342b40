// Turns whatever stopped `verifyd serve` from starting into one line that names the flag or
// variable and the fix, and the exit code to leave with: 2 for a usage mistake, 1 otherwise.
// An error it does not recognise is a bug: its stack is kept for the log.

import { ConfigError, type Config } from '../config.ts';

export interface StartFailure {
  line: string;
  exitCode: 1 | 2;
  /** The stack of an unexpected error, worth printing below the line. */
  stack?: string;
}

/** A start-up failure whose message is already the one line to print. */
export class StartError extends Error {
  override name = 'StartError';
}

/**
 * Rewords an error of `listen()` (port taken, not allowed, address not here) as a StartError
 * naming PORT or HOST; any other error is returned unchanged.
 */
export function listenError(err: unknown, { host, port }: Pick<Config, 'host' | 'port'>): unknown {
  switch ((err as NodeJS.ErrnoException | undefined)?.code) {
    case 'EADDRINUSE':
      return new StartError(`port ${port} on ${host} is already in use (PORT, --port): stop the other server (ss -ltnp 'sport = :${port}' shows it) or choose another port`);
    case 'EACCES':
      return new StartError(`port ${port} needs privileges this user lacks (PORT, --port): use a port above 1023 behind a proxy, or grant CAP_NET_BIND_SERVICE`);
    case 'EADDRNOTAVAIL':
      return new StartError(`HOST (--host) ${host} is not an address of this machine: use 127.0.0.1, 0.0.0.0 or one of its own addresses`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StartError(`HOST (--host) ${host} does not resolve: give an IP address such as 127.0.0.1 or 0.0.0.0`);
    default:
      return err;
  }
}

/** The line and exit code for `err`; never throws. */
export function describeStartFailure(err: unknown): StartFailure {
  if (err instanceof ConfigError) return { line: err.message, exitCode: 2 };
  if (err instanceof StartError) return { line: err.message, exitCode: 1 };
  const message = err instanceof Error ? err.message : String(err);
  return { line: `could not start: ${message.split('\n')[0]}`, exitCode: 1, ...(err instanceof Error && err.stack ? { stack: err.stack } : {}) };
}
