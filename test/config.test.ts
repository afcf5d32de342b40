import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, OPTIONS } from '../src/config.ts';

describe('loadConfig', () => {
  it('gives the documented defaults with nothing set', () => {
    const config = loadConfig({}, []);
    assert.equal(config.port, 8000);
    assert.equal(config.redisUrl, '');
    assert.equal(config.layout, 'verifyd');
    assert.equal(config.captchaTtl, 300);
    assert.equal(config.captchaLength, 4);
    assert.equal(config.secretSource, 'random');
    assert.equal(config.secret.length, 32);
  });

  it('reads environment variables, and flags win over them', () => {
    const env = { PORT: '9000', VERIFYD_LAYOUT: 'django' };
    assert.equal(loadConfig(env).port, 9000);
    assert.equal(loadConfig(env).layout, 'django');
    assert.equal(loadConfig(env, ['--port', '9100']).port, 9100);
    assert.equal(loadConfig(env, ['--port=9200']).port, 9200);
  });

  it('every option has a flag and an environment variable', () => {
    for (const [key, spec] of Object.entries(OPTIONS)) {
      assert.match(spec.flag, /^[a-z][a-z-]+$/, key);
      assert.match(spec.env, /^[A-Z][A-Z_]+$/, key);
    }
  });

  it('names the bad key in its message', () => {
    assert.throws(() => loadConfig({ PORT: 'eighty' }), (e: Error) => e instanceof ConfigError && /PORT/.test(e.message));
    assert.throws(() => loadConfig({}, ['--layout', 'rails']), /--layout must be one of verifyd, django/);
    assert.throws(() => loadConfig({ VERIFYD_REDIS_URL: 'http://x' }), /VERIFYD_REDIS_URL must start with redis:\/\//);
    assert.throws(() => loadConfig({}, ['--no-such-flag']), ConfigError);
  });

  it('requires a shared secret with Redis', () => {
    assert.throws(() => loadConfig({ VERIFYD_REDIS_URL: 'redis://127.0.0.1:6379/2' }), /VERIFYD_SECRET .* is required with Redis/);
    const config = loadConfig({ VERIFYD_REDIS_URL: 'redis://127.0.0.1:6379/2', VERIFYD_SECRET: 'config-test-secret-0123456789abcdef' });
    assert.equal(config.secretSource, 'given');
  });

  it('refuses a short secret', () => {
    assert.throws(() => loadConfig({ VERIFYD_SECRET: 'short' }), /at least 32 characters/);
  });

  it('reads a trusted proxy list', () => {
    assert.deepEqual(loadConfig({ VERIFYD_TRUST_PROXY: '10.0.0.1, 10.1.0.0/16' }).trustProxy, ['10.0.0.1', '10.1.0.0/16']);
    assert.equal(loadConfig({}).trustProxy, false);
  });
});
