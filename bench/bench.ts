// npm run bench [-- --quick]: verifyd's captcha side by side with svg-captcha, in one run.
//   (a) render + encode on one core: verifyd JPEG, PNG, WebP and svgCaptcha.create(); and a piscina
//       pool on every core, one captcha per task and 16 per task;
//   (b) the seed's image endpoint over HTTP with Redis: verifyd against Fastify + svg-captcha +
//       ioredis, each as node:cluster with one worker per core, under wrk at 16 and 64
//       connections; and two ceilings of verifyd's (bench/ceiling-server.ts): what the machine
//       allows with drawing free, and with drawing and encoding free;
//   (c) RSS of the process `npm start` runs, on the memory store, idle and after a million captchas;
//   (d) proof of work per level (bench/pow.ts): the ALTCHA widget's solve time in headless
//       Chromium, the native solver's rate, and the server's verify and issue cost.
// Prints a table, writes bench/results/latest.json and ends with the summary line. Everything it
// starts (redis-server, the servers, the RSS child) listens on 127.0.0.1 and is stopped.
// `npm run bench` installs wrk and redis-server first when they are missing (scripts/ensure-packages.sh).

import { randomInt } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import svgCaptcha from 'svg-captcha';
import { randomText } from '../src/captcha/alphabet.ts';
import { drawCaptcha } from '../src/captcha/draw.ts';
import { encodeJpeg } from '../src/captcha/encode.ts';
import { Random } from '../src/captcha/random.ts';
import { renderCaptcha, renderCaptchaSync } from '../src/captcha/render.ts';
import { renderAudioCaptcha } from '../src/captcha/audio/render.ts';
import { DEFAULT_STYLE, type CaptchaStyle } from '../src/captcha/style.ts';
import { freePort, startRedis, type TestRedis } from '../test/helpers/redis-server.ts';
import { profileLoop } from './profile.ts';
import { wrk } from './wrk.ts';
import { powBench, powRows } from './pow.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const quick = process.argv.includes('--quick');
const cores = availableParallelism();
const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';
const T = quick
  ? { render: 800, pool: 400, warm: 1, load: 2, rssCount: 30_000 }
  : { render: 4000, pool: 3000, warm: 3, load: 10, rssCount: 1_000_000 };

const children = new Set<ChildProcess>();
let redis: TestRedis | undefined;
const cleanup = () => {
  for (const child of children) child.kill('SIGTERM');
  void redis?.close();
};
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

// ---- (a) render + encode, per core -------------------------------------------------------------

/** Calls `fn` for `ms` after a warm-up; returns calls per second. */
async function rate(ms: number, fn: () => unknown): Promise<number> {
  const warmUntil = performance.now() + Math.min(500, ms / 4);
  while (performance.now() < warmUntil) await fn();
  let n = 0;
  const start = performance.now();
  const end = start + ms;
  while (performance.now() < end) {
    for (let k = 0; k < 16; k++) await fn();
    n += 16;
  }
  return (n * 1000) / (performance.now() - start);
}

// Synchronous loops avoid an await per call, which costs as much as a small task.
function syncRate(ms: number, fn: () => unknown): number {
  const warmUntil = performance.now() + Math.min(500, ms / 4);
  while (performance.now() < warmUntil) fn();
  let n = 0;
  const start = performance.now();
  const end = start + ms;
  while (performance.now() < end) {
    for (let k = 0; k < 16; k++) fn();
    n += 16;
  }
  return (n * 1000) / (performance.now() - start);
}

// The same glyphs, warps and colours without the cut, the threads and the background texture:
// what the strength work costs.
const GLYPHS_ONLY: CaptchaStyle = { ...DEFAULT_STYLE, cuts: [0, 0], threads: [0, 0], texture: [0, 0] };

async function renderRates() {
  log('(a) render + encode on one core');
  const jpeg = syncRate(T.render, () => renderCaptchaSync(randomText(4)));
  const png = syncRate(T.render, () => renderCaptchaSync(randomText(4), { format: 'png' }));
  const webp = await rate(T.render, () => renderCaptcha(randomText(4), { format: 'webp' }));
  const svg = syncRate(T.render, () => svgCaptcha.create());
  // Two floors: the drawing without its strength features, and libjpeg-turbo alone.
  const glyphsOnly = syncRate(T.render, () => renderCaptchaSync(randomText(4), { style: GLYPHS_ONLY }));
  const pixels = Buffer.from(drawCaptcha('ABCD', 160, 60, new Random(1), DEFAULT_STYLE));
  const encodeOnly = syncRate(T.render, () => encodeJpeg(pixels, 160, 60, 75));
  // The audio captcha: six digits mixed with babble and noise, as an 8 kHz WAV clip.
  const audio = syncRate(T.render, () => renderAudioCaptcha(String(randomInt(1e6)).padStart(6, '0')));
  return { jpeg, png, webp, svgCaptcha: svg, jpegOverSvg: jpeg / svg, glyphsOnly, encodeOnly, audio };
}

/** The JPEG loop again, under the CPU profiler: microseconds per image in each function. */
async function renderProfile() {
  log('(a) where the time of a JPEG captcha goes (V8 CPU profile)');
  const { calls, shares } = await profileLoop(T.render, () => renderCaptchaSync(randomText(4)));
  // The profiler slows the loop a little; shares are of the time actually spent.
  const usPerImage = (T.render * 1000) / calls;
  return shares.slice(0, 10).map(({ name, share }) => ({ name, share, us: share * usPerImage }));
}

async function poolRates() {
  log(`(a) piscina pool, ${cores} threads`);
  const pool = new Piscina({ filename: new URL('./render-worker.ts', import.meta.url).href, minThreads: cores, maxThreads: cores });
  const result: Record<string, number> = {};
  for (const batch of [1, 16]) {
    const inFlight = cores * 4;
    let done = 0;
    let stopAt = 0;
    const worker = async () => {
      while (performance.now() < stopAt) {
        await pool.run({ count: batch });
        done += batch;
      }
    };
    stopAt = performance.now() + 300;
    await Promise.all(Array.from({ length: inFlight }, worker));
    done = 0;
    const start = performance.now();
    stopAt = start + T.pool;
    await Promise.all(Array.from({ length: inFlight }, worker));
    result[`batch${batch}`] = (done * 1000) / (performance.now() - start);
  }
  await pool.destroy();
  return { threads: cores, perSecondBatch1: result.batch1!, perSecondBatch16: result.batch16! };
}

// ---- (b) the endpoint over HTTP ------------------------------------------------------------------

/** Spawns `node args…` and resolves once `http://127.0.0.1:<port><probe>` answers `status`. */
async function startChild(args: string[], env: Record<string, string>, port: number, probe: string, status: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let output = '';
  child.stderr!.on('data', (d: Buffer) => (output += d));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited (${child.exitCode}) at start: ${output}`);
    if (Date.now() > deadline) throw new Error(`${args.join(' ')} did not answer in 30 s: ${output}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}${probe}`)).status === status) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // Every worker has to be up, not just the first one: give the others a moment.
  await new Promise((r) => setTimeout(r, 1000));
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await once(child, 'exit');
  clearTimeout(timer);
}

async function load(port: number, connections: number, seconds: number) {
  const result = await wrk(`http://127.0.0.1:${port}`, connections, seconds);
  // A rare socket error under full load is reported; a server that fails requests is not measured.
  if (result.non2xx > 0 || result.errors > result.requests / 1000) {
    throw new Error(`${result.errors} errors and ${result.non2xx} non-2xx responses in ${result.requests} at ${connections} connections`);
  }
  return result;
}

async function measureServer(name: string, port: number) {
  log(`(b) ${name}: warm-up, then 16 and 64 connections`);
  await load(port, 64, T.warm);
  const c16 = await load(port, 16, T.load);
  const c64 = await load(port, 64, T.load);
  return { c16, c64 };
}

async function endpoint() {
  redis = await startRedis();
  const verifydPort = await freePort();
  const verifyd = await startChild(
    ['--import', 'tsx', 'src/cli.ts', 'serve', '--port', String(verifydPort)],
    {
      VERIFYD_REDIS_URL: redis.url(0),
      VERIFYD_SECRET: SECRET,
      VERIFYD_WORKERS: String(cores),
      VERIFYD_CAPTCHA_RATE_LIMIT: '0',
      VERIFYD_LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
    },
    verifydPort,
    '/verify/image_codes/',
    403,
  );
  const ours = await measureServer('verifyd', verifydPort);
  await stopChild(verifyd);

  const ceilingOf = async (mode: 'image' | 'encode', redisUrl: string) => {
    const port = await freePort();
    const child = await startChild(['--import', 'tsx', 'bench/ceiling-server.ts', mode, String(port), redisUrl, String(cores)], {}, port, '/verify/image_codes/', 403);
    const result = await measureServer(`verifyd ceiling (${mode})`, port);
    await stopChild(child);
    return result;
  };
  const ceiling = { encode: await ceilingOf('encode', redis.url(0)), image: await ceilingOf('image', redis.url(0)) };

  const referencePort = await freePort();
  const reference = await startChild(['--import', 'tsx', 'bench/reference-server.ts', String(referencePort), redis.url(1), String(cores)], {}, referencePort, '/verify/image_codes/', 403);
  const theirs = await measureServer('fastify + svg-captcha', referencePort);
  await stopChild(reference);
  await redis.close();
  redis = undefined;
  return { processes: cores, verifyd: ours, reference: theirs, ceiling };
}

// ---- (c) memory -----------------------------------------------------------------------------------

async function memory() {
  log(`(c) RSS of npm start's process: idle, then after ${T.rssCount.toLocaleString('en')} captchas on the memory store`);
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/rss.ts', String(T.rssCount)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  const [code] = await once(child, 'exit');
  children.delete(child);
  if (code !== 0) throw new Error(`bench/rss.ts exited with ${code}`);
  return JSON.parse(out) as { count: number; idleRss: number; afterRss: number; maxCaptchas: number; seconds: number };
}

// ---- report -----------------------------------------------------------------------------------------

const n = (x: number) => Math.round(x).toLocaleString('en');
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

// On a failure, stop what was started before exiting: a server whose parent vanished mid-load
// would otherwise be left running.
async function orStop<R>(step: () => Promise<R>): Promise<R> {
  try {
    return await step();
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`);
    await Promise.all([...children].map(stopChild));
    await redis?.close();
    process.exit(1);
  }
}

const started = Date.now();
const render = await orStop(renderRates);
const profile = await orStop(renderProfile);
const pool = await orStop(poolRates);
const http = await orStop(endpoint);
const rss = await orStop(memory);
const pow = await orStop(() => powBench({ quick, log }));

const rows: [string, string, string][] = [
  ['(a) one core', 'verifyd jpeg 160×60', `${n(render.jpeg)}/s`],
  ['', 'verifyd png 160×60', `${n(render.png)}/s`],
  ['', 'verifyd webp 160×60', `${n(render.webp)}/s`],
  ['', 'svg-captcha create() 150×50', `${n(render.svgCaptcha)}/s`],
  ['', 'jpeg ÷ svg-captcha', `${render.jpegOverSvg.toFixed(2)}×`],
  ['', 'verifyd jpeg, glyphs only (no cut, threads, texture)', `${n(render.glyphsOnly)}/s`],
  ['', 'libjpeg-turbo alone (one pre-drawn image)', `${n(render.encodeOnly)}/s`],
  ['', 'verifyd audio wav, 6 digits (en)', `${n(render.audio)}/s`],
  ...profile.map(({ name, share, us }, i): [string, string, string] => [
    i === 0 ? '(a) jpeg profile' : '',
    name,
    `${us.toFixed(1)} µs  (${(share * 100).toFixed(0)}%)`,
  ]),
  [`(a) ${pool.threads} threads`, 'piscina jpeg, 1 per task', `${n(pool.perSecondBatch1)}/s`],
  ['', 'piscina jpeg, 16 per task', `${n(pool.perSecondBatch16)}/s`],
];
const servers = [
  ['verifyd', http.verifyd],
  ['fastify+svg-captcha', http.reference],
  ['ceiling: encode only', http.ceiling.encode],
  ['ceiling: one image', http.ceiling.image],
] as const;
for (const [name, r] of servers) {
  for (const c of [r.c16, r.c64]) {
    const errors = c.errors > 0 ? `  (${c.errors} socket errors)` : '';
    rows.push([`(b) ${name}`, `${c.connections} connections`, `${n(c.rps)} req/s  p50 ${c.p50Ms} ms  p99 ${c.p99Ms} ms${errors}`]);
  }
}
rows.push(['(c) npm start, memory store', 'idle', mb(rss.idleRss)]);
rows.push(['', `after ${n(rss.count)} captchas over HTTP (the store keeps at most ${n(rss.maxCaptchas)})`, `${mb(rss.afterRss)}  (${rss.seconds.toFixed(0)} s to issue)`]);
rows.push(...powRows(pow));

const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
const cpu = cpus()[0]?.model ?? 'unknown CPU';
process.stdout.write(`\nverifyd bench${quick ? ' (quick)' : ''}: ${cores} cores (${cpu}), node ${process.version}\n`);
process.stdout.write(`(b): ${http.processes} node:cluster workers each, one redis-server, wrk (1 thread) on the same cores.\n'ceiling: one image' is verifyd serving one pre-rendered JPEG (no renderer can beat it); 'encode only' re-encodes\none pre-drawn image per request (no drawing code can beat it)\n\n`);
for (const r of rows) process.stdout.write(`${r[0].padEnd(widths[0]!)}  ${r[1].padEnd(widths[1]!)}  ${r[2]}\n`);

const results = {
  date: new Date().toISOString(),
  quick,
  machine: { cores, cpu, node: process.version },
  render,
  profile,
  pool,
  http,
  rss,
  pow,
  seconds: (Date.now() - started) / 1000,
};
await mkdir(new URL('./results/', import.meta.url), { recursive: true });
await writeFile(new URL('./results/latest.json', import.meta.url), JSON.stringify(results, null, 2) + '\n');
process.stdout.write(`\nwrote bench/results/latest.json\n`);
process.stdout.write(
  `bench: jpeg_per_core=${Math.round(render.jpeg)}/s svg_captcha_per_core=${Math.round(render.svgCaptcha)}/s endpoint_rps_c64=${http.verifyd.c64.rps} p99_ms_c64=${http.verifyd.c64.p99Ms}\n`,
);
process.exit(0);
