// Memory of what `npm start` runs (its command line from package.json, with this process's node;
// the defaults, the memory store), for the bench: prints one JSON line with the server's RSS when
// idle (5 s after /healthz first answers, nothing else asked) and 5 s after `count` captchas
// were issued through its seed endpoint (keep-alive HTTP from this process, 32 in flight).
// Linux: the RSS is the server's VmRSS.
// Needs dist/ (npm run build, which npm ci runs).
//
//   node --import tsx bench/rss.ts <count>
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.ts';
import { freePort } from '../test/helpers/redis-server.ts';

const count = Number(process.argv[2] ?? 1_000_000);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const port = await freePort();
// `node <flags> $(node scripts/node-flags.mjs) dist/cli.js serve`, as package.json's start
// script says, run by this node (the flags printed for it, too).
const startScript = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start;
const [, ...startArgs] = startScript
  .replace(/\$\(node ([^)]+)\)/g, (_match, args: string) => execFileSync(process.execPath, args.split(/\s+/), { cwd: ROOT, encoding: 'utf8' }).trim())
  .split(/\s+/)
  .filter(Boolean);
const server = spawn(process.execPath, [...startArgs, '--port', String(port), '--host', '127.0.0.1'], {
  cwd: ROOT,
  env: { ...process.env, VERIFYD_CAPTCHA_RATE_LIMIT: '0', VERIFYD_LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
process.on('exit', () => server.kill('SIGTERM'));

const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const agent = new Agent({ keepAlive: true, maxSockets: 32 });
const request = (path: string) =>
  new Promise<void>((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
      res.resume().on('end', resolve).on('error', reject);
    }).on('error', reject);
  });

const captcha = () => request(`/verify/image_codes/?uuid=${randomUUID()}`);

for (let tries = 0; ; tries++) {
  try {
    await request('/healthz');
    break;
  } catch (err) {
    if (tries > 200 || server.exitCode !== null) throw err;
    await sleep(50);
  }
}
await sleep(5000);
const idleRss = rss();
const started = performance.now();
let issued = 0;
await Promise.all(
  Array.from({ length: 32 }, async () => {
    while (issued < count) {
      issued++;
      await captcha();
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
await sleep(5000);
const afterRss = rss();
process.stdout.write(JSON.stringify({ count, idleRss, afterRss, maxCaptchas: loadConfig({}).memoryMaxCaptchas, seconds }) + '\n');
agent.destroy();
server.kill('SIGTERM');
await once(server, 'exit');
