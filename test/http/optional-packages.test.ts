// sharp (WebP), @fastify/swagger-ui (the /docs viewer) and opentype.js (an operator's own fonts)
// are optional peer dependencies: a service installed without them starts with its defaults and
// says clearly what is missing. ioredis and nodemailer are loaded only when a Redis store or an
// SMTP sender is configured. ajv and Fastify's schema compilers are not loaded at all: the
// validators were compiled at build time.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SEED_UUID } from '../helpers/service.ts';
import { startVerifyd, type VerifydProcess } from '../helpers/verifyd-process.ts';

const WITHOUT = {
  NODE_OPTIONS: `--import=${fileURLToPath(new URL('../helpers/without-packages.mjs', import.meta.url))}`,
  TEST_WITHOUT_PACKAGES: 'sharp,@fastify/swagger-ui',
};

describe('a service installed without sharp and the OpenAPI viewer', () => {
  let verifyd: VerifydProcess;
  before(async () => {
    verifyd = await startVerifyd([], WITHOUT);
  });
  after(() => verifyd.stop());

  const post = (path: string, body: object) =>
    fetch(`${verifyd.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('starts with the defaults and serves JPEG and PNG captchas', async () => {
    const seed = await fetch(`${verifyd.url}/verify/image_codes/?uuid=${SEED_UUID}`);
    assert.equal(seed.status, 200);
    assert.equal(seed.headers.get('content-type'), 'image/jpeg');
    const png = await post('/v1/captchas', { format: 'png' });
    assert.equal(png.status, 201);
    assert.match(((await png.json()) as { image: string }).image, /^data:image\/png;base64,/);
  });

  it('answers 501 WEBP_UNAVAILABLE to a WebP captcha, every time', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await post('/v1/captchas', { format: 'webp' });
      assert.equal(res.status, 501);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'WEBP_UNAVAILABLE');
    }
  });

  it('serves /openapi.json, and /docs answers 501 API_DOCS_VIEWER_MISSING', async () => {
    const document = await fetch(`${verifyd.url}/openapi.json`);
    assert.equal(document.status, 200);
    assert.equal(((await document.json()) as { openapi: string }).openapi, '3.1.0');
    for (const path of ['/docs', '/docs/', '/docs/static/swagger-ui.css']) {
      const res = await fetch(`${verifyd.url}${path}`);
      assert.equal(res.status, 501, path);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'API_DOCS_VIEWER_MISSING', path);
    }
  });
});

describe('a service on the memory store with the log senders', () => {
  it('loads neither ioredis nor nodemailer (they are required by the first Redis client or SMTP sender)', async () => {
    const verifyd = await startVerifyd([], { ...WITHOUT, TEST_WITHOUT_PACKAGES: 'ioredis,nodemailer' });
    try {
      const res = await fetch(`${verifyd.url}/verify/image_codes/?uuid=${SEED_UUID}`);
      assert.equal(res.status, 200);
      assert.equal((await fetch(`${verifyd.url}/readyz`)).status, 200);
    } finally {
      await verifyd.stop();
    }
  });

});

describe('a service whose validators were compiled at build time', () => {
  it('starts and validates every request without loading ajv or Fastify\'s schema compilers', async () => {
    const verifyd = await startVerifyd([], { ...WITHOUT, TEST_WITHOUT_PACKAGES: 'ajv,@fastify/ajv-compiler,@fastify/fast-json-stringify-compiler' });
    try {
      const send = (body: unknown) => fetch(`${verifyd.url}/v1/sms/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const bad = await send({ phone: 13900000000, purpose: 'login' });
      assert.equal(bad.status, 400);
      assert.deepEqual(((await bad.json()) as { error: { code: string; message: string } }).error, {
        code: 'INVALID_REQUEST',
        message: 'Invalid request: body/phone must be string',
      });
      const issued = await fetch(`${verifyd.url}/v1/captchas`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"format":"png"}' });
      assert.equal(issued.status, 201);
      assert.equal((await fetch(`${verifyd.url}/v1/captchas`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"format":"gif"}' })).status, 400);
    } finally {
      await verifyd.stop();
    }
  });
});

describe('a service without opentype.js', () => {
  it('draws captchas in the bundled faces, whose outlines ship precompiled', async () => {
    const verifyd = await startVerifyd(['--captcha-types', 'text,math,chinese'], { ...WITHOUT, TEST_WITHOUT_PACKAGES: 'opentype.js' });
    try {
      for (const type of ['text', 'math', 'chinese']) {
        const res = await fetch(`${verifyd.url}/verify/image_codes/?uuid=${SEED_UUID}&type=${type}`);
        assert.equal(res.status, 200, type);
        assert.equal(res.headers.get('content-type'), 'image/jpeg', type);
      }
    } finally {
      await verifyd.stop();
    }
  });

  it('refuses --captcha-fonts with exit code 2, in one line naming the package to install', () => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--port', '0', '--captcha-fonts', 'assets/fonts'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, ...WITHOUT, TEST_WITHOUT_PACKAGES: 'opentype.js' },
    });
    assert.equal(res.status, 2, res.stderr);
    assert.equal(res.stderr, 'verifyd: --captcha-fonts: captcha fonts: reading your own fonts needs the optional package opentype.js, which is not installed here: npm install opentype.js\n');
  });
});

describe('--captcha-format webp without sharp', () => {
  it('refuses to start with exit code 2, naming the package to install', () => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--port', '0', '--captcha-format', 'webp'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, ...WITHOUT },
    });
    assert.equal(res.status, 2, res.stderr);
    assert.match(res.stderr, /--captcha-format webp needs the optional package sharp.*npm install sharp/);
  });
});
