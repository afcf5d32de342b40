// npm run load [-- --duration 60 --rate 300 --connections 16]
// A fixed request rate against one verifyd process on a Redis this script starts (127.0.0.1 only),
// through captcha, check and code endpoints. Prints req/s, p50/p99 and errors; exits 1 on any
// unexpected response.

import { parseArgs } from 'node:util';
import { startVerifyd } from '../test/helpers/verifyd-process.ts';
import { printReport, runMix, targetArgs, testNumbers } from './mix.ts';
import { startRedis } from '../test/helpers/redis-server.ts';
import { killOnExit } from './processes.ts';

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '60' }, rate: { type: 'string', default: '300' }, connections: { type: 'string', default: '16' } },
});
const duration = Number(values.duration);
const rate = Number(values.rate);
const connections = Number(values.connections);
if (![duration, rate, connections].every((n) => Number.isInteger(n) && n > 0) || duration > 600) {
  throw new Error('--duration (1–600 s), --rate and --connections must be positive whole numbers');
}

const redis = await startRedis({ onStart: killOnExit });
const numbers = testNumbers(connections);
const verifyd = await startVerifyd(targetArgs(redis.url(2), numbers));
killOnExit(verifyd.child.pid);
try {
  console.log(`verifyd load: ${verifyd.url}, Redis ${redis.url(2)} (standalone), layout django, node ${process.version}`);
  // Warm-up, not counted: the first requests compile code paths and load the renderer.
  await runMix({ url: verifyd.url, rate: Math.min(rate, 100), duration: 3, connections, redis: redis.client(2), testNumbers: numbers });
  const report = await runMix({ url: verifyd.url, rate, duration, connections, redis: redis.client(2), testNumbers: numbers });
  printReport(report, { rate, duration, connections });
  const unexpected = report.outcomes.filter((o) => !o.expected);
  const errors = unexpected.length + report.result.errors;
  console.log(`unexpected       ${unexpected.length} responses${unexpected.length ? `: ${unexpected.slice(0, 5).map((o) => `${o.step} → ${o.status} ${o.code ?? ''}`).join('; ')}` : ''}`);
  console.log(errors === 0 ? 'result           PASS: 0 unexpected errors' : `result           FAIL: ${errors} unexpected errors`);
  process.exitCode = errors === 0 ? 0 : 1;
} finally {
  await verifyd.stop();
  await redis.close();
}
