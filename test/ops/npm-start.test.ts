// `npm start` as package.json says it, on the node running the tests (CI runs the suite on Node
// 20 and 24): the flags scripts/node-flags.mjs picks are ones this node accepts, TurboFan's late
// start among them where V8 has the option, and the start line brings the service up.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const flags = () => execFileSync(process.execPath, ['scripts/node-flags.mjs'], { cwd: ROOT, encoding: 'utf8' }).trim().split(' ');

it("prints flags this node accepts, with TurboFan's late start from Node 22 on", () => {
  const printed = flags();
  assert.deepEqual(printed.slice(0, 2), ['--max-semi-space-size=2', '--heap-growing-percent=50']);
  const major = Number(process.versions.node.split('.')[0]);
  assert.equal(printed.includes('--invocation-count-for-turbofan=300000'), major >= 22, `Node ${process.versions.node}: ${printed.join(' ')}`);
  const run = spawnSync(process.execPath, [...printed, '-e', ''], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
});

it('starts the service with the start script of package.json', async () => {
  const start = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start;
  // As npm runs it: through sh, with the node on PATH (this one), the arguments appended.
  const child = spawn('sh', ['-c', `${start} --port 0 --host 127.0.0.1`], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}`, VERIFYD_LOG_LEVEL: 'info' },
  });
  try {
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line in: ${out}`)), 30_000);
      child.stdout.on('data', () => {
        const match = /verifyd listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (match) resolve((clearTimeout(timer), match[1]!));
      });
      child.on('exit', (code) => reject(new Error(`npm start's command exited (${code}): ${out}`)));
    });
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  }
});
