#!/usr/bin/env node
// The command line: `verifyd serve` runs the service, `verifyd captcha` exports labelled samples.

import cluster from 'node:cluster';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createService } from './app.ts';
import { CAPTCHA_TYPES, makeChallenge, type CaptchaType } from './captcha/challenge.ts';
import { renderCaptcha, type ImageFormat } from './captcha/render.ts';
import { DEFAULT_STYLE, styleFromSecret } from './captcha/style.ts';
import { runPrimary } from './cluster.ts';
import { ConfigError, loadConfig, OPTIONS } from './config.ts';
import { createLogger } from './logger.ts';

const USAGE = `Usage:
  verifyd serve [options]        run the HTTP service (what npm start runs)
  verifyd captcha --count N --out DIR [--format jpeg|png|webp] [--type text|math|chinese] [--secret S]
                                 write N labelled samples named <ANSWER>_<n>.<ext>, in the
                                 style of the deployment whose secret is S (default: the public style)
  verifyd --help | --version

Options of serve (each also read from its environment variable):
${Object.values(OPTIONS)
  .map((o) => `  --${o.flag.padEnd(20)} ${o.env.padEnd(28)} ${o.help} (default: ${JSON.stringify(o.default)})`)
  .join('\n')}
`;

async function serve(argv: string[]): Promise<void> {
  const config = loadConfig(process.env, argv);
  const logger = createLogger({ level: config.logLevel });
  // Printed, never logged: the quick start's back end needs it, and a log line would keep it.
  if (config.apiKeysSource === 'generated' && cluster.isPrimary) {
    process.stdout.write(`no VERIFYD_API_KEYS given: the back-end key for this run (development only) is ${config.apiKeys[0]!.key}\n`);
  }
  if (config.workers > 1 && cluster.isPrimary) process.exit(await runPrimary({ workers: config.workers, logger }));
  if (config.secretSource === 'random') logger.warn('no VERIFYD_SECRET given: using a random secret for this process (fine for the memory store)');
  const service = await createService(config, { logger, processMetrics: true });
  const address = await service.app.listen({ port: config.port, host: config.host });
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

async function captchaSamples(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      count: { type: 'string', default: '10' },
      out: { type: 'string' },
      format: { type: 'string', default: 'jpeg' },
      length: { type: 'string', default: '4' },
      type: { type: 'string', default: 'text' },
      secret: { type: 'string' },
    },
    strict: true,
  });
  const count = Number(values.count);
  const length = Number(values.length);
  const format = values.format as ImageFormat;
  if (!Number.isSafeInteger(count) || count < 1) throw new ConfigError(`--count must be a positive whole number, got "${values.count}"`);
  if (!Number.isSafeInteger(length) || length < 3 || length > 8) throw new ConfigError('--length must be from 3 to 8');
  if (!['jpeg', 'png', 'webp'].includes(format)) throw new ConfigError(`--format must be jpeg, png or webp, got "${values.format}"`);
  if (!values.out) throw new ConfigError('--out DIR is required');
  const type = values.type as CaptchaType;
  if (!CAPTCHA_TYPES.includes(type)) throw new ConfigError(`--type must be ${CAPTCHA_TYPES.join(', ')}, got "${values.type}"`);
  const style = values.secret === undefined ? DEFAULT_STYLE : styleFromSecret(values.secret);

  const dir = values.out;
  await mkdir(dir, { recursive: true });
  const ext = format === 'jpeg' ? 'jpg' : format;
  const width = String(count).length;
  const progress = count >= 1000 ? Math.ceil(count / 20) : Infinity;
  for (let n = 1; n <= count; n++) {
    const { text, answer } = makeChallenge(type, { length });
    const image = await renderCaptcha(text, { format, style });
    await writeFile(join(dir, `${answer}_${String(n).padStart(width, '0')}.${ext}`), image);
    if (n % progress === 0 || (n === count && progress !== Infinity)) process.stderr.write(`captcha: ${n}/${count} written\n`);
  }
  process.stdout.write(`wrote ${count} ${format} captchas to ${dir}\n`);
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
      process.stdout.write(USAGE);
      return;
    default:
      throw new ConfigError(`unknown command "${command}"`);
  }
}

// Usage mistakes (bad flags or values) exit 2 with a one-line message; anything else exits 1.
function isUsageError(err: unknown): boolean {
  return err instanceof ConfigError || (err instanceof Error && String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS'));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (isUsageError(err)) {
    process.stderr.write(`verifyd: ${(err as Error).message}\nRun "verifyd --help" for usage.\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`verifyd: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  }
});
