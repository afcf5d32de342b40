// Configuration: one table of options (flag, environment variable, default, parser), read and
// validated once at start-up by loadConfig from the environment the CLI hands it. Besides it, only
// the log senders look at process.env themselves (NODE_ENV, so they refuse production even
// when a program builds them without a Config).

import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { CAPTCHA_TYPES, type CaptchaType } from './captcha/challenge.ts';
import { loadFontDir, type CaptchaFont } from './captcha/font.ts';
import { HTTP_DEFAULTS } from './http/defaults.ts';
import { COSTLY_PREFIXES } from './core/sms/phone.ts';
import { closest } from './service/did-you-mean.ts';
import { nodeEnvOf, type NodeEnv } from './service/node-env.ts';
import { secretWeakness } from './service/secret-strength.ts';
import { webhookKey } from './senders/sms/webhook.ts';
import { parseRedisNodes, type RedisNode } from './stores/redis-client.ts';
import { developmentApiKey, MIN_API_KEY_LENGTH, type ApiKey } from './core/api-keys.ts';
import { derivedReceiptKey, type SigningKey } from './core/receipts.ts';
import { SEND_REQUIREMENTS, type SendRequirement } from './core/pow/send-proof.ts';
import { DEFAULTS } from './core/defaults.ts';
import type { Layout } from './core/types.ts';

export type { Layout };

export type ImageFormatOption = 'jpeg' | 'png' | 'webp';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * The validated configuration: one field per OPTIONS entry, typed by what its parser returns
 * (the table is the one place an option is declared; its help text says what each means), with
 * the secret as bytes and a word on where the secret and back-end keys came from.
 */
export type Config = Omit<Parsed, 'secret'> & {
  /** The HMAC key for stored codes and answers. */
  secret: Buffer;
  /** Whether `secret` was given or made up at start (memory store only). */
  secretSource: 'given' | 'random';
  /** Whether `apiKeys` were given or one was made up at start (development only). */
  apiKeysSource: 'given' | 'generated';
};

export type SmsSenderName = 'log' | 'webhook' | 'aliyun' | 'tencent' | 'twilio';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Parse<T> = (raw: string, name: string) => T;

export interface OptionSpec<T> {
  flag: string;
  env: string;
  default: T;
  parse: Parse<T>;
  /** One line for `--help` and the README. */
  help: string;
  /** The default as `--help` and the README show it, when the value itself would not say it. */
  shown?: string;
}

const integer =
  (min: number, max: number): Parse<number> =>
  (raw, name) => {
    const n = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    }
    return n;
  };

const oneOf =
  <T extends string>(...allowed: T[]): Parse<T> =>
  (raw, name) => {
    if (!(allowed as string[]).includes(raw)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
    return raw as T;
  };

const text: Parse<string> = (raw) => raw;

const redisUrl: Parse<string> = (raw, name) => {
  if (raw === '') return raw;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a redis:// or rediss:// URL, got something that is not a URL`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new ConfigError(`${name} must start with redis:// or rediss://`);
  if (url.pathname !== '' && url.pathname !== '/' && !/^\/\d+$/.test(url.pathname)) {
    throw new ConfigError(`${name} may end in a database number only (e.g. /2), got "${url.pathname}"`);
  }
  return raw;
};

const redisNodes: Parse<RedisNode[]> = (raw, name) => {
  try {
    return parseRedisNodes(raw);
  } catch (err) {
    throw new ConfigError(`${name} must be a comma-separated list of host:port, but ${(err as Error).message}`);
  }
};

const countries: Parse<string[]> = (raw, name) => {
  const list = raw.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  for (const c of list) if (!/^[A-Z]{2}$/.test(c)) throw new ConfigError(`${name} must list ISO 3166 country codes like CN,HK, got "${c}"`);
  return list;
};

const captchaTypes: Parse<CaptchaType[]> = (raw, name) => {
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) throw new ConfigError(`${name} must name at least one of ${CAPTCHA_TYPES.join(', ')}`);
  return list.map((type) => oneOf(...CAPTCHA_TYPES)(type, name));
};

const e164Prefixes: Parse<string[]> = (raw, name) => {
  const list = raw.split(',').map((s) => s.replace(/[\s-]/g, '')).filter(Boolean);
  for (const prefix of list) if (!/^\+\d{1,15}$/.test(prefix)) throw new ConfigError(`${name} must list E.164 prefixes like +861349, got "${prefix}"`);
  return list;
};

const testNumbers: Parse<Map<string, string>> = (raw, name) => {
  const map = new Map<string, string>();
  for (const pair of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const match = /^(\+\d{6,15}):(\d{4,8})$/.exec(pair);
    if (!match) throw new ConfigError(`${name} must be a comma-separated list of +E164:code pairs, e.g. +8613800000000:123456`);
    map.set(match[1]!, match[2]!);
  }
  return map;
};

const bool: Parse<boolean> = (raw, name) => {
  if (/^(true|1|yes|on)$/i.test(raw)) return true;
  if (/^(false|0|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
};

const url =
  (...protocols: string[]): Parse<string> =>
  (raw, name) => {
    if (raw === '') return raw;
    if (!URL.canParse(raw) || !protocols.includes(new URL(raw).protocol)) {
      throw new ConfigError(`${name} must be a URL starting with ${protocols.map((p) => p + '//').join(' or ')}`);
    }
    return raw;
  };

/** `name:value,name:value` pairs, e.g. back-end keys or receipt keys, each value long enough. */
const namedSecrets =
  (what: string, namePattern: RegExp): Parse<{ name: string; value: string }[]> =>
  (raw, name) => {
    const pairs = raw.split(',').map((s) => s.trim()).filter(Boolean);
    const seen = new Set<string>();
    return pairs.map((pair) => {
      const at = pair.indexOf(':');
      const [id, value] = at < 0 ? ['', pair] : [pair.slice(0, at), pair.slice(at + 1)];
      if (!namePattern.test(id)) throw new ConfigError(`${name} must be a comma-separated list of name:${what} pairs; "${id || pair.slice(0, 8) + '…'}" is not a valid name`);
      if (value.length < MIN_API_KEY_LENGTH) throw new ConfigError(`${name}: the ${what} named "${id}" must be at least ${MIN_API_KEY_LENGTH} characters; generate one with: openssl rand -hex 32`);
      if (seen.has(id)) throw new ConfigError(`${name}: the name "${id}" is listed twice`);
      seen.add(id);
      return { name: id, value };
    });
  };

const seconds: Parse<number[]> = (raw, name) => {
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const times = list.map(Number);
  if (times.length === 0 || times.length > 10 || times.some((t) => !(t > 0 && t <= 600))) {
    throw new ConfigError(`${name} must list 1 to 10 solve times in seconds (each above 0, at most 600), e.g. 1,3,5,10; got "${raw}"`);
  }
  return times;
};

const fontDir: Parse<CaptchaFont[]> = (raw, name) => {
  if (raw.trim() === '') return [];
  try {
    return loadFontDir(raw);
  } catch (err) {
    throw new ConfigError(`${name}: ${(err as Error).message}`);
  }
};

const UNIT_MS: Record<string, number> = { h: 3_600_000, d: 86_400_000 };
const stylePeriod: Parse<number> = (raw, name) => {
  const m = /^(\d+)\s*([hd])$/.exec(raw.trim());
  if (raw.trim() === '0') return 0;
  const ms = m ? Number(m[1]) * UNIT_MS[m[2]!]! : NaN;
  if (!(ms >= UNIT_MS.h! && ms <= 366 * UNIT_MS.d!)) {
    throw new ConfigError(`${name} must be 0 (never) or a period from 1h to 366d in hours or days, e.g. 7d or 12h; got "${raw}"`);
  }
  return ms;
};

const counts: Parse<number[]> = (raw, name) => {
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  return list.map((n) => integer(0, 1_000_000_000)(n, name));
};

/** proxy-addr's names for address ranges, accepted beside addresses and CIDRs. */
const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

const proxies: Parse<false | string[]> = (raw, name) => {
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (list.length === 0 || raw === 'false') return false;
  for (const entry of list) {
    const [address = '', range, extra] = entry.split('/');
    const family = isIP(address);
    const prefix = range === undefined ? undefined : /^\d{1,3}$/.test(range) ? Number(range) : isIP(range) ? -1 : NaN;
    if (PROXY_NAMES.includes(entry)) continue;
    if (family === 0 || extra !== undefined || Number.isNaN(prefix) || (prefix !== undefined && prefix > (family === 4 ? 32 : 128))) {
      throw new ConfigError(`${name} must list proxy addresses or CIDRs (e.g. 10.0.0.1,10.1.0.0/16) or loopback, linklocal, uniquelocal; "${entry}" is none of them`);
    }
    if (prefix === 0) {
      throw new ConfigError(`${name} ${entry} would trust every address, so any client could pick its own IP and escape the rate limits; list only your proxies' addresses`);
    }
  }
  return list;
};

const webhookSecret: Parse<string> = (raw, name) => {
  try {
    webhookKey(raw);
  } catch {
    throw new ConfigError(`${name} must be whsec_ followed by the base64 of 24 to 64 random bytes; make one with: echo whsec_$(openssl rand -base64 32)`);
  }
  return raw;
};

const nodeEnv: Parse<NodeEnv> = (raw, name) => {
  const value = nodeEnvOf(raw);
  if (value === undefined) throw new ConfigError(`${name} must be production, development or test, got "${raw}"`);
  return value;
};

const testAnswer: Parse<string> = (raw, name) => {
  if (!/^[A-Za-z0-9]{1,16}$/.test(raw)) throw new ConfigError(`${name} must be 1 to 16 letters or digits, got "${raw}"`);
  return raw;
};

/** Every option: its flag, environment variable, default and meaning. The README mirrors this table. */
export const OPTIONS = {
  port: { flag: 'port', env: 'PORT', default: 8000, parse: integer(0, 65535), help: 'TCP port to listen on' },
  host: { flag: 'host', env: 'HOST', default: '127.0.0.1', parse: text, help: 'address to bind; 0.0.0.0 for all interfaces' },
  workers: { flag: 'workers', env: 'VERIFYD_WORKERS', default: 1, parse: integer(1, 256), help: 'HTTP processes sharing the port (node:cluster); more than 1 needs Redis' },
  redisUrl: { flag: 'redis-url', env: 'VERIFYD_REDIS_URL', default: '', parse: redisUrl, help: 'Redis URL; empty (and no sentinels or cluster) uses the embedded memory store' },
  redisSentinels: { flag: 'redis-sentinels', env: 'VERIFYD_REDIS_SENTINELS', default: [] as RedisNode[], parse: redisNodes, help: 'Sentinel: host:port,… of the sentinels; the URL then only lends password, db and TLS' },
  redisSentinelName: { flag: 'redis-sentinel-name', env: 'VERIFYD_REDIS_SENTINEL_NAME', default: 'mymaster', parse: text, help: 'Sentinel: master group name' },
  redisSentinelPassword: { flag: 'redis-sentinel-password', env: 'VERIFYD_REDIS_SENTINEL_PASSWORD', default: '', parse: text, help: "Sentinel: the sentinels' own password, if they have one" },
  redisCluster: { flag: 'redis-cluster', env: 'VERIFYD_REDIS_CLUSTER', default: [] as RedisNode[], parse: redisNodes, help: 'Cluster: host:port,… of some nodes; the URL then only lends password and TLS' },
  layout: { flag: 'layout', env: 'VERIFYD_LAYOUT', default: DEFAULTS.layout, parse: oneOf<Layout>('verifyd', 'django'), help: "verifyd (prefixed keys, HMAC values) or django (the Django tutorial's keys: key = uuid, plain text)" },
  secret: { flag: 'secret', env: 'VERIFYD_SECRET', default: '', parse: text, help: 'HMAC key, at least 32 characters; required with Redis, random per start otherwise', shown: '(random)' },
  apiKeys: { flag: 'api-keys', env: 'VERIFYD_API_KEYS', default: [] as ApiKey[], parse: (raw: string, name: string): ApiKey[] => namedSecrets('key', /^[A-Za-z0-9_.-]{1,32}$/)(raw, name).map(({ name: n, value }) => ({ name: n, key: value })), help: 'back-end keys, name:key,… (several for rotation); required in production, one is generated and printed in development', shown: '(generated)' },
  receiptKeys: { flag: 'receipt-keys', env: 'VERIFYD_RECEIPT_KEYS', default: [] as SigningKey[], parse: (raw: string, name: string): SigningKey[] => namedSecrets('secret', /^[A-Za-z0-9_-]{1,16}$/)(raw, name).map(({ name: id, value }) => ({ id, secret: Buffer.from(value, 'utf8') })), help: 'receipt signing keys, id:secret,…: the first signs, all verify; empty = derived from the secret', shown: '(derived)' },
  receiptTtl: { flag: 'receipt-ttl', env: 'VERIFYD_RECEIPT_TTL', default: DEFAULTS.receiptTtlSeconds, parse: integer(10, 300), help: 'receipt lifetime in seconds' },
  publicChecks: { flag: 'public-checks', env: 'VERIFYD_PUBLIC_CHECKS', default: true, parse: bool, help: 'browsers may call the code checks (browser-direct mode); off: the back-end key is required (server-to-server mode)' },
  keyPrefix: { flag: 'key-prefix', env: 'VERIFYD_KEY_PREFIX', default: DEFAULTS.keyPrefix, parse: text, help: 'prefix of every key (verifyd layout)' },
  captchaTtl: { flag: 'captcha-ttl', env: 'VERIFYD_CAPTCHA_TTL', default: DEFAULTS.captcha.ttlSeconds, parse: integer(10, 3600), help: 'captcha lifetime in seconds' },
  captchaLength: { flag: 'captcha-length', env: 'VERIFYD_CAPTCHA_LENGTH', default: DEFAULTS.captcha.length, parse: integer(3, 8), help: 'characters per captcha' },
  captchaWidth: { flag: 'captcha-width', env: 'VERIFYD_CAPTCHA_WIDTH', default: DEFAULTS.captcha.width, parse: integer(80, 400), help: 'image width in pixels' },
  captchaHeight: { flag: 'captcha-height', env: 'VERIFYD_CAPTCHA_HEIGHT', default: DEFAULTS.captcha.height, parse: integer(30, 200), help: 'image height in pixels' },
  captchaFormat: { flag: 'captcha-format', env: 'VERIFYD_CAPTCHA_FORMAT', default: DEFAULTS.captcha.format, parse: oneOf<ImageFormatOption>('jpeg', 'png', 'webp'), help: 'default image format of the native API' },
  captchaTypes: { flag: 'captcha-types', env: 'VERIFYD_CAPTCHA_TYPES', default: [...DEFAULTS.captcha.types], parse: captchaTypes, help: `captcha kinds clients may ask for, comma-separated: ${CAPTCHA_TYPES.join(', ')} (audio: spoken digits, the accessible alternative)` },
  captchaDefaultType: { flag: 'captcha-default-type', env: 'VERIFYD_CAPTCHA_DEFAULT_TYPE', default: DEFAULTS.captcha.type, parse: oneOf(...CAPTCHA_TYPES), help: 'captcha kind issued when a request names none; one of --captcha-types' },
  memoryMaxEntries: { flag: 'memory-max-entries', env: 'VERIFYD_MEMORY_MAX_ENTRIES', default: 500_000, parse: integer(1, 100_000_000), help: 'memory store: entries of security state (codes, locks, limits) kept; never evicted, past it sends get 503 STORE_FULL' },
  memoryMaxCaptchas: { flag: 'memory-max-captchas', env: 'VERIFYD_MEMORY_MAX_CAPTCHAS', default: 100_000, parse: integer(1, 100_000_000), help: 'memory store: captchas kept, oldest dropped first' },
  captchaRateLimit: { flag: 'captcha-rate-limit', env: 'VERIFYD_CAPTCHA_RATE_LIMIT', default: 120, parse: integer(0, 1_000_000), help: 'captchas per client IP per minute; 0 = no limit' },
  captchaAudioRateLimit: { flag: 'captcha-audio-rate-limit', env: 'VERIFYD_CAPTCHA_AUDIO_RATE_LIMIT', default: 10, parse: integer(0, 1_000_000), help: 'audio captchas per client IP per minute, on top of --captcha-rate-limit; 0 = no limit' },
  checkRateLimit: { flag: 'check-rate-limit', env: 'VERIFYD_CHECK_RATE_LIMIT', default: 120, parse: integer(0, 1_000_000), help: 'captcha checks per client IP per minute; 0 = no limit' },
  trustProxy: { flag: 'trust-proxy', env: 'VERIFYD_TRUST_PROXY', default: false as false | string[], parse: proxies, help: 'comma-separated proxy addresses/CIDRs whose X-Forwarded-For is trusted' },
  ipv6Subnet: { flag: 'ipv6-subnet', env: 'VERIFYD_IPV6_SUBNET', default: HTTP_DEFAULTS.ipv6Subnet, parse: integer(32, 128), help: 'IPv6 clients in one network of this prefix length share per-IP limits; 128 = per address' },
  bodyLimit: { flag: 'body-limit', env: 'VERIFYD_BODY_LIMIT', default: HTTP_DEFAULTS.bodyLimit, parse: integer(1024, 1_048_576), help: 'largest request body in bytes' },
  requestTimeout: { flag: 'request-timeout', env: 'VERIFYD_REQUEST_TIMEOUT', default: HTTP_DEFAULTS.requestTimeout, parse: integer(100, 600_000), help: 'ms for a request (headers and body) to arrive; also the longest a connection may stay silent' },
  headersTimeout: { flag: 'headers-timeout', env: 'VERIFYD_HEADERS_TIMEOUT', default: HTTP_DEFAULTS.headersTimeout, parse: integer(100, 600_000), help: "ms for a request's headers to arrive; at most --request-timeout" },
  keepAliveTimeout: { flag: 'keep-alive-timeout', env: 'VERIFYD_KEEP_ALIVE_TIMEOUT', default: HTTP_DEFAULTS.keepAliveTimeout, parse: integer(100, 600_000), help: 'ms an idle keep-alive connection stays open; behind a proxy, more than its idle timeout' },
  maxConnections: { flag: 'max-connections', env: 'VERIFYD_MAX_CONNECTIONS', default: HTTP_DEFAULTS.maxConnections, parse: integer(1, 1_000_000), help: 'connections one process holds at once; more are closed on arrival' },
  storeTimeout: { flag: 'store-timeout', env: 'VERIFYD_STORE_TIMEOUT', default: HTTP_DEFAULTS.storeTimeout, parse: integer(50, 60_000), help: 'ms one request may wait on Redis over all its commands; then 503 STORE_UNAVAILABLE' },
  adminHost: { flag: 'admin-host', env: 'VERIFYD_ADMIN_HOST', default: '127.0.0.1', parse: text, help: 'address of the admin listener (/metrics, /openapi.json, /docs)' },
  adminPort: { flag: 'admin-port', env: 'VERIFYD_ADMIN_PORT', default: 0, parse: integer(0, 65535), help: 'port of the admin listener; 0 = none: those routes are then on the public port, except in production' },
  metrics: { flag: 'metrics', env: 'VERIFYD_METRICS', default: true, parse: bool, help: 'serve Prometheus metrics at /metrics' },
  apiDocs: { flag: 'api-docs', env: 'VERIFYD_API_DOCS', default: true, parse: bool, help: 'serve the OpenAPI document at /openapi.json and a viewer at /docs' },
  logLevel: { flag: 'log-level', env: 'VERIFYD_LOG_LEVEL', default: 'info' as LogLevel, parse: oneOf<LogLevel>('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'), help: 'pino log level' },
  nodeEnv: { flag: 'node-env', env: 'NODE_ENV', default: 'development' as NodeEnv, parse: nodeEnv, help: 'production turns on the production checks (docs/operations.md); a flag cannot weaken NODE_ENV=production' },
  smsSender: { flag: 'sms-sender', env: 'VERIFYD_SMS_SENDER', default: 'log' as SmsSenderName, parse: oneOf<SmsSenderName>('log', 'webhook', 'aliyun', 'tencent', 'twilio'), help: 'SMS provider: log (prints codes; development), webhook, aliyun, tencent, twilio' },
  smsCountries: { flag: 'sms-countries', env: 'VERIFYD_SMS_COUNTRIES', default: ['CN'], parse: countries, help: 'countries codes may be sent to (ISO 3166, comma-separated)' },
  smsDefaultCountry: { flag: 'sms-default-country', env: 'VERIFYD_SMS_DEFAULT_COUNTRY', default: 'CN', parse: (raw, name) => countries(raw, name)[0] ?? 'CN', help: 'country of numbers given without +' },
  smsDenyPrefixes: { flag: 'sms-deny-prefixes', env: 'VERIFYD_SMS_DENY_PREFIXES', default: [...COSTLY_PREFIXES], parse: e164Prefixes, help: 'E.164 prefixes codes are never sent to; default: satellite and premium ranges' },
  smsAllowPrefixes: { flag: 'sms-allow-prefixes', env: 'VERIFYD_SMS_ALLOW_PREFIXES', default: [] as string[], parse: e164Prefixes, help: 'E.164 prefixes sent to even when a deny prefix matches' },
  smsCodeTtl: { flag: 'sms-code-ttl', env: 'VERIFYD_SMS_CODE_TTL', default: DEFAULTS.sms.codeTtlSeconds, parse: integer(30, 600), help: 'SMS code lifetime in seconds' },
  smsResendAfter: { flag: 'sms-resend-after', env: 'VERIFYD_SMS_RESEND_AFTER', default: DEFAULTS.send.resendAfterSeconds, parse: integer(0, 3600), help: 'seconds between two sends to one number' },
  smsMaxAttempts: { flag: 'sms-max-attempts', env: 'VERIFYD_SMS_MAX_ATTEMPTS', default: DEFAULTS.codes.maxAttempts, parse: integer(1, 20), help: 'wrong checks before a code is burned' },
  smsPerHour: { flag: 'sms-per-hour', env: 'VERIFYD_SMS_PER_HOUR', default: DEFAULTS.send.perRecipient[0]!.max, parse: integer(0, 1000), help: 'sends per number per hour; 0 = no limit' },
  smsPerDay: { flag: 'sms-per-day', env: 'VERIFYD_SMS_PER_DAY', default: DEFAULTS.send.perRecipient[1]!.max, parse: integer(0, 10_000), help: 'sends per number per day; 0 = no limit' },
  smsIpPerMinute: { flag: 'sms-ip-per-minute', env: 'VERIFYD_SMS_IP_PER_MINUTE', default: DEFAULTS.send.perIp[0]!.max, parse: integer(0, 100_000), help: 'sends per client IP per minute; 0 = no limit' },
  smsIpPerHour: { flag: 'sms-ip-per-hour', env: 'VERIFYD_SMS_IP_PER_HOUR', default: DEFAULTS.send.perIp[1]!.max, parse: integer(0, 1_000_000), help: 'sends per client IP per hour; 0 = no limit' },
  smsPrefixPerHour: { flag: 'sms-prefix-per-hour', env: 'VERIFYD_SMS_PREFIX_PER_HOUR', default: 30, parse: integer(0, 1_000_000), help: 'sends per number range (all but the last 4 digits) per hour; 0 = no limit' },
  smsDailyBudget: { flag: 'sms-daily-budget', env: 'VERIFYD_SMS_DAILY_BUDGET', default: 0, parse: integer(0, 100_000_000), help: 'SMS sends per UTC day in all; 0 = no budget' },
  smsCheckRateLimit: { flag: 'sms-check-rate-limit', env: 'VERIFYD_SMS_CHECK_RATE_LIMIT', default: DEFAULTS.sms.checkRateLimit, parse: integer(0, 1_000_000), help: 'SMS code checks per client IP per minute; 0 = no limit' },
  smsTestNumbers: { flag: 'sms-test-numbers', env: 'VERIFYD_SMS_TEST_NUMBERS', default: new Map<string, string>(), parse: testNumbers, help: 'numbers that get a fixed code and no SMS: +8613800000000:123456,…; refused in production' },
  captchaFonts: { flag: 'captcha-fonts', env: 'VERIFYD_CAPTCHA_FONTS', default: [] as CaptchaFont[], parse: fontDir, help: 'a directory of your own .ttf/.otf fonts (A-Z, 0-9) that text captchas are drawn in instead of the bundled mix; checked at start; needs the package opentype.js', shown: '(bundled)' },
  captchaStylePeriod: { flag: 'captcha-style-period', env: 'VERIFYD_CAPTCHA_STYLE_PERIOD', default: 0, parse: stylePeriod, help: 'draw a new captcha style from the secret every period (e.g. 7d, 12h), so labelled images go stale; 0 = never' },
  captchaTestAnswer: { flag: 'captcha-test-answer', env: 'VERIFYD_CAPTCHA_TEST_ANSWER', default: '', parse: testAnswer, help: "an answer every captcha also accepts, for your own end-to-end tests; refused in production" },
  webhookUrl: { flag: 'webhook-url', env: 'VERIFYD_WEBHOOK_URL', default: '', parse: url('http:', 'https:'), help: 'webhook sender: URL to POST each message to' },
  webhookSecret: { flag: 'webhook-secret', env: 'VERIFYD_WEBHOOK_SECRET', default: '', parse: webhookSecret, help: 'webhook sender: Standard Webhooks secret (whsec_…)' },
  aliyunAccessKeyId: { flag: 'aliyun-access-key-id', env: 'VERIFYD_ALIYUN_ACCESS_KEY_ID', default: '', parse: text, help: 'aliyun sender: AccessKey ID' },
  aliyunAccessKeySecret: { flag: 'aliyun-access-key-secret', env: 'VERIFYD_ALIYUN_ACCESS_KEY_SECRET', default: '', parse: text, help: 'aliyun sender: AccessKey secret' },
  aliyunSignName: { flag: 'aliyun-sign-name', env: 'VERIFYD_ALIYUN_SIGN_NAME', default: '', parse: text, help: 'aliyun sender: approved signature (SignName)' },
  aliyunTemplateCode: { flag: 'aliyun-template-code', env: 'VERIFYD_ALIYUN_TEMPLATE_CODE', default: '', parse: text, help: 'aliyun sender: template with a ${code} parameter' },
  tencentSecretId: { flag: 'tencent-secret-id', env: 'VERIFYD_TENCENT_SECRET_ID', default: '', parse: text, help: 'tencent sender: SecretId' },
  tencentSecretKey: { flag: 'tencent-secret-key', env: 'VERIFYD_TENCENT_SECRET_KEY', default: '', parse: text, help: 'tencent sender: SecretKey' },
  tencentSdkAppId: { flag: 'tencent-sdk-app-id', env: 'VERIFYD_TENCENT_SDK_APP_ID', default: '', parse: text, help: 'tencent sender: SmsSdkAppId' },
  tencentSignName: { flag: 'tencent-sign-name', env: 'VERIFYD_TENCENT_SIGN_NAME', default: '', parse: text, help: 'tencent sender: approved SignName' },
  tencentTemplateId: { flag: 'tencent-template-id', env: 'VERIFYD_TENCENT_TEMPLATE_ID', default: '', parse: text, help: 'tencent sender: template with one {1} parameter' },
  tencentRegion: { flag: 'tencent-region', env: 'VERIFYD_TENCENT_REGION', default: 'ap-guangzhou', parse: text, help: 'tencent sender: region' },
  twilioAccountSid: { flag: 'twilio-account-sid', env: 'VERIFYD_TWILIO_ACCOUNT_SID', default: '', parse: text, help: 'twilio sender: Account SID' },
  twilioAuthToken: { flag: 'twilio-auth-token', env: 'VERIFYD_TWILIO_AUTH_TOKEN', default: '', parse: text, help: 'twilio sender: auth token' },
  twilioFrom: { flag: 'twilio-from', env: 'VERIFYD_TWILIO_FROM', default: '', parse: text, help: 'twilio sender: From number (or use a messaging service)' },
  twilioMessagingServiceSid: { flag: 'twilio-messaging-service-sid', env: 'VERIFYD_TWILIO_MESSAGING_SERVICE_SID', default: '', parse: text, help: 'twilio sender: MessagingServiceSid' },
  smtpUrl: { flag: 'smtp-url', env: 'VERIFYD_SMTP_URL', default: '', parse: url('smtp:', 'smtps:'), help: 'smtp://user:pass@host:587 or smtps://…:465; empty prints mails to the log' },
  emailFrom: { flag: 'email-from', env: 'VERIFYD_EMAIL_FROM', default: 'verifyd <no-reply@localhost>', parse: text, help: 'From header of verification mails' },
  publicUrl: { flag: 'public-url', env: 'VERIFYD_PUBLIC_URL', default: '', parse: url('http:', 'https:'), help: 'base URL of confirm links (https:// in production); empty = http://localhost:<port>', shown: '(local)' },
  brand: { flag: 'brand', env: 'VERIFYD_BRAND', default: 'verifyd', parse: text, help: 'product name shown in mails and pages' },
  emailCodeTtl: { flag: 'email-code-ttl', env: 'VERIFYD_EMAIL_CODE_TTL', default: DEFAULTS.email.codeTtlSeconds, parse: integer(60, 3600), help: 'email code lifetime in seconds' },
  emailLinkTtl: { flag: 'email-link-ttl', env: 'VERIFYD_EMAIL_LINK_TTL', default: DEFAULTS.email.linkTtlSeconds, parse: integer(300, 86_400), help: 'confirm link lifetime in seconds' },
  emailRequireCaptcha: { flag: 'email-require-captcha', env: 'VERIFYD_EMAIL_REQUIRE_CAPTCHA', default: true, parse: bool, help: 'ask an email send for what --email-require names (a captcha by default); off = nothing' },
  emailPerHour: { flag: 'email-per-hour', env: 'VERIFYD_EMAIL_PER_HOUR', default: DEFAULTS.send.perRecipient[0]!.max, parse: integer(0, 1000), help: 'sends per mailbox per hour; 0 = no limit' },
  emailPerDay: { flag: 'email-per-day', env: 'VERIFYD_EMAIL_PER_DAY', default: DEFAULTS.send.perRecipient[1]!.max, parse: integer(0, 10_000), help: 'sends per mailbox per day; 0 = no limit' },
  emailIpPerMinute: { flag: 'email-ip-per-minute', env: 'VERIFYD_EMAIL_IP_PER_MINUTE', default: DEFAULTS.send.perIp[0]!.max, parse: integer(0, 100_000), help: 'email sends per client IP per minute; 0 = no limit' },
  emailIpPerHour: { flag: 'email-ip-per-hour', env: 'VERIFYD_EMAIL_IP_PER_HOUR', default: DEFAULTS.send.perIp[1]!.max, parse: integer(0, 1_000_000), help: 'email sends per client IP per hour; 0 = no limit' },
  emailCheckRateLimit: { flag: 'email-check-rate-limit', env: 'VERIFYD_EMAIL_CHECK_RATE_LIMIT', default: DEFAULTS.email.checkRateLimit, parse: integer(0, 1_000_000), help: 'email code checks per client IP per minute; 0 = no limit' },
  emailConfirmRedirect: { flag: 'email-confirm-redirect', env: 'VERIFYD_EMAIL_CONFIRM_REDIRECT', default: '', parse: url('http:', 'https:'), help: 'where the confirm page sends the visitor after confirming; empty shows a message' },
  smsRequire: { flag: 'sms-require', env: 'VERIFYD_SMS_REQUIRE', default: 'captcha' as SendRequirement, parse: oneOf<SendRequirement>(...SEND_REQUIREMENTS), help: 'what an SMS send must show: captcha (solved image), pow (ALTCHA proof of work) or both' },
  emailRequire: { flag: 'email-require', env: 'VERIFYD_EMAIL_REQUIRE', default: 'captcha' as SendRequirement, parse: oneOf<SendRequirement>(...SEND_REQUIREMENTS), help: 'what an email send must show: captcha, pow or both (with --email-require-captcha true)' },
  powTtl: { flag: 'pow-ttl', env: 'VERIFYD_POW_TTL', default: DEFAULTS.pow.ttlSeconds, parse: integer(30, 3600), help: 'seconds a proof-of-work challenge may be solved and submitted in' },
  powLevels: { flag: 'pow-levels', env: 'VERIFYD_POW_LEVELS', default: [...DEFAULTS.pow.levels], parse: seconds, help: 'difficulty levels as median solve seconds on the reference device, base level first' },
  powDeviceRate: { flag: 'pow-device-rate', env: 'VERIFYD_POW_DEVICE_RATE', default: DEFAULTS.pow.deviceRate, parse: integer(1000, 1_000_000_000), help: 'PBKDF2-SHA256 iterations per second of the slowest device you size the levels for' },
  powCaptchaLevel: { flag: 'pow-captcha-level', env: 'VERIFYD_POW_CAPTCHA_LEVEL', default: DEFAULTS.pow.captchaLevel, parse: integer(0, 10), help: 'from this level on a proof-of-work send also needs the image captcha; the number of levels or more = never' },
  powCooldown: { flag: 'pow-cooldown', env: 'VERIFYD_POW_COOLDOWN', default: DEFAULTS.pow.cooldownSeconds, parse: integer(10, 86_400), help: 'seconds of traffic that raise the level; it falls within one to two of them after the traffic stops' },
  powIpSteps: { flag: 'pow-ip-steps', env: 'VERIFYD_POW_IP_STEPS', default: [...DEFAULTS.pow.ipSteps], parse: counts, help: 'challenges per client IP (IPv6 network) per cool-down at which level 1, 2, … begin; 0 = step off' },
  powRangeSteps: { flag: 'pow-range-steps', env: 'VERIFYD_POW_RANGE_STEPS', default: [...DEFAULTS.pow.rangeSteps], parse: counts, help: 'proof-of-work SMS sends per number range per cool-down at which level 1, 2, … begin' },
  powSiteSteps: { flag: 'pow-site-steps', env: 'VERIFYD_POW_SITE_STEPS', default: [...DEFAULTS.pow.siteSteps], parse: counts, help: 'challenges site-wide per cool-down at which level 1, 2, … begin' },
} satisfies Record<string, OptionSpec<unknown>>;

type OptionKey = keyof typeof OPTIONS;
/** Each option's value as its parser returns it. */
type Parsed = { [K in OptionKey]: ReturnType<(typeof OPTIONS)[K]['parse']> };

// A compile error here names an option whose default is not a value its own parser could return.
type DefaultMismatch = { [K in OptionKey]: (typeof OPTIONS)[K]['default'] extends Parsed[K] ? never : K }[OptionKey];
const defaultsMatchParsers: [DefaultMismatch] extends [never] ? true : DefaultMismatch = true;
void defaultsMatchParsers;

const MIN_SECRET_LENGTH = 32;

/**
 * Reads every option from `argv` flags (first) and `env` (second), else its default; validates
 * them together and throws ConfigError naming the bad flag or variable. `argv` excludes the
 * command name (`['--port', '9000']`).
 */
export function loadConfig(env: NodeJS.ProcessEnv = {}, argv: string[] = []): Config {
  const { values } = parseFlags(argv);
  refuseUnknownVariables(env);
  const raw = {} as Record<OptionKey, unknown>;
  for (const [key, spec] of Object.entries(OPTIONS) as [OptionKey, OptionSpec<unknown>][]) {
    const fromFlag = values[spec.flag];
    const fromEnv = env[spec.env];
    if (typeof fromFlag === 'string') raw[key] = spec.parse(fromFlag, `--${spec.flag}`);
    else if (fromEnv !== undefined && fromEnv !== '') raw[key] = spec.parse(fromEnv, spec.env);
    else raw[key] = spec.default;
  }
  const r = raw as Parsed;
  if (r.redisSentinels.length > 0 && r.redisCluster.length > 0) {
    throw new ConfigError('VERIFYD_REDIS_SENTINELS (--redis-sentinels) and VERIFYD_REDIS_CLUSTER (--redis-cluster) exclude each other; give one');
  }
  if (r.redisCluster.length > 0 && r.redisUrl !== '' && Number(new URL(r.redisUrl).pathname.slice(1) || 0) !== 0) {
    throw new ConfigError('VERIFYD_REDIS_URL (--redis-url) may not name a database with VERIFYD_REDIS_CLUSTER: Redis Cluster has only database 0');
  }
  if (!r.captchaTypes.includes(r.captchaDefaultType)) {
    throw new ConfigError(
      `VERIFYD_CAPTCHA_DEFAULT_TYPE (--captcha-default-type) is ${r.captchaDefaultType}, which VERIFYD_CAPTCHA_TYPES (--captcha-types) does not enable (${r.captchaTypes.join(', ')}); enable it or pick one of those`,
    );
  }
  if (r.headersTimeout > r.requestTimeout) {
    throw new ConfigError(`VERIFYD_HEADERS_TIMEOUT (--headers-timeout) is ${r.headersTimeout} ms, more than VERIFYD_REQUEST_TIMEOUT (--request-timeout), ${r.requestTimeout} ms`);
  }
  const usesRedis = r.redisUrl !== '' || r.redisSentinels.length > 0 || r.redisCluster.length > 0;
  if (r.workers > 1 && !usesRedis) {
    throw new ConfigError(
      `VERIFYD_WORKERS (--workers) is ${r.workers}, which needs Redis: each worker process would have its own memory store, so a captcha issued by one worker could not be checked by another. Give VERIFYD_REDIS_URL (or sentinels or a cluster), or use 1 worker`,
    );
  }

  let secret: Buffer;
  let secretSource: Config['secretSource'];
  if (r.secret !== '') {
    if (r.secret.length < MIN_SECRET_LENGTH) {
      throw new ConfigError(`VERIFYD_SECRET (--secret) must be at least ${MIN_SECRET_LENGTH} characters; generate one with: openssl rand -hex 32`);
    }
    const weakness = secretWeakness(r.secret);
    if (weakness !== undefined) throw new ConfigError(`VERIFYD_SECRET (--secret) is too easy to guess: ${weakness}; generate one with: openssl rand -hex 32`);
    secret = Buffer.from(r.secret, 'utf8');
    secretSource = 'given';
  } else if (usesRedis) {
    throw new ConfigError(
      'VERIFYD_SECRET (--secret) is required with Redis: every verifyd process sharing the store must use the same secret. Generate one with: openssl rand -hex 32',
    );
  } else {
    secret = randomBytes(32);
    secretSource = 'random';
  }

  if (typeof values[OPTIONS.nodeEnv.flag] === 'string' && r.nodeEnv !== 'production' && env.NODE_ENV && nodeEnv(env.NODE_ENV, 'NODE_ENV') === 'production') {
    throw new ConfigError(`--node-env ${r.nodeEnv} cannot weaken NODE_ENV=production; drop the flag, or change NODE_ENV itself`);
  }
  requireSenderSettings(r);
  if (r.nodeEnv === 'production') refuseInProduction(r);

  const publicUrl = r.publicUrl === '' ? `http://localhost:${r.port}` : r.publicUrl;
  let apiKeys = r.apiKeys;
  let apiKeysSource: Config['apiKeysSource'] = 'given';
  if (apiKeys.length === 0) {
    apiKeys = [developmentApiKey(secret)];
    apiKeysSource = 'generated';
  }
  const receiptKeys = r.receiptKeys.length > 0 ? r.receiptKeys : [derivedReceiptKey(secret)];
  return { ...r, publicUrl, secret, secretSource, apiKeys, apiKeysSource, receiptKeys };
}

/**
 * The production checks, each refusing with one line that names the setting and the fix.
 * docs/operations.md lists them all; keep the two in step.
 */
function refuseInProduction(r: Parsed): void {
  if (r.smsSender === 'log') {
    throw new ConfigError('VERIFYD_SMS_SENDER (--sms-sender) is log, which prints codes and is refused when NODE_ENV=production; choose a real provider');
  }
  if (r.smtpUrl === '') {
    throw new ConfigError('VERIFYD_SMTP_URL (--smtp-url) is required when NODE_ENV=production: without it the log email sender would print codes');
  }
  if (r.smsTestNumbers.size > 0) throw new ConfigError('VERIFYD_SMS_TEST_NUMBERS (--sms-test-numbers) is refused when NODE_ENV=production');
  if (r.captchaTestAnswer !== '') {
    throw new ConfigError('VERIFYD_CAPTCHA_TEST_ANSWER (--captcha-test-answer) is refused when NODE_ENV=production: anyone could pass every captcha with it');
  }
  if (r.apiKeys.length === 0) {
    throw new ConfigError('VERIFYD_API_KEYS (--api-keys) is required when NODE_ENV=production: back ends redeem receipts with it; give one as name:key, the key made with: openssl rand -hex 32');
  }
  if (r.publicUrl === '') {
    throw new ConfigError(
      `VERIFYD_PUBLIC_URL (--public-url) is required when NODE_ENV=production: confirm links in mails would point at http://localhost:${r.port}; give the https:// address people reach verifyd at`,
    );
  }
  if (new URL(r.publicUrl).protocol !== 'https:') {
    throw new ConfigError('VERIFYD_PUBLIC_URL (--public-url) must start with https:// when NODE_ENV=production: confirm links would travel in clear text');
  }
  if (r.smsSender === 'webhook' && new URL(r.webhookUrl).protocol !== 'https:' && !isLoopback(new URL(r.webhookUrl).hostname)) {
    throw new ConfigError(
      'VERIFYD_WEBHOOK_URL (--webhook-url) must start with https:// when NODE_ENV=production (http:// only to this machine: localhost, 127.0.0.1, [::1]): codes would travel in clear text',
    );
  }
}

/** A receiver on this machine: plain http to it never crosses a network. */
const isLoopback = (hostname: string) => hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);

/** A VERIFYD_* variable that no option reads is a typo or a leftover: silently ignoring it hides a setting the operator believes is on. */
function refuseUnknownVariables(env: NodeJS.ProcessEnv): void {
  const known = new Set(Object.values(OPTIONS).map((spec) => spec.env));
  for (const name of Object.keys(env)) {
    if (!name.startsWith('VERIFYD_') || known.has(name)) continue;
    const guess = closest(name, known);
    throw new ConfigError(`${name} is not a verifyd setting${guess ? `; did you mean ${guess}?` : '; remove it (verifyd serve --help lists them all)'}`);
  }
}

function parseFlags(argv: string[]) {
  const options = Object.fromEntries(Object.values(OPTIONS).map((spec) => [spec.flag, { type: 'string' as const }]));
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (err) {
    throw new ConfigError(flagMistake(err as Error, argv));
  }
}

/** parseArgs's complaint, reworded for the one flag it is about, with a guess for a typo. */
function flagMistake(err: Error, argv: string[]): string {
  const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(err.message)?.[1];
  if (unknown !== undefined) {
    const guess = closest(unknown.replace(/^-+/, ''), Object.values(OPTIONS).map((spec) => spec.flag));
    return `unknown option ${unknown}${guess ? `; did you mean --${guess}?` : '; see verifyd serve --help'}`;
  }
  const missing = /Option '(--[^ ']+)/.exec(err.message)?.[1];
  if (missing !== undefined && /argument missing/.test(err.message)) return `${missing} needs a value, e.g. ${missing} VALUE`;
  const positional = argv.find((arg) => !arg.startsWith('-'));
  if (positional !== undefined && /positional/i.test(err.message)) return `unexpected argument "${positional}": options take the form --name value`;
  return err.message.split('\n')[0]!;
}

const SENDER_SETTINGS: Record<Exclude<SmsSenderName, 'log'>, OptionKey[]> = {
  webhook: ['webhookUrl', 'webhookSecret'],
  aliyun: ['aliyunAccessKeyId', 'aliyunAccessKeySecret', 'aliyunSignName', 'aliyunTemplateCode'],
  tencent: ['tencentSecretId', 'tencentSecretKey', 'tencentSdkAppId', 'tencentSignName', 'tencentTemplateId'],
  twilio: ['twilioAccountSid', 'twilioAuthToken'],
};

function requireSenderSettings(r: Parsed): void {
  if (r.smsSender === 'log') return;
  for (const key of SENDER_SETTINGS[r.smsSender]) {
    if (r[key] === '') throw new ConfigError(`${OPTIONS[key].env} (--${OPTIONS[key].flag}) is required with the ${r.smsSender} SMS sender`);
  }
  if (r.smsSender === 'twilio' && r.twilioFrom === '' && r.twilioMessagingServiceSid === '') {
    throw new ConfigError('VERIFYD_TWILIO_FROM or VERIFYD_TWILIO_MESSAGING_SERVICE_SID is required with the twilio SMS sender');
  }
}
