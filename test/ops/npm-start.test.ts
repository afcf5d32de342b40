// `npm start` as package.json says it, on the node running the tests (CI runs the suite on Node
// 20 and 24): scripts/node-flags.mjs adds TurboFan's late start where V8 has the option, and the
// start line brings the service up with the flags it names.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LATE_TURBOFAN = '--invocation-count-for-turbofan=300000';
const fromNode22 = Number(process.versions.node.split('.')[0]) >= 22;

it("adds TurboFan's late start from Node 22 on, a flag this node accepts", () => {
  const printed = execFileSync(process.execPath, ['scripts/node-flags.mjs'], { cwd: ROOT, encoding: 'utf8' }).trim();
  assert.equal(printed, fromNode22 ? LATE_TURBOFAN : '', `Node ${process.versions.node}`);
  const run = spawnSync(process.execPath, [...printed.split(' ').filter(Boolean), '-e', ''], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
});

/** The node process the start line runs: sh's child, or sh itself when it execs the command. */
function nodeCommandLine(shellPid: number): string[] {
  const read = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const own = read(shellPid);
  if (!/(^|\/)sh$/.test(own[0] ?? '')) return own;
  const [child] = readFileSync(`/proc/${shellPid}/task/${shellPid}/children`, 'utf8').trim().split(' ');
  return read(Number(child));
}

it('starts the service with the start script of package.json and its flags', async () => {
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
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    const args = nodeCommandLine(child.pid!);
    assert.ok(args.includes('--max-semi-space-size=2') && args.includes('--heap-growing-percent=50'), args.join(' '));
    assert.equal(args.includes(LATE_TURBOFAN), fromNode22, args.join(' '));
    assert.ok(args.includes('dist/cli.js') && args.at(-4) === '--port', args.join(' '));
  } finally {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // Already gone: the assertion above says why.
    }
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  }
});
