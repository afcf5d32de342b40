// A start that cannot succeed ends within seconds, non-zero, with one line on standard error that
// names the flag or variable and the fix — in a single process and with node:cluster workers —
// so a supervisor (systemd's Restart=on-failure) sees it. The CLI runs as a child process.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { SECRET } from '../helpers/service.ts';
import { startVerifyd } from '../helpers/verifyd-process.ts';

/** Runs `verifyd …args`; a process still running after 30 s is killed and fails the test (status null). */
const verifyd = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, NODE_ENV: 'development', VERIFYD_LOG_LEVEL: 'warn', ...env },
  });

/** The lines verifyd printed on standard error. */
const errorLines = (stderr: string) => stderr.split('\n').filter((line) => line !== '');

function assertOneLine(res: ReturnType<typeof verifyd>, status: number, pattern: RegExp) {
  assert.equal(res.status, status, `exit status; stderr: ${res.stderr}`);
  const lines = errorLines(res.stderr);
  assert.equal(lines.length, 1, `one line on stderr, got: ${res.stderr}`);
  assert.match(lines[0]!, /^verifyd: /);
  assert.match(lines[0]!, pattern);
}

describe('a port already in use', () => {
  let holder: Server;
  let port: number;
  let redis: TestRedis;
  before(async () => {
    holder = createServer().listen(0, '127.0.0.1');
    await once(holder, 'listening');
    port = (holder.address() as { port: number }).port;
    redis = await startRedis();
  });
  after(async () => {
    holder?.close();
    await redis?.close();
  });

  it('stops a single process with one line naming PORT', () => {
    assertOneLine(verifyd(['serve', '--port', String(port)]), 1, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use \\(PORT, --port\\)`));
  });

  it('stops the primary and both workers with one line, instead of a primary serving nothing', () => {
    const res = verifyd(['serve', '--workers', '2', '--port', String(port), '--redis-url', redis.url(3), '--secret', SECRET]);
    assertOneLine(res, 1, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use \\(PORT, --port\\)`));
  });
});

describe('a bad setting', () => {
  it('a trusted proxy range of everyone is refused', () => {
    assertOneLine(verifyd(['serve', '--trust-proxy', '0.0.0.0/0']), 2, /--trust-proxy 0\.0\.0\.0\/0 would trust every address/);
    assertOneLine(verifyd(['serve'], { VERIFYD_TRUST_PROXY: '::/0' }), 2, /VERIFYD_TRUST_PROXY ::\/0 would trust every address/);
  });

  it('a trusted proxy that is not an address is refused', () => {
    assertOneLine(verifyd(['serve', '--trust-proxy', 'notanip']), 2, /--trust-proxy must list proxy addresses or CIDRs .*"notanip"/);
  });

  it('a webhook secret that is not a Standard Webhooks secret is refused', () => {
    const res = verifyd(['serve'], { VERIFYD_SMS_SENDER: 'webhook', VERIFYD_WEBHOOK_URL: 'https://hooks.example/sms', VERIFYD_WEBHOOK_SECRET: 'abc' });
    assertOneLine(res, 2, /VERIFYD_WEBHOOK_SECRET must be whsec_ .*openssl rand -base64 32/);
  });

  it('a mistyped variable gets a guess', () => {
    assertOneLine(verifyd(['serve'], { VERIFYD_CAPTCHA_TTLL: '5' }), 2, /VERIFYD_CAPTCHA_TTLL is not a verifyd setting; did you mean VERIFYD_CAPTCHA_TTL\?/);
  });

  it('an unknown VERIFYD_ variable far from any setting is refused too', () => {
    assertOneLine(verifyd(['serve'], { VERIFYD_FROBNICATE: '1' }), 2, /VERIFYD_FROBNICATE is not a verifyd setting; remove it/);
  });

  it('a mistyped flag gets a guess, in serve and in captcha', () => {
    assertOneLine(verifyd(['serve', '--captcha-ttll', '5']), 2, /unknown option --captcha-ttll; did you mean --captcha-ttl\?/);
    assertOneLine(verifyd(['captcha', '--cout', '5']), 2, /unknown option --cout; did you mean --count\?/);
    assertOneLine(verifyd(['serv']), 2, /unknown command "serv"; did you mean "verifyd serve"\?/);
  });

  it('a flag without its value says so', () => {
    assertOneLine(verifyd(['serve', '--port']), 2, /--port needs a value/);
  });
});

it('an unreachable Redis is named by host and port, in one line without a stack', async () => {
  const service = await startVerifyd(['--redis-url', 'redis://127.0.0.1:1/2', '--secret', SECRET]);
  try {
    const line = await service.waitForLine(/redis is not reachable/);
    const record = JSON.parse(line) as { msg: string; err?: unknown };
    assert.match(record.msg, /redis is not reachable at 127\.0\.0\.1:1; serving 503 until it answers: .*VERIFYD_REDIS_URL/);
    assert.equal(record.err, undefined);
  } finally {
    await service.stop();
  }
});
