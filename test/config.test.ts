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
      assert.match(spec.flag, /^[a-z][a-z0-9-]+$/, key);
      assert.match(spec.env, /^[A-Z][A-Z0-9_]+$/, key);
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

  it('groups IPv6 clients by /64 unless told otherwise, from /32 to /128', () => {
    assert.equal(loadConfig({}).ipv6Subnet, 64);
    assert.equal(loadConfig({}, ['--ipv6-subnet', '56']).ipv6Subnet, 56);
    assert.throws(() => loadConfig({ VERIFYD_IPV6_SUBNET: '16' }), /VERIFYD_IPV6_SUBNET must be a whole number from 32 to 128/);
    assert.throws(() => loadConfig({}, ['--ipv6-subnet', '129']), /--ipv6-subnet/);
  });

  it('enables the text captcha and its audio alternative, unless the operator lists other kinds', () => {
    assert.deepEqual(loadConfig({}).captchaTypes, ['text', 'audio']);
    assert.equal(loadConfig({}).captchaDefaultType, 'text');
    const config = loadConfig({ VERIFYD_CAPTCHA_TYPES: 'text, chinese' }, ['--captcha-default-type', 'chinese']);
    assert.deepEqual([config.captchaTypes, config.captchaDefaultType], [['text', 'chinese'], 'chinese']);
    assert.throws(() => loadConfig({ VERIFYD_CAPTCHA_TYPES: 'text,video' }), /VERIFYD_CAPTCHA_TYPES must be one of text, math, chinese, audio, got "video"/);
    assert.throws(() => loadConfig({}, ['--captcha-types', ',']), /--captcha-types must name at least one/);
  });

  it('refuses a default captcha kind the operator did not enable', () => {
    assert.throws(() => loadConfig({ VERIFYD_CAPTCHA_TYPES: 'chinese' }), /VERIFYD_CAPTCHA_DEFAULT_TYPE \(--captcha-default-type\) is text, which VERIFYD_CAPTCHA_TYPES/);
    assert.throws(() => loadConfig({ VERIFYD_CAPTCHA_DEFAULT_TYPE: 'math' }), ConfigError);
  });

  it('denies satellite and premium number ranges by default, and reads deny and allow prefixes', () => {
    assert.deepEqual(loadConfig({}).smsDenyPrefixes, ['+861349', '+861740', '+870', '+881', '+882', '+883']);
    assert.deepEqual(loadConfig({}).smsAllowPrefixes, []);
    const config = loadConfig({ VERIFYD_SMS_DENY_PREFIXES: '+86 1349, +86170' }, ['--sms-allow-prefixes', '+8613490001']);
    assert.deepEqual([config.smsDenyPrefixes, config.smsAllowPrefixes], [['+861349', '+86170'], ['+8613490001']]);
    assert.throws(() => loadConfig({ VERIFYD_SMS_DENY_PREFIXES: '861349' }), /VERIFYD_SMS_DENY_PREFIXES must list E.164 prefixes like \+861349, got "861349"/);
    assert.throws(() => loadConfig({}, ['--sms-allow-prefixes', '+86x']), /--sms-allow-prefixes must list E.164 prefixes/);
  });

  it('refuses a headers timeout longer than the request timeout', () => {
    assert.throws(() => loadConfig({ VERIFYD_REQUEST_TIMEOUT: '1000', VERIFYD_HEADERS_TIMEOUT: '2000' }), /VERIFYD_HEADERS_TIMEOUT \(--headers-timeout\) is 2000 ms/);
  });
});
