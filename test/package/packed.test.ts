// The package as a consumer gets it: `npm pack`, installed into a fresh project, imported from
// ESM by its public names, type-checked under both module resolutions people use, and run.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
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
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verifyd-pack-'));
  await run('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: ROOT, maxBuffer: 16 << 20 });
  const tarball = (await readdir(dir)).find((f) => f.endsWith('.tgz'))!;
  consumer = join(dir, 'consumer');
  await mkdir(consumer);
  await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--silent', join(dir, tarball)], { cwd: consumer, maxBuffer: 16 << 20 });
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CONSUMER_TS = `
import { createVerifier, memoryStore, buildServer, VerifyError, type Verifier, type Redemption } from 'verifyd';
import { fetchHandler } from 'verifyd/fetch';
const verifier: Verifier = createVerifier({ store: memoryStore(), secret: Buffer.alloc(32, 1) });
const outcome: Redemption = await verifier.redeemReceipt('x', { action: 'signup' });
const app = buildServer({ verifier });
const handle: (request: Request) => Promise<Response> = fetchHandler(app, { prefix: '/verify' });
export const checks = [outcome.success, app.server, new VerifyError('CAPTCHA_INVALID').status, handle];
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
    await run(process.execPath, [TSC, '-p', project], { cwd: consumer });
  });
}

it('imports by its public names and runs a captcha through core and HTTP, receipt included', async () => {
  const script = `
    import { createVerifier, memoryStore, buildServer, ERRORS } from 'verifyd';
    import browser from 'verifyd/browser';
    import { fetchHandler } from 'verifyd/fetch';
    import pkg from 'verifyd/package.json' with { type: 'json' };
    const answers = new Map();
    const verifier = createVerifier({ store: memoryStore(), secret: Buffer.alloc(32, 2), onCaptchaIssued: ({ id, answer }) => answers.set(id, answer) });
    const app = buildServer({ verifier });
    const issued = (await app.inject({ method: 'POST', url: '/v1/captchas' })).json();
    const checked = (await app.inject({ method: 'POST', url: '/v1/captchas/' + issued.id + '/check', payload: { answer: answers.get(issued.id) } })).json();
    const viaFetch = await fetchHandler(app)(new Request('http://x/v1/captchas', { method: 'POST' }));
    console.log(JSON.stringify({ fetched: viaFetch.status, image: issued.image.slice(0, 23), valid: checked.valid, receipt: checked.receipt.slice(0, 4), codes: Object.keys(ERRORS).length > 10, browser: typeof browser.captcha, name: pkg.name }));
  `;
  await writeFile(join(consumer, 'run.mjs'), script);
  const { stdout } = await run(process.execPath, ['run.mjs'], { cwd: consumer });
  assert.deepEqual(JSON.parse(stdout), { fetched: 201, image: 'data:image/jpeg;base64,', valid: true, receipt: 'vr1.', codes: true, browser: 'function', name: 'verifyd' });
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
  await writeFile(join(consumer, 'deep.mjs'), `await import('verifyd/dist/verifier.js');`);
  await assert.rejects(run(process.execPath, ['deep.mjs'], { cwd: consumer }), /ERR_PACKAGE_PATH_NOT_EXPORTED/);
});
