// Memory of one verifyd process on the memory store, for the bench: prints one JSON line with the
// RSS when idle and after issuing `count` captchas through the service's verifier (no HTTP).
//
//   node --expose-gc --import tsx bench/rss.ts <count>
import { createService } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';

const count = Number(process.argv[2] ?? 1_000_000);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  return process.memoryUsage().rss;
};

const config = loadConfig({ VERIFYD_CAPTCHA_RATE_LIMIT: '0', VERIFYD_LOG_LEVEL: 'silent' });
const service = await createService(config);
await service.verifier.issueCaptcha(); // load the font and warm the renderer
const idle = await settle();
const started = performance.now();
const batch = 64;
for (let issued = 0; issued < count; issued += batch) {
  await Promise.all(Array.from({ length: Math.min(batch, count - issued) }, () => service.verifier.issueCaptcha()));
}
const seconds = (performance.now() - started) / 1000;
const after = await settle();
const size = (service.store as { size?: number }).size;
process.stdout.write(JSON.stringify({ count, idleRss: idle, afterRss: after, storeEntries: size, maxCaptchas: config.memoryMaxCaptchas, seconds }) + '\n');
await service.close();
