// Runs `verifyd serve` as a child process on a free port (the CLI through tsx), for tests and
// bench scripts that need real processes: several services on one Redis, signals, load.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { waitUntil } from './redis-process.ts';
import { freePort } from './redis-server.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface VerifydProcess {
  /** `http://127.0.0.1:<port>` */
  url: string;
  child: ChildProcess;
  /** Everything the process printed on standard output so far, line by line. */
  readonly lines: string[];
  /** Resolves with the first line (already printed or still to come) matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** The code the log SMS sender printed last for this E.164 number (masked in the line). */
  lastSmsCode(e164: string): Promise<string>;
  /** The code and confirm link the log email sender printed last for `address`. */
  lastEmail(address: string): Promise<{ code: string; link: string }>;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `verifyd serve …args` on 127.0.0.1 and a free port, with `env` added, and resolves once
 * /healthz answers (so any --log-level works).
 */
export async function startVerifyd(args: string[] = [], env: Record<string, string> = {}): Promise<VerifydProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--port', String(port), '--host', '127.0.0.1', ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  let partial = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  child.stdout!.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const waiter of waiters) {
        if (waiter.pattern.test(line)) {
          waiters.delete(waiter);
          waiter.resolve(line);
        }
      }
    }
  });
  const exited = once(child, 'exit');

  const waitForLine = (pattern: RegExp, timeoutMs = 20_000) => {
    const seen = lines.find((l) => pattern.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<string>((resolve, reject) => {
      const waiter = {
        pattern,
        resolve: (line: string) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`verifyd printed no line matching ${pattern} (exit ${child.exitCode}); stderr: ${stderr}`));
      }, timeoutMs);
      waiters.add(waiter);
      void exited.then(() => {
        if (!waiters.has(waiter)) return;
        waiters.delete(waiter);
        clearTimeout(timer);
        reject(new Error(`verifyd exited (${child.exitCode}) before printing ${pattern}; stderr: ${stderr}`));
      });
    });
  };

  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill(signal);
    const [code] = await exited;
    return code as number | null;
  };

  const url = `http://127.0.0.1:${port}`;
  try {
    const died = exited.then(() => {
      throw new Error(`verifyd exited (${child.exitCode}) at start; stderr: ${stderr}`);
    });
    died.catch(() => {});
    await Promise.race([waitUntil('verifyd to answer /healthz', async () => (await fetch(`${url}/healthz`)).ok), died]);
    const last = (pattern: RegExp) => lines.findLast((l) => pattern.test(l));
    return {
      url,
      child,
      lines,
      waitForLine,
      stop,
      async lastSmsCode(e164) {
        const masked = `${e164.slice(0, 6)}****${e164.slice(-4)}`;
        const pattern = new RegExp(`\\[sms:log\\] to ${escape(masked)} `);
        await waitForLine(pattern);
        return /code=(\d+)/.exec(last(pattern)!)![1]!;
      },
      async lastEmail(address) {
        const pattern = new RegExp(`to=${escape(address)} .*code=`);
        await waitForLine(pattern);
        const line = last(pattern)!;
        return { code: /code=(\d+)/.exec(line)![1]!, link: /link=(\S+)/.exec(line)![1]! };
      },
    };
  } catch (err) {
    await stop('SIGKILL');
    throw err;
  }
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
