// npm run flood [-- --count 1000000 --max-entries 100000]
// One million unique uuids at the seed's image endpoint of one verifyd process on the memory
// store, over HTTP on 127.0.0.1 (autocannon). The target (bench/flood-target.ts) replaces the
// renderer by a stub returning a fixed buffer: drawing a million images would measure the
// renderer (npm run bench does that) instead of the store. Prints the target's RSS as the flood
// goes and the evictions from its /metrics; exits 1 if RSS keeps growing once the store is full.

import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { metricValue } from '../test/helpers/metrics-text.ts';
import { killOnExit } from './processes.ts';

// The part of autocannon's API used here (the package ships no types).
type Autocannon = (
  options: { url: string; connections: number; amount: number; requests: { method: string; setupRequest: (req: object) => object }[] },
  done: (err: Error | null, result: { errors: number; non2xx: number; duration: number }) => void,
) => unknown;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const { values } = parseArgs({ options: { count: { type: 'string', default: '1000000' }, 'max-entries': { type: 'string', default: '100000' } } });
const count = Number(values.count);
const maxEntries = Number(values['max-entries']);
if (!Number.isSafeInteger(count) || count < 10 || count > 10_000_000 || !Number.isSafeInteger(maxEntries) || maxEntries < 1) {
  throw new Error('--count (10–10,000,000) and --max-entries must be positive whole numbers');
}

interface Memory {
  rss: number;
  heapUsed: number;
  entries: number;
}
const target = fork(new URL('./flood-target.ts', import.meta.url), [String(maxEntries)], { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
killOnExit(target.pid);
const next = async <T>() => (await once(target, 'message'))[0] as T;
const { address } = await next<{ address: string }>();
const memory = async () => {
  target.send('memory');
  return next<Memory>();
};
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

console.log(`verifyd flood: ${count.toLocaleString('en')} unique uuids → GET /verify/image_codes/ at ${address}, memory store of ${maxEntries.toLocaleString('en')} entries, node ${process.version}`);
console.log(`${'issued'.padStart(12)}  ${'rss'.padStart(10)}  ${'heap used'.padStart(10)}  ${'entries'.padStart(9)}`);
const samples: { issued: number; rss: number }[] = [];
const sample = async (issued: number) => {
  const m = await memory();
  samples.push({ issued, rss: m.rss });
  console.log(`${issued.toLocaleString('en').padStart(12)}  ${mb(m.rss).padStart(10)}  ${mb(m.heapUsed).padStart(10)}  ${String(m.entries).padStart(9)}`);
};
const idle = (await memory()).rss;
await sample(0);

let failures = 0;
let seconds = 0;
const chunk = Math.ceil(count / 10);
for (let issued = 0; issued < count; ) {
  const amount = Math.min(chunk, count - issued);
  const result = await new Promise<{ errors: number; non2xx: number; duration: number }>((resolve, reject) =>
    autocannon(
      { url: address, connections: 32, amount, requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/verify/image_codes/?uuid=${randomUUID()}` }) }] },
      (err, res) => (err ? reject(err) : resolve(res)),
    ),
  );
  failures += result.errors + result.non2xx;
  seconds += result.duration;
  issued += amount;
  await sample(issued);
}

const metrics = await (await fetch(`${address}/metrics`)).text();
const evictions = metricValue(metrics, 'verifyd_memory_store_evictions_total');
const entries = metricValue(metrics, 'verifyd_memory_store_entries');
// Bounded: once the store has been full for a while, RSS stays within 25 % of what it was then.
const full = samples.find((s) => s.issued >= maxEntries * 2) ?? samples.at(-1)!;
const peak = Math.max(...samples.map((s) => s.rss));
const bounded = peak <= full.rss * 1.25;
console.log(`rate             ${Math.round(count / seconds).toLocaleString('en')} requests/s (${seconds.toFixed(1)} s under load), ${failures} errors or non-200`);
console.log(`rss              idle ${mb(idle)}, at ${full.issued.toLocaleString('en')} issued ${mb(full.rss)}, peak ${mb(peak)}, final ${mb(samples.at(-1)!.rss)}`);
console.log(`metrics          verifyd_memory_store_evictions_total ${evictions}, verifyd_memory_store_entries ${entries}`);
const exact = evictions === Math.max(0, count - maxEntries);
const pass = bounded && failures === 0 && exact;
console.log(`result           ${pass ? 'PASS' : 'FAIL'}: RSS ${bounded ? 'bounded' : 'still growing'} once the store is full; evictions ${exact ? '=' : '≠'} issued − max entries`);
target.send('stop');
await once(target, 'exit');
process.exitCode = pass ? 0 : 1;
