// The endpoint's ceilings on this machine: verifyd exactly as `serve --workers N` runs it (same
// routes, store, metrics and headers), except for the renderer.
//   image:  every captcha is one JPEG rendered at start (no drawing, no encoding);
//   encode: every captcha is one image drawn at start and JPEG-encoded again for each request
//           (what the endpoint would do if drawing cost nothing).
// No renderer can take the real endpoint above the first; no drawing code above the second.
//
//   node --import tsx bench/ceiling-server.ts <image|encode> <port> <redis-url> <workers>

import cluster from 'node:cluster';
import { createService } from '../src/service/app.ts';
import { drawCaptcha } from '../src/captcha/draw.ts';
import { encodeJpeg } from '../src/captcha/encode.ts';
import { Random } from '../src/captcha/random.ts';
import { DEFAULT_STYLE } from '../src/captcha/style.ts';
import { loadConfig } from '../src/config.ts';
import { forkWorkers } from './cluster-primary.ts';

const [mode = 'image', port = '0', redisUrl = 'redis://127.0.0.1:6379/0', workers = '2'] = process.argv.slice(2);
if (mode !== 'image' && mode !== 'encode') throw new Error(`mode must be image or encode, not ${mode}`);

if (cluster.isPrimary) {
  forkWorkers(Number(workers));
} else {
  const config = loadConfig({
    VERIFYD_REDIS_URL: redisUrl,
    VERIFYD_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
    VERIFYD_WORKERS: workers,
    VERIFYD_CAPTCHA_RATE_LIMIT: '0',
    VERIFYD_LOG_LEVEL: 'warn',
  });
  const { captchaWidth: width, captchaHeight: height } = config;
  const pixels = Buffer.from(drawCaptcha('ABCD', width, height, new Random(1), DEFAULT_STYLE));
  const image = encodeJpeg(pixels, width, height, 75);
  const render = mode === 'image' ? async () => image : async () => encodeJpeg(pixels, width, height, 75);
  const service = await createService(config, { render });
  await service.app.listen({ port: Number(port), host: '127.0.0.1' });
  process.on('SIGTERM', () => void service.close().then(() => process.exit(0)));
}
