// Attack: switch off every production guardrail with a spelling. NODE_ENV=Production, prod or
// " production" used to read as development, so the log senders printed codes into the logs of a
// production service; and `--node-env development` on the command line overrode the
// environment's NODE_ENV=production.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { logEmailSender } from '../../src/senders/email/log.ts';
import { logSender } from '../../src/senders/sms/log.ts';

const SPELLINGS = ['Production', 'PRODUCTION', 'prod', 'Prod', ' production', 'production ', '\tproduction\n'];

describe('NODE_ENV spellings', () => {
  for (const spelling of SPELLINGS) {
    it(`NODE_ENV=${JSON.stringify(spelling)} is production: the log SMS sender is refused`, () => {
      assert.throws(() => loadConfig({ NODE_ENV: spelling }), (err: Error) => err instanceof ConfigError && /refused when NODE_ENV=production/.test(err.message));
    });
  }

  it('an unknown NODE_ENV is refused rather than read as development', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'produciton' }), /NODE_ENV must be production, development or test, got "produciton"/);
  });

  it('the library log senders refuse every spelling of production too', () => {
    for (const spelling of SPELLINGS) {
      assert.throws(() => logSender({ write: () => {}, env: spelling }), /refused in production/, spelling);
      assert.throws(() => logEmailSender({ write: () => {}, env: spelling }), { name: 'SendError', kind: 'config' }, spelling);
    }
  });
});

describe('a flag cannot weaken NODE_ENV=production', () => {
  it('--node-env development with NODE_ENV=production is refused', () => {
    for (const weaker of ['development', 'test', 'dev']) {
      assert.throws(() => loadConfig({ NODE_ENV: 'production' }, ['--node-env', weaker]), /--node-env \w+ cannot weaken NODE_ENV=production/);
    }
  });

  it('--node-env production strengthens a development environment', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'development' }, ['--node-env', 'production']), /refused when NODE_ENV=production/);
  });

  it('the CLI stops with one line when NODE_ENV=Production meets the log sender', () => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--port', '0', '--node-env', 'development'], {
      encoding: 'utf8',
      timeout: 30_000,
      killSignal: 'SIGKILL',
      env: { ...process.env, NODE_ENV: 'Production' },
    });
    assert.equal(res.status, 2, res.stderr);
    assert.match(res.stderr, /^verifyd: --node-env development cannot weaken NODE_ENV=production; drop the flag, or change NODE_ENV itself\n$/);
  });
});
