// Wires a Config into running parts: logger, store, verifier and HTTP server. Shared by the
// CLI's `serve` and by tests that start the whole service in-process.

import cluster from 'node:cluster';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { ConfigError, type Config } from '../config.ts';
import { loadWebpEncoder } from '../captcha/encode.ts';
import { buildAdminServer } from '../http/admin-server.ts';
import { buildServer } from '../http/server.ts';
import { emailSenderFromConfig, smsSenderFromConfig } from '../senders/from-config.ts';
import { maskEmail } from '../core/email/address.ts';
import { confirmLink } from '../pages/confirm-page.ts';
import { logThrottle } from './log-throttle.ts';
import { maskPhone } from '../senders/sms/redact.ts';
import type { CaptchaCheckResult, Metrics } from './metrics.ts';
import { memoryStore } from '../stores/memory.ts';
import { redisStore } from '../stores/redis.ts';
import type { Store } from '../stores/store.ts';
import type { SendGateOptions } from '../core/limits/send-gate.ts';
import type { DeliveryOutcome } from '../core/delivery-queue.ts';
import type { SendError } from '../core/types.ts';
import { apiKeys } from '../core/api-keys.ts';
import { createVerifier, type Verifier, type VerifierOptions } from '../core/verifier.ts';

export interface Service {
  app: FastifyInstance;
  /**
   * The admin listener's app (/metrics, /openapi.json, /docs) when `--admin-port` is set; the
   * caller listens on it. Without, those routes are on `app` outside production and nowhere in it.
   */
  admin: FastifyInstance | undefined;
  verifier: Verifier;
  store: Store;
  /** The service's Prometheus metrics; undefined with `--metrics false`. */
  metrics: Metrics | undefined;
  /** Stops accepting connections, lets requests in flight finish, then closes the store. */
  close(): Promise<void>;
}

const HOUR = 3_600_000;

export interface ServiceHooks extends Pick<VerifierOptions, 'onCaptchaIssued' | 'render'> {
  logger?: Logger;
  /** Where the `log` SMS sender prints (default: standard output). */
  smsLog?: (line: string) => void;
  /** Where the `log` email sender prints (default: standard output). */
  emailLog?: (line: string) => void;
  /** Also export the process's own metrics (CPU, RSS, event-loop lag); `verifyd serve` does. */
  processMetrics?: boolean;
}

/** Builds the service from `config` without listening. The hooks are library-only: no HTTP route reaches them. */
export async function createService(
  config: Config,
  { logger, smsLog, emailLog, processMetrics = false, ...extra }: ServiceHooks = {},
): Promise<Service> {
  // WebP needs sharp, an optional package: a service whose default format is WebP must not start without it.
  if (config.captchaFormat === 'webp') {
    await loadWebpEncoder().catch((err: unknown) => {
      throw new ConfigError('--captcha-format webp needs the optional package sharp, which is not installed or does not load here: npm install sharp', { cause: err });
    });
  }
  // prom-client, an optional peer dependency, is loaded only when metrics are on.
  const metricsModule = config.metrics ? await import('./metrics.ts') : undefined;
  const metrics = metricsModule?.createMetrics({ processMetrics, clusterWorker: config.workers > 1 && cluster.isWorker });
  const store = await openStore(config, logger, metrics, metricsModule?.countStoreErrors);
  const smsSender = smsSenderFromConfig(config, smsLog ? { write: smsLog } : {});
  const emailSender = emailSenderFromConfig(config, emailLog ? { write: emailLog } : {});
  const verifier = createVerifier({
    store,
    secret: config.secret,
    layout: config.layout,
    keyPrefix: config.keyPrefix,
    captcha: {
      ttlSeconds: config.captchaTtl,
      length: config.captchaLength,
      width: config.captchaWidth,
      height: config.captchaHeight,
      format: config.captchaFormat,
      types: config.captchaTypes,
      type: config.captchaDefaultType,
    },
    captchaRateLimit: config.captchaRateLimit,
    audioRateLimit: config.captchaAudioRateLimit,
    receipts: { keys: config.receiptKeys, ttlSeconds: config.receiptTtl },
    checkRateLimit: config.checkRateLimit,
    captchaTestAnswer: config.captchaTestAnswer,
    captchaStyle: { fonts: config.captchaFonts, periodMs: config.captchaStylePeriod },
    sms: {
      sender: smsSender,
      phone: {
        defaultCountry: config.smsDefaultCountry,
        allowedCountries: config.smsCountries,
        denyPrefixes: config.smsDenyPrefixes,
        allowPrefixes: config.smsAllowPrefixes,
      },
      codes: { ttlSeconds: config.smsCodeTtl, maxAttempts: config.smsMaxAttempts },
      limits: {
        resendAfterSeconds: config.smsResendAfter,
        ...sendWindows(config.smsPerHour, config.smsPerDay, config.smsIpPerMinute, config.smsIpPerHour),
        perPrefix: [{ max: config.smsPrefixPerHour, windowMs: HOUR }],
        dailyBudget: config.smsDailyBudget,
      },
      checkRateLimit: config.smsCheckRateLimit,
      require: config.smsRequire,
      testNumbers: config.smsTestNumbers,
      onDelivery: reportDelivery('sms', smsSender.name, maskPhone, logger, metrics),
    },
    email: {
      sender: emailSender,
      requireCaptcha: config.emailRequireCaptcha,
      require: config.emailRequire,
      confirmLink: confirmLink(config.publicUrl),
      codes: { ttlSeconds: config.emailCodeTtl },
      linkTtlSeconds: config.emailLinkTtl,
      // The resend interval is the library's (DEFAULTS.send), as it has always been: no option sets it.
      limits: sendWindows(config.emailPerHour, config.emailPerDay, config.emailIpPerMinute, config.emailIpPerHour),
      checkRateLimit: config.emailCheckRateLimit,
      onDelivery: reportDelivery('email', emailSender.name, maskEmail, logger, metrics),
    },
    pow: {
      ttlSeconds: config.powTtl,
      levels: config.powLevels,
      deviceRate: config.powDeviceRate,
      captchaLevel: config.powCaptchaLevel,
      difficulty: { cooldownSeconds: config.powCooldown, ipSteps: config.powIpSteps, rangeSteps: config.powRangeSteps, siteSteps: config.powSiteSteps },
    },
    ...extra,
    onCaptchaIssued: (event) => {
      metrics?.captchaIssued();
      extra.onCaptchaIssued?.(event);
    },
    ...(metrics ? { onCaptchaChecked: ({ result }: { result: CaptchaCheckResult }) => metrics.captchaChecked(result) } : {}),
  });
  const adminListener = config.adminPort > 0;
  const production = config.nodeEnv === 'production';
  const app = buildServer({
    verifier,
    trustProxy: config.trustProxy,
    ipv6Subnet: config.ipv6Subnet,
    bodyLimit: config.bodyLimit,
    logger: logger ?? false,
    brand: config.brand,
    confirmRedirect: config.emailConfirmRedirect,
    metrics,
    apiDocs: config.apiDocs && (adminListener || !production),
    operatorRoutes: !adminListener && !production,
    requestTimeout: config.requestTimeout,
    headersTimeout: config.headersTimeout,
    keepAliveTimeout: config.keepAliveTimeout,
    maxConnections: config.maxConnections,
    storeTimeout: config.storeTimeout,
    apiKeys: apiKeys(config.apiKeys),
    publicChecks: config.publicChecks,
    demoBackend: !production,
  });
  const admin =
    adminListener && (metrics || config.apiDocs)
      ? buildAdminServer({ metrics, apiDocsOf: config.apiDocs ? app : undefined, logger: logger ?? false })
      : undefined;
  return {
    app,
    admin,
    verifier,
    store,
    metrics,
    async close() {
      await admin?.close();
      await app.close();
      await verifier.drain(5000);
      emailSender.close?.();
      await store.close();
    },
  };
}

async function openStore(config: Config, logger: Logger | undefined, metrics: Metrics | undefined, countStoreErrors?: (store: Store, metrics: Metrics) => Store): Promise<Store> {
  if (config.redisUrl === '' && config.redisSentinels.length === 0 && config.redisCluster.length === 0) {
    const memory = memoryStore({ maxEntries: config.memoryMaxEntries, maxCaptchas: config.memoryMaxCaptchas, ...(metrics ? { onEvict: (n: number) => metrics.evicted(n) } : {}) });
    metrics?.watchStoreSize(() => memory.size);
    return memory;
  }
  const connectionLog = logThrottle();
  const store = redisStore({
    ...(config.redisUrl ? { url: config.redisUrl } : {}),
    sentinels: config.redisSentinels,
    sentinelName: config.redisSentinelName,
    sentinelPassword: config.redisSentinelPassword,
    cluster: config.redisCluster,
    commandTimeoutMs: config.storeTimeout,
    // A flapping connection logs one line per state and cause per interval, with a count.
    onConnectionChange: (state, err) => {
      if (state === 'ready') connectionLog.note('ready', (count) => logger?.info({ count }, 'redis connection ready'));
      else connectionLog.note(`lost: ${err?.message}`, (count) => logger?.warn({ err: err?.message, count }, 'redis connection lost; reconnecting'));
    },
  });
  try {
    await store.connect();
  } catch {
    // Start anyway: requests get 503 until Redis answers, and the client keeps reconnecting.
    // One line that says where, not the client's "Connection is closed." and a stack.
    logger?.error(`redis is not reachable at ${redisTarget(config)}; serving 503 until it answers: check that Redis runs there, or fix ${redisSetting(config)}`);
  }
  return metrics && countStoreErrors ? countStoreErrors(store, metrics) : store;
}

/** Where the store's Redis is, for start-up messages (without the URL's password). */
function redisTarget(config: Config): string {
  const nodes = (list: { host: string; port: number }[]) => list.map(({ host, port }) => `${host.includes(':') ? `[${host}]` : host}:${port}`).join(',');
  if (config.redisCluster.length > 0) return `the cluster nodes ${nodes(config.redisCluster)}`;
  if (config.redisSentinels.length > 0) return `the sentinels ${nodes(config.redisSentinels)} (master ${config.redisSentinelName})`;
  const url = new URL(config.redisUrl);
  return `${url.hostname || '127.0.0.1'}:${url.port || 6379}`;
}

const redisSetting = (config: Config) =>
  config.redisCluster.length > 0 ? 'VERIFYD_REDIS_CLUSTER' : config.redisSentinels.length > 0 ? 'VERIFYD_REDIS_SENTINELS' : 'VERIFYD_REDIS_URL';

/** The per-recipient (hour, day) and per-IP (minute, hour) windows of a send gate. */
function sendWindows(perHour: number, perDay: number, ipPerMinute: number, ipPerHour: number): Pick<SendGateOptions, 'perRecipient' | 'perIp'> {
  return {
    perRecipient: [
      { max: perHour, windowMs: HOUR },
      { max: perDay, windowMs: 24 * HOUR },
    ],
    perIp: [
      { max: ipPerMinute, windowMs: 60_000 },
      { max: ipPerHour, windowMs: HOUR },
    ],
  };
}

/** Logs (recipient masked, never the code) and counts each delivery's final outcome. */
function reportDelivery(channel: 'sms' | 'email', sender: string, mask: (to: string) => string, logger: Logger | undefined, metrics: Metrics | undefined) {
  return ({ to, outcome, error }: { to: string; outcome: DeliveryOutcome; error?: SendError }) => {
    metrics?.codeDelivered(channel, error?.kind ?? outcome);
    if (outcome === 'sent') logger?.info({ to: mask(to), sender }, `${channel} handed to ${sender}`);
    else logger?.warn({ to: mask(to), sender, kind: error?.kind, providerCode: error?.providerCode, err: error?.message }, `${channel} delivery failed`);
  };
}
