// The CLI as a child process: serve, captcha sample export, usage errors.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { OPTION_GROUPS } from '../src/service/cli-help.ts';
import { OPTIONS } from '../src/config.ts';
import { SEED_UUID } from './helpers/service.ts';

const CLI = ['--import', 'tsx', 'src/cli.ts'];
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });

describe('verifyd captcha', () => {
  it('writes N labelled samples named <ANSWER>_<n>.<ext>', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'verifyd-samples-'));
    try {
      const res = run(['captcha', '--count', '12', '--out', dir]);
      assert.equal(res.status, 0, res.stderr);
      const files = (await readdir(dir)).sort((a, b) => Number(a.split(/[_.]/)[1]) - Number(b.split(/[_.]/)[1]));
      assert.equal(files.length, 12);
      for (const [i, name] of files.entries()) {
        assert.match(name, new RegExp(`^[A-Z0-9]{4}_${String(i + 1).padStart(2, '0')}\\.jpg$`));
        const bytes = await readFile(join(dir, name));
        assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xd8]);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('writes png and webp on request and reports progress for large counts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'verifyd-samples-'));
    try {
      assert.equal(run(['captcha', '--count', '2', '--out', dir, '--format', 'png']).status, 0);
      assert.equal(run(['captcha', '--count', '2', '--out', join(dir, 'w'), '--format', 'webp']).status, 0);
      assert.equal((await readdir(dir)).filter((f) => f.endsWith('.png')).length, 2);
      assert.equal((await readdir(join(dir, 'w'))).filter((f) => f.endsWith('.webp')).length, 2);
      const big = run(['captcha', '--count', '1000', '--out', join(dir, 'big')]);
      assert.equal(big.status, 0);
      assert.match(big.stderr, /captcha: 1000\/1000 written/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("writes samples in a deployment's own fonts and style period, and refuses a bad font directory", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'verifyd-samples-'));
    try {
      const fonts = join(dir, 'fonts');
      await mkdir(fonts);
      await copyFile(new URL('../assets/fonts/VerifydCaptcha-Bitter-Bold.otf', import.meta.url), join(fonts, 'house.otf'));
      const res = run(['captcha', '--count', '3', '--out', join(dir, 'own'), '--secret', 'x'.repeat(32), '--fonts', fonts, '--period', '12']);
      assert.equal(res.status, 0, res.stderr);
      assert.equal((await readdir(join(dir, 'own'))).length, 3);
      const bad = run(['captcha', '--count', '1', '--out', join(dir, 'bad'), '--secret', 'x'.repeat(32), '--fonts', join(dir, 'nowhere')]);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /^verifyd: --fonts: captcha fonts: cannot read the directory .*nowhere/);
      assert.equal(run(['captcha', '--count', '1', '--out', join(dir, 'x'), '--period', '3']).status, 2, '--period without --secret');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad arguments with exit code 2 and a clear message', () => {
    for (const args of [['captcha', '--count', 'lots', '--out', '/tmp/x'], ['captcha', '--count', '1'], ['captcha', '--format', 'gif', '--out', '/tmp/x'], ['frobnicate']]) {
      const res = run(args);
      assert.equal(res.status, 2, args.join(' '));
      assert.match(res.stderr, /^verifyd: /);
    }
  });
});

describe('verifyd serve', () => {
  it('serves captchas and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [...CLI, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    const address = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line in: ${out}`)), 20_000);
      child.stdout.on('data', () => {
        const match = /verifyd listening on (http:\/\/[^"\s]+)/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    const res = await fetch(`${address}/verify/image_codes/?uuid=${SEED_UUID}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/jpeg');
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
    assert.match(out, /shutting down/);
  });

  it('refuses to start on Redis without a secret, naming the variable', () => {
    const res = run(['serve'], { VERIFYD_REDIS_URL: 'redis://127.0.0.1:1/2', VERIFYD_SECRET: '' });
    assert.equal(res.status, 2);
    assert.match(res.stderr, /VERIFYD_SECRET/);
  });

  it('prints usage with every option', () => {
    const res = run(['--help']);
    assert.equal(res.status, 0);
    assert.match(res.stdout, /--redis-url\s+VERIFYD_REDIS_URL/);
    assert.match(res.stdout, /--layout\s+VERIFYD_LAYOUT/);
  });
});

describe('help', () => {
  it('verifyd serve --help lists every option under its group, defaults as typed', () => {
    const res = run(['serve', '--help']);
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /^Usage: verifyd serve \[options\]/);
    for (const group of OPTION_GROUPS) assert.match(res.stdout, new RegExp(`^${group}:$`, 'm'), group);
    for (const spec of Object.values(OPTIONS)) assert.match(res.stdout, new RegExp(`^  --${spec.flag}\\s+${spec.env}\\s`, 'm'), spec.flag);
    assert.match(res.stdout, /^  --port\s+PORT\s+8000\s+TCP port/m);
    assert.match(res.stdout, /^  --sms-countries\s+VERIFYD_SMS_COUNTRIES\s+CN\s/m);
    assert.match(res.stdout, /^  --trust-proxy\s+VERIFYD_TRUST_PROXY\s+\(none\)\s/m);
    assert.match(res.stdout, /^  --email-from\s+VERIFYD_EMAIL_FROM\s+"verifyd <no-reply@localhost>"\s/m);
    // JavaScript spellings of nothing are not how a user types a default.
    assert.doesNotMatch(res.stdout, /\[\]|\{\}|""|\bfalse\b|\[object/);
  });

  it('groups options by what they set', () => {
    const res = run(['serve', '--help']);
    const section = (group: string) => res.stdout.split(`${group}:\n`)[1]!.split('\n\n')[0]!;
    assert.match(section('Store'), /--redis-url/);
    assert.match(section('Captcha'), /--captcha-test-answer/);
    assert.match(section('SMS provider: aliyun'), /--aliyun-access-key-id/);
    assert.match(section('Email'), /--smtp-url/);
    assert.match(section('Limits'), /--sms-per-hour/);
    assert.match(section('Operations'), /--node-env/);
  });

  it('verifyd captcha --help describes the sample export', () => {
    const res = run(['captcha', '--help']);
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /^Usage: verifyd captcha --out DIR/);
    for (const flag of ['--out', '--count', '--format', '--type', '--length', '--secret', '--fonts', '--period']) assert.match(res.stdout, new RegExp(`^  ${flag} `, 'm'), flag);
  });

  it('verifyd --help names the commands and how to get their help', () => {
    const res = run(['--help']);
    assert.match(res.stdout, /verifyd serve \[options\]/);
    assert.match(res.stdout, /verifyd captcha \[options\]/);
    assert.match(res.stdout, /verifyd <command> --help/);
  });
});
