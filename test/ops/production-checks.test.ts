// NODE_ENV=production refuses settings that are fine on a laptop and wrong on the internet, each
// with one line naming the setting. docs/operations.md lists the same checks.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { PRODUCTION, SECRET } from '../helpers/service.ts';

/** A production configuration that passes every check. */

const refused = (env: Record<string, string>, pattern: RegExp) =>
  assert.throws(() => loadConfig(env), (err: Error) => err instanceof ConfigError && pattern.test(err.message) && !err.message.includes('\n'));

describe('NODE_ENV=production', () => {
  it('starts with a complete production configuration', () => {
    assert.equal(loadConfig(PRODUCTION).nodeEnv, 'production');
  });

  it('refuses a missing public URL: confirm links would point at localhost', () => {
    const { VERIFYD_PUBLIC_URL: _, ...env } = PRODUCTION;
    refused(env, /^VERIFYD_PUBLIC_URL \(--public-url\) is required when NODE_ENV=production: confirm links in mails would point at http:\/\/localhost:8000/);
  });

  it('refuses an http:// public URL', () => {
    refused({ ...PRODUCTION, VERIFYD_PUBLIC_URL: 'http://verify.example' }, /^VERIFYD_PUBLIC_URL \(--public-url\) must start with https:\/\/ when NODE_ENV=production/);
  });

  it('refuses an http:// webhook URL: codes would travel in clear text', () => {
    refused({ ...PRODUCTION, VERIFYD_WEBHOOK_URL: 'http://hooks.example/sms' }, /^VERIFYD_WEBHOOK_URL \(--webhook-url\) must start with https:\/\/ when NODE_ENV=production/);
  });

  it('allows an http:// webhook on this machine, which never crosses a network', () => {
    for (const url of ['http://127.0.0.1:9000/sms', 'http://localhost/sms', 'http://[::1]:9000/sms']) {
      assert.equal(loadConfig({ ...PRODUCTION, VERIFYD_WEBHOOK_URL: url }).webhookUrl, url);
    }
  });

  it('refuses the captcha test answer', () => {
    refused({ ...PRODUCTION, VERIFYD_CAPTCHA_TEST_ANSWER: 'PASS' }, /^VERIFYD_CAPTCHA_TEST_ANSWER \(--captcha-test-answer\) is refused when NODE_ENV=production/);
  });

  it('refuses the log senders and test numbers, as before', () => {
    refused({ ...PRODUCTION, VERIFYD_SMS_SENDER: 'log' }, /^VERIFYD_SMS_SENDER \(--sms-sender\) is log/);
    refused({ ...PRODUCTION, VERIFYD_SMTP_URL: '' }, /^VERIFYD_SMTP_URL \(--smtp-url\) is required when NODE_ENV=production/);
    refused({ ...PRODUCTION, VERIFYD_SMS_TEST_NUMBERS: '+8613800000000:123456' }, /^VERIFYD_SMS_TEST_NUMBERS/);
  });

  it('the CLI prints the refusal as one line and exits 2', () => {
    const { VERIFYD_PUBLIC_URL: _, ...env } = PRODUCTION;
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--port', '0'], {
      encoding: 'utf8',
      timeout: 30_000,
      killSignal: 'SIGKILL',
      env: { ...process.env, ...env },
    });
    assert.equal(res.status, 2, res.stderr);
    assert.match(res.stderr, /^verifyd: VERIFYD_PUBLIC_URL \(--public-url\) is required when NODE_ENV=production: [^\n]*\n$/);
  });
});
