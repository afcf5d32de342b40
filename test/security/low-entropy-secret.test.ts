// Attack: guess the HMAC key. A VERIFYD_SECRET of 32 times "a", a short word repeated or a
// placeholder copied from a sample configuration passed the length check, and with it anyone can
// recompute stored answers and code hashes. Such secrets are now refused at start with one line.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { SECRET } from '../helpers/service.ts';

const WEAK: [secret: string, why: RegExp][] = [
  ['a'.repeat(32), /one character repeated/],
  ['0'.repeat(64), /one character repeated/],
  ['ab'.repeat(16), /only 2 distinct characters/],
  ['1234567'.repeat(5), /only 7 distinct characters/],
  ['abcdefgh'.repeat(4), /repeats "abcdefgh"/],
  ['s3cr3t-p4ss'.repeat(3), /repeats "s3cr3t-p4ss"/],
  ['changeme-please-to-a-long-random-string', /placeholder "changeme"/],
  ['your-secret-goes-here-0123456789abcdef', /placeholder "your-secret"/],
  ['a'.repeat(40) + 'bcdefgh', /bits, fewer than 64/],
];

describe('a low-entropy secret', () => {
  for (const [secret, why] of WEAK) {
    it(`is refused: ${JSON.stringify(secret)}`, () => {
      assert.throws(
        () => loadConfig({ VERIFYD_SECRET: secret }),
        (err: Error) => err instanceof ConfigError && /^VERIFYD_SECRET \(--secret\) is too easy to guess: /.test(err.message) && why.test(err.message),
      );
    });
  }

  it('is refused from the command line with one line', () => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--port', '0', '--secret', 'x'.repeat(40)], {
      encoding: 'utf8',
      timeout: 30_000,
      killSignal: 'SIGKILL',
      env: { ...process.env, NODE_ENV: 'development' },
    });
    assert.equal(res.status, 2, res.stderr);
    assert.equal(res.stderr, 'verifyd: VERIFYD_SECRET (--secret) is too easy to guess: it is one character repeated; generate one with: openssl rand -hex 32\n');
  });
});

describe('a real secret', () => {
  it('generated ones pass: openssl rand -hex 16 and 32, base64', () => {
    for (let i = 0; i < 200; i++) {
      for (const secret of [randomBytes(16).toString('hex'), randomBytes(32).toString('hex'), randomBytes(32).toString('base64')]) {
        assert.equal(loadConfig({ VERIFYD_SECRET: secret }).secretSource, 'given', secret);
      }
    }
  });

  it("the test suite's secret passes", () => {
    assert.equal(loadConfig({ VERIFYD_SECRET: SECRET }).secretSource, 'given');
  });
});
