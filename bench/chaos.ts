// npm run chaos [-- --duration 20 --rate 300 --outage 5 --at 5]
// The load mix while this script kills its own redis-server (SIGKILL, as a crash) for `--outage`
// seconds and starts it again. Redis writes every acknowledged command to its append-only file
// first, so the crash loses nothing verifyd was told was stored. Prints the 503
// STORE_UNAVAILABLE count, every other error (must be 0) and the time to full recovery (target
// ≤ 1 s); exits 1 when other errors occur or recovery misses the target.

import { parseArgs } from 'node:util';
import { startVerifyd } from '../test/helpers/verifyd-process.ts';
import { printReport, runMix, targetArgs, testNumbers, type Outcome } from './mix.ts';
import { startRedis } from '../test/helpers/redis-server.ts';
import { killOnExit } from './processes.ts';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '20' },
    rate: { type: 'string', default: '300' },
    connections: { type: 'string', default: '16' },
    outage: { type: 'string', default: '5' },
    at: { type: 'string', default: '5' },
  },
});
const [duration, rate, connections, outage, at] = [values.duration, values.rate, values.connections, values.outage, values.at].map(Number) as [number, number, number, number, number];
if (![duration, rate, connections, outage, at].every((n) => Number.isInteger(n) && n > 0) || at + outage >= duration || duration > 600) {
  throw new Error('whole positive numbers are needed, with --at + --outage < --duration ≤ 600');
}
const RECOVERY_TARGET_MS = 1000;

const redis = await startRedis({ durable: true, onStart: killOnExit });
const numbers = testNumbers(connections);
const verifyd = await startVerifyd(targetArgs(redis.url(2), numbers));
killOnExit(verifyd.child.pid);

try {
  console.log(`verifyd chaos: ${verifyd.url}, Redis on port ${redis.port} (appendfsync always), layout django, node ${process.version}`);
  console.log(`plan             kill Redis at ${at} s, start it again ${outage} s later, in a ${duration} s run`);
  await runMix({ url: verifyd.url, rate: Math.min(rate, 100), duration: 3, connections, redis: redis.client(2), testNumbers: numbers });

  let stoppedAt: number | undefined;
  let restartedAt: number | undefined;
  let phase: 'before' | 'stopping' | 'down' | 'starting' | 'up' = 'before';
  const report = await runMix({
    url: verifyd.url,
    rate,
    duration,
    connections,
    redis: redis.client(2),
    testNumbers: numbers,
    onTick: (elapsed) => {
      if (phase === 'before' && elapsed >= at * 1000) {
        phase = 'stopping';
        void redis.stop().then(() => {
          stoppedAt = Date.now();
          phase = 'down';
        });
      } else if (phase === 'down' && stoppedAt !== undefined && Date.now() >= stoppedAt + outage * 1000) {
        phase = 'starting';
        void redis.start().then(() => {
          restartedAt = Date.now();
          phase = 'up';
        });
      }
    },
  });
  printReport(report, { rate, duration, connections });

  if (stoppedAt === undefined || restartedAt === undefined) throw new Error(`the outage did not complete (phase ${phase})`);
  // As ms since the run started, like every outcome.
  stoppedAt -= report.startedAt;
  restartedAt -= report.startedAt;
  const storeDown = (o: Outcome) => o.status === 503 && o.code === 'STORE_UNAVAILABLE';
  const unavailable = report.outcomes.filter(storeDown);
  const other = report.outcomes.filter((o) => !o.expected && !storeDown(o));
  const lastUnavailable = Math.max(...unavailable.map((o) => o.at), 0);
  const storeSteps = report.outcomes.filter((o) => o.step !== 'GET /healthz' && o.at >= restartedAt!);
  const firstSuccess = storeSteps.find((o) => o.expected)?.at;
  const recovery = Math.max(0, lastUnavailable - restartedAt);

  console.log(`outage           Redis killed at ${(stoppedAt / 1000).toFixed(2)} s, answering again at ${(restartedAt / 1000).toFixed(2)} s (${((restartedAt - stoppedAt) / 1000).toFixed(2)} s down)`);
  console.log(`503 unavailable  ${unavailable.length} responses STORE_UNAVAILABLE, the first ${unavailable.length ? `${Math.min(...unavailable.map((o) => o.at)) - stoppedAt} ms` : '—'} after the kill`);
  console.log(`other errors     ${other.length}${other.length ? `: ${other.slice(0, 5).map((o) => `${o.step} → ${o.status} ${o.code ?? ''}`).join('; ')}` : ''}; transport errors ${report.result.errors}`);
  console.log(`recovery         first store-backed success ${firstSuccess === undefined ? '—' : `${firstSuccess - restartedAt} ms`} and last 503 ${recovery} ms after Redis answered again`);
  const pass = other.length === 0 && report.result.errors === 0 && recovery <= RECOVERY_TARGET_MS;
  console.log(`result           ${pass ? 'PASS' : 'FAIL'}: ${other.length + report.result.errors} other errors, full recovery in ${recovery} ms (target ≤ ${RECOVERY_TARGET_MS} ms)`);
  process.exitCode = pass ? 0 : 1;
} finally {
  await verifyd.stop();
  await redis.close();
}
