#!/usr/bin/env node
// The command line: `verifyd serve` runs the service, `verifyd captcha` exports labelled samples.
// A start that fails prints one line naming the flag or variable and exits non-zero at once.

import cluster from 'node:cluster';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CAPTCHA_TYPES, makeChallenge, type CaptchaType } from './captcha/challenge.ts';
import { renderCaptcha, type ImageFormat } from './captcha/render.ts';
import { renderAudioCaptcha } from './captcha/audio/render.ts';
import { AUDIO_LANGUAGES, type AudioLanguage } from './captcha/audio/voices.ts';
import { loadFontDir, type CaptchaFont } from './captcha/font.ts';
import { DEFAULT_STYLE, styleFromSecret } from './captcha/style.ts';
import { CAPTCHA_HELP, serveHelp, usage } from './service/cli-help.ts';
import { reportStartFailure, runPrimary } from './service/cluster.ts';
import { ConfigError, loadConfig } from './config.ts';
import { closest } from './service/did-you-mean.ts';
import { createLogger } from './service/logger.ts';
import { describeStartFailure, listenError } from './service/start-failure.ts';

const wantsHelp = (argv: string[]) => argv.includes('--help') || argv.includes('-h');

async function serve(argv: string[]): Promise<void> {
  if (wantsHelp(argv)) return void process.stdout.write(serveHelp());
  const config = loadConfig(process.env, argv);
  const logger = createLogger({ level: config.logLevel, pretty: process.stdout.isTTY === true && config.nodeEnv !== 'production' });
  // Printed, never logged: the quick start's back end needs it, and a log line would keep it.
  if (config.apiKeysSource === 'generated' && cluster.isPrimary) {
    process.stdout.write(`no VERIFYD_API_KEYS given: the back-end key for this run (development only) is ${config.apiKeys[0]!.key}\n`);
  }
  if (config.workers > 1 && cluster.isPrimary) process.exit(await runPrimary({ workers: config.workers, logger }).catch(needPeers));
  if (config.secretSource === 'random') logger.warn('no VERIFYD_SECRET given: using a random secret for this process (fine for the memory store)');
  if (config.captchaTestAnswer !== '') {
    logger.warn(`TEST MODE: every captcha also accepts the answer "${config.captchaTestAnswer}" (VERIFYD_CAPTCHA_TEST_ANSWER); never use this where real people sign up`);
  }
  const { createService } = await import('./service/app.ts').catch(needPeers);
  const service = await createService(config, { logger, processMetrics: true });
  let address: string;
  try {
    address = await service.app.listen({ port: config.port, host: config.host });
  } catch (err) {
    throw listenError(err, config);
  }
  logger.info({ store: service.store.name, layout: config.layout }, `verifyd listening on ${address}`);
  // With --workers, every worker listens on the admin port too (node:cluster shares it).
  if (service.admin) logger.info(`verifyd admin listening on ${await service.admin.listen({ port: config.adminPort, host: config.adminHost })}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await service.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

const CAPTCHA_FLAGS = {
  count: { type: 'string', default: '10' },
  out: { type: 'string' },
  format: { type: 'string', default: 'jpeg' },
  length: { type: 'string', default: '4' },
  type: { type: 'string', default: 'text' },
  locale: { type: 'string', default: 'en' },
  secret: { type: 'string' },
  fonts: { type: 'string' },
  period: { type: 'string' },
} as const;

function parseCaptchaFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: CAPTCHA_FLAGS, strict: true }).values;
  } catch (err) {
    const unknown = /Unknown option '-*([^']+)'/.exec((err as Error).message)?.[1];
    if (unknown === undefined) throw new ConfigError((err as Error).message.split('\n')[0]!);
    const guess = closest(unknown, Object.keys(CAPTCHA_FLAGS));
    throw new ConfigError(`unknown option --${unknown}${guess ? `; did you mean --${guess}?` : '; see verifyd captcha --help'}`);
  }
}

async function captchaSamples(argv: string[]): Promise<void> {
  if (wantsHelp(argv)) return void process.stdout.write(CAPTCHA_HELP);
  const values = parseCaptchaFlags(argv);
  const count = Number(values.count);
  const length = Number(values.length);
  const format = values.format as ImageFormat;
  if (!Number.isSafeInteger(count) || count < 1) throw new ConfigError(`--count must be a positive whole number, got "${values.count}"`);
  if (!Number.isSafeInteger(length) || length < 3 || length > 8) throw new ConfigError('--length must be from 3 to 8');
  if (!['jpeg', 'png', 'webp'].includes(format)) throw new ConfigError(`--format must be jpeg, png or webp, got "${values.format}"`);
  if (!values.out) throw new ConfigError('--out DIR is required');
  const type = values.type as CaptchaType;
  if (!CAPTCHA_TYPES.includes(type)) throw new ConfigError(`--type must be ${CAPTCHA_TYPES.join(', ')}, got "${values.type}"`);
  if (values.secret === undefined && (values.fonts !== undefined || values.period !== undefined)) {
    throw new ConfigError('--fonts and --period draw a deployment style: give its --secret too');
  }
  const period = values.period === undefined ? undefined : Number(values.period);
  if (period !== undefined && !(Number.isSafeInteger(period) && period >= 0)) throw new ConfigError(`--period must be a whole number from 0, got "${values.period}"`);
  let fonts: CaptchaFont[] | undefined;
  try {
    fonts = values.fonts === undefined ? undefined : loadFontDir(values.fonts);
  } catch (err) {
    throw new ConfigError(`--fonts: ${(err as Error).message}`);
  }
  const style = values.secret === undefined ? DEFAULT_STYLE : styleFromSecret(values.secret, { fonts, period });
  const locale = values.locale as AudioLanguage;
  if (!AUDIO_LANGUAGES.includes(locale)) throw new ConfigError(`--locale must be ${AUDIO_LANGUAGES.join(' or ')}, got "${values.locale}"`);

  const dir = values.out;
  await mkdir(dir, { recursive: true });
  const ext = type === 'audio' ? 'wav' : format === 'jpeg' ? 'jpg' : format;
  const width = String(count).length;
  const progress = count >= 1000 ? Math.ceil(count / 20) : Infinity;
  for (let n = 1; n <= count; n++) {
    const { text, answer } = makeChallenge(type, { length });
    const image = type === 'audio' ? renderAudioCaptcha(text, { language: locale }) : await renderCaptcha(text, { format, style });
    await writeFile(join(dir, `${answer}_${String(n).padStart(width, '0')}.${ext}`), image);
    if (n % progress === 0 || (n === count && progress !== Infinity)) process.stderr.write(`captcha: ${n}/${count} written\n`);
  }
  process.stdout.write(`wrote ${count} ${type === 'audio' ? `${locale} audio` : format} captchas to ${dir}\n`);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve(rest);
    case 'captcha':
      return captchaSamples(rest);
    case '--version':
    case '-v': {
      const { createRequire } = await import('node:module');
      const pkg = createRequire(import.meta.url)('../package.json') as { version: string };
      process.stdout.write(`verifyd ${pkg.version}\n`);
      return;
    }
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(usage());
      return;
    default: {
      const guess = closest(command, ['serve', 'captcha', 'help']);
      throw new ConfigError(`unknown command "${command}"${guess ? `; did you mean "verifyd ${guess}"?` : '; run "verifyd --help"'}`);
    }
  }
}

main(process.argv.slice(2)).catch(async (err: unknown) => {
  const { line, exitCode, stack } = describeStartFailure(err);
  if (stack !== undefined) process.stderr.write(`${stack}\n`);
  // In a worker, the primary prints the line once for all workers and stops them.
  if (cluster.isWorker) await reportStartFailure(line, exitCode);
  else process.stderr.write(`verifyd: ${line}\n`);
  // Exit now: an open store connection or the cluster channel would keep the process alive.
  process.exit(exitCode);
});

// Fastify and prom-client are optional peer dependencies, so that applications embedding verifyd
// through its Express, Hono or fetch adapters do not install them; the service itself needs them.
function needPeers(err: unknown): never {
  const { code, message } = (err ?? {}) as { code?: string; message?: string };
  const missing = code === 'ERR_MODULE_NOT_FOUND' ? /Cannot find package '([^']+)'/.exec(String(message))?.[1] : undefined;
  if (missing === undefined) throw err;
  throw new ConfigError(
    `verifyd serve needs the package ${missing}, which is not installed here: npm install verifyd fastify prom-client (the service's own dependencies; applications that embed verifyd through its Express, Hono or fetch adapters do without them)`,
  );
}
