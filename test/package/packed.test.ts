// The package as a consumer gets it: `npm pack`, installed into a fresh project, imported from
// ESM by its public names, type-checked under both module resolutions people use, and run. The
// tarball is installed alone first (what an application embedding verifyd through the Express,
// Hono or fetch adapter installs: no Fastify), then with the frameworks, to run every adapter.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, it } from 'node:test';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

let dir: string;
let consumer: string;
/** The embedding install, measured before the frameworks are added. */
let embed: { packages: number; bytes: number; diskKiB: number };
/** The frameworks, at the versions this repository tests with. */
const FRAMEWORKS = ['express', '@types/express', 'hono', '@hono/node-server', 'fastify'].map((name) => `${name}@${devVersion(name)}`);
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verifyd-pack-'));
  // The tarball of what `npm ci` built (dist/, vendor/), as the tests that start dist/cli.js use:
  // packing with scripts would rebuild both in place while those tests run beside this one.
  await run('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, maxBuffer: 16 << 20 });
  const tarball = (await readdir(dir)).find((f) => f.endsWith('.tgz'))!;
  consumer = join(dir, 'consumer');
  await mkdir(consumer);
  await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--silent', join(dir, tarball)], { cwd: consumer, maxBuffer: 16 << 20 });
  embed = await installed(consumer);
  await writeFile(join(consumer, 'embed.mjs'), EMBED_MJS);
  await mkdir(join(consumer, 'fonts'));
  await copyFile(join(ROOT, 'assets/fonts/VerifydCaptcha-Oswald-Bold.otf'), join(consumer, 'fonts/house.otf'));
  embedRun = await run(process.execPath, ['embed.mjs'], { cwd: consumer }).then(({ stdout }) => stdout);
  serveWithoutPeers = await run(process.execPath, ['node_modules/verifyd/dist/cli.js', 'serve', '--port', '0'], { cwd: consumer }).then(
    () => 'started',
    (err: { stderr?: string }) => String(err.stderr),
  );
  // An operator's own fonts need opentype.js, which the embedding install does not bring.
  ownFontsWithoutOpentype = await run(process.execPath, ['node_modules/verifyd/dist/cli.js', 'serve', '--port', '0', '--captcha-fonts', 'fonts'], { cwd: consumer }).then(
    () => ({ code: 0, stderr: 'started' }),
    (err: { code?: number; stderr?: string }) => ({ code: err.code ?? -1, stderr: String(err.stderr) }),
  );
  await run('npm', ['install', '--no-audit', '--no-fund', '--silent', ...FRAMEWORKS], { cwd: consumer, maxBuffer: 16 << 20 });
});
let embedRun: string;
let serveWithoutPeers: string;
let ownFontsWithoutOpentype: { code: number; stderr: string };
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CONSUMER_TS = `
import { createVerifier, memoryStore, VerifyError, type HttpOptions, type Verifier, type Redemption } from 'verifyd';
import { buildServer, createService, verifydPlugin } from 'verifyd/fastify';
import { verifydExpress } from 'verifyd/express';
import { verifydHono } from 'verifyd/hono';
import { fetchHandler } from 'verifyd/fetch';
import Fastify from 'fastify';
import express from 'express';
import { Hono } from 'hono';
const verifier: Verifier = createVerifier({ store: memoryStore(), secret: Buffer.alloc(32, 1) });
const outcome: Redemption = await verifier.redeemReceipt('x', { action: 'signup' });
const options: HttpOptions = { verifier };
const app = buildServer(options);
await Fastify().register(verifydPlugin, { prefix: '/verify', ...options });
express().use('/verify', verifydExpress(options));
new Hono().route('/verify', verifydHono(options));
const handle: (request: Request) => Promise<Response> = fetchHandler({ ...options, prefix: '/verify' });
export const checks = [outcome.success, app.server, new VerifyError('CAPTCHA_INVALID').status, handle, createService];
`;

// Runs without Fastify or opentype.js installed: the core, the fetch adapter, captchas in the
// deployment's mix of bundled faces, a clear refusal of verifyd/fastify and of an operator's fonts.
const EMBED_MJS = `
import { createVerifier, memoryStore, loadFontDir } from 'verifyd';
import { fetchHandler } from 'verifyd/fetch';
import { verifydExpress } from 'verifyd/express';
const answers = new Map();
const verifier = createVerifier({ store: memoryStore(), secret: Buffer.alloc(32, 3), onCaptchaIssued: ({ id, answer }) => answers.set(id, answer) });
const handle = fetchHandler({ verifier, prefix: '/verify' });
const issued = await (await handle(new Request('http://x/verify/v1/captchas', { method: 'POST' }))).json();
const checked = await (await handle(new Request('http://x/verify/v1/captchas/' + issued.id + '/check', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ answer: answers.get(issued.id) }) }))).json();
const fastify = await import('verifyd/fastify').then(() => 'loaded', (err) => err.code);
let fonts;
try {
  loadFontDir('fonts');
} catch (err) {
  fonts = err.message;
}
console.log(JSON.stringify({ valid: checked.valid, express: typeof verifydExpress, fastify, fonts }));
`;

for (const moduleResolution of ['node16', 'bundler'] as const) {
  it(`a consumer file type-checks with moduleResolution ${moduleResolution}`, async () => {
    const project = join(consumer, `tsconfig.${moduleResolution}.json`);
    await writeFile(join(consumer, 'consumer.ts'), CONSUMER_TS);
    await writeFile(
      project,
      JSON.stringify({
        compilerOptions: {
          target: 'es2022',
          module: moduleResolution === 'node16' ? 'node16' : 'esnext',
          moduleResolution,
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules/@types')],
        },
        files: ['consumer.ts'],
      }),
    );
    await run(process.execPath, [TSC, '-p', project], { cwd: consumer }).catch((err: { stdout?: string }) => assert.fail(`tsc: ${err.stdout}`));
  });
}

const NO_OPENTYPE = 'captcha fonts: reading your own fonts needs the optional package opentype.js, which is not installed here: npm install opentype.js';

// The size on disk as `du -sh` gives it (its M is a MiB), which is the unit the budget was set in.
it('embeds without Fastify: at most 40 packages and 35 MiB on disk, the fetch adapter runs, verifyd/fastify asks for fastify', async (t) => {
  t.diagnostic(`embedding install: ${embed.packages} packages, ${(embed.bytes / 2 ** 20).toFixed(1)} MiB of files, ${(embed.diskKiB / 1024).toFixed(1)} MiB on disk`);
  assert.deepEqual(JSON.parse(embedRun), { valid: true, express: 'function', fastify: 'ERR_MODULE_NOT_FOUND', fonts: NO_OPENTYPE });
  assert.ok(embed.packages <= 40, `${embed.packages} packages`);
  assert.ok(embed.diskKiB <= 35 * 1024, `${embed.diskKiB} KiB on disk`);
});

it('ships the bundled faces as precompiled outlines with their licences, not as fonts', async () => {
  const files = await readdir(join(consumer, 'node_modules/verifyd/assets/fonts'));
  assert.ok(files.includes('outlines.bin.br') && files.includes('outlines-cjk.bin.br'));
  assert.deepEqual(files.filter((f) => /\.(ttf|otf)$/.test(f)), []);
  assert.equal(files.filter((f) => f.endsWith('-OFL.txt')).length, 8);
});

it('says in one line what to install when `verifyd serve --captcha-fonts` lacks opentype.js', () => {
  assert.equal(ownFontsWithoutOpentype.code, 2);
  assert.equal(ownFontsWithoutOpentype.stderr, `verifyd: --captcha-fonts: ${NO_OPENTYPE}\n`);
});

it('says in one line what to install when `verifyd serve` lacks the service peers', () => {
  assert.match(serveWithoutPeers, /^verifyd: verifyd serve needs the package fastify, which is not installed here: npm install verifyd fastify prom-client/m);
});

it('imports by its public names and runs one request through every adapter', async () => {
  const script = `
    import { createVerifier, memoryStore, ERRORS } from 'verifyd';
    import browser from 'verifyd/browser';
    import { buildServer, verifydPlugin } from 'verifyd/fastify';
    import { verifydExpress } from 'verifyd/express';
    import { verifydHono } from 'verifyd/hono';
    import { fetchHandler } from 'verifyd/fetch';
    import pkg from 'verifyd/package.json' with { type: 'json' };
    import Fastify from 'fastify';
    import express from 'express';
    import { Hono } from 'hono';
    const answers = new Map();
    const verifier = createVerifier({ store: memoryStore(), secret: Buffer.alloc(32, 2), onCaptchaIssued: ({ id, answer }) => answers.set(id, answer) });
    const service = buildServer({ verifier });
    const issued = (await service.inject({ method: 'POST', url: '/v1/captchas' })).json();
    const checked = (await service.inject({ method: 'POST', url: '/v1/captchas/' + issued.id + '/check', payload: { answer: answers.get(issued.id) } })).json();
    const plugin = Fastify();
    await plugin.register(verifydPlugin, { prefix: '/verify', verifier });
    const viaPlugin = (await plugin.inject({ method: 'GET', url: '/verify/healthz' })).statusCode;
    const app = express().use('/verify', verifydExpress({ verifier }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const viaExpress = (await fetch('http://127.0.0.1:' + server.address().port + '/verify/healthz')).status;
    server.close();
    const viaHono = (await new Hono().route('/verify', verifydHono({ verifier })).request('/verify/healthz')).status;
    const viaFetch = (await fetchHandler({ verifier })(new Request('http://x/v1/captchas', { method: 'POST' }))).status;
    console.log(JSON.stringify({ adapters: [viaPlugin, viaExpress, viaHono, viaFetch], image: issued.image.slice(0, 23), valid: checked.valid, receipt: checked.receipt.slice(0, 4), codes: Object.keys(ERRORS).length > 10, browser: typeof browser.captcha, name: pkg.name }));
  `;
  await writeFile(join(consumer, 'run.mjs'), script);
  const { stdout } = await run(process.execPath, ['run.mjs'], { cwd: consumer });
  assert.deepEqual(JSON.parse(stdout), { adapters: [200, 200, 200, 201], image: 'data:image/jpeg;base64,', valid: true, receipt: 'vr1.', codes: true, browser: 'function', name: 'verifyd' });
});

it('issues an audio captcha from the installed package, whose recordings ship with it', async () => {
  const script = `
    import { createVerifier, memoryStore, renderAudioCaptcha } from 'verifyd';
    const verifier = createVerifier({ store: memoryStore(), secret: Buffer.alloc(32, 3) });
    const issued = await verifier.issueCaptcha({ type: 'audio', locale: 'zh-CN' });
    const clip = renderAudioCaptcha('123456', { seed: 1 });
    console.log(JSON.stringify({ mediaType: issued.mediaType, riff: issued.image.toString('latin1', 0, 4), wav: clip.toString('latin1', 8, 12) }));
  `;
  await writeFile(join(consumer, 'audio.mjs'), script);
  const { stdout } = await run(process.execPath, ['audio.mjs'], { cwd: consumer });
  assert.deepEqual(JSON.parse(stdout), { mediaType: 'audio/wav', riff: 'RIFF', wav: 'WAVE' });
});

it('ships no source maps, whose sources the package would not carry', async () => {
  const files = await readdir(join(consumer, 'node_modules/verifyd/dist'), { recursive: true });
  assert.deepEqual(files.filter((f) => f.endsWith('.map')), []);
  assert.ok(files.includes('index.d.ts'), 'types ship');
});

it('keeps internals private: a deep import is refused', async () => {
  await writeFile(join(consumer, 'deep.mjs'), `await import('verifyd/dist/core/verifier.js');`);
  await assert.rejects(run(process.execPath, ['deep.mjs'], { cwd: consumer }), /ERR_PACKAGE_PATH_NOT_EXPORTED/);
});

/** The version of `name` this repository installs (its package-lock's), so the consumer gets the same. */
function devVersion(name: string): string {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
  return lock.packages[`node_modules/${name}`]!.version;
}

/**
 * Packages (as npm installed them: its lock file's entries), bytes of files and KiB on disk
 * under a project's node_modules.
 */
async function installed(project: string): Promise<{ packages: number; bytes: number; diskKiB: number }> {
  const lock = JSON.parse(await readFile(join(project, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
  const du = async (flag: string) => Number((await run('du', [flag, join(project, 'node_modules')])).stdout.split(/\s/)[0]);
  return { packages: Object.keys(lock.packages).filter((path) => path !== '').length, bytes: await du('-sb'), diskKiB: await du('-sk') };
}
