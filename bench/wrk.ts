// Drives an HTTP endpoint with wrk (written in C, so the load generator takes little of the CPU
// the servers under test share) and parses its report.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export interface WrkResult {
  connections: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Connect, read, write and timeout errors together. */
  errors: number;
  non2xx: number;
  requests: number;
}

const SCRIPT = fileURLToPath(new URL('./wrk-uuid.lua', import.meta.url));

/** `wrk` with one thread and `connections` connections for `seconds`, each request under a new UUID. */
export async function wrk(url: string, connections: number, seconds: number): Promise<WrkResult> {
  const child = spawn('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', SCRIPT, url], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (out += d));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`wrk exited with ${code}: ${out}`);
  return parseWrk(out, connections);
}

/** Reads wrk's --latency report. */
function parseWrk(report: string, connections: number): WrkResult {
  const number = (pattern: RegExp) => {
    const match = pattern.exec(report);
    if (!match) throw new Error(`wrk's report has no ${pattern.source}:\n${report}`);
    return match;
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(report);
  return {
    connections,
    rps: Math.round(Number(number(/Requests\/sec:\s+([\d.]+)/)[1])),
    p50Ms: duration(number(/^\s+50%\s+(\S+)$/m)[1]!),
    p99Ms: duration(number(/^\s+99%\s+(\S+)$/m)[1]!),
    errors: socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(report)?.[1] ?? 0),
    requests: Number(number(/(\d+) requests in/)[1]),
  };
}

// wrk prints durations as 850.00us, 5.82ms, 1.02s or 2.00m; in milliseconds, to 0.01.
function duration(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  if (!match) throw new Error(`not a wrk duration: ${text}`);
  const scale = { us: 0.001, ms: 1, s: 1000, m: 60_000 }[match[2] as 'us' | 'ms' | 's' | 'm'];
  return Math.round(Number(match[1]) * scale * 100) / 100;
}
